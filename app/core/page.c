/*
 * The page layout and components; see page.h.  Markup comes from our
 * literals (html_raw) and text through html_text()/html_attr() only.
 */
#include <sys/random.h>

#include <stdio.h>
#include <string.h>

#include "html_writer.h"
#include "page.h"
#include "role.h"
#include "sbuf.h"

struct nav_item {
	enum page_nav	 nav;
	const char	*href;
	const char	*label;
	unsigned int	 roles;
};

/* The header's menu: each role sees only the pages it may open. */
static const struct nav_item	nav_items[] = {
	{ NAV_CASES, "/cases", "Cases", RB_CASE_READERS },
	{ NAV_OFFICE, "/office", "Office overview", RB_LEAD_MEDICAL_EXAMINER },
	{ NAV_AUDIT, "/audit", "Audit", RB_LEAD_MEDICAL_EXAMINER },
	{ NAV_USERS, "/admin/users", "Users",
	    RB_ADMIN | RB_LEAD_MEDICAL_EXAMINER },
	{ NAV_OFFICES, "/admin/offices", "Offices", RB_ADMIN },
	{ NAV_EXPORTS, "/exports", "Published figures",
	    RB_ANALYST | RB_NATIONAL_ANALYST | RB_LEAD_MEDICAL_EXAMINER },
};

static int	page_header(struct sbuf *, const struct page_user *,
		    enum page_nav);

/* The NHS logo, as NHS.UK frontend's header draws it. */
#define NHS_LOGO \
	"<svg class=\"nhsuk-header__logo\" xmlns=\"http://www.w3.org/2000/svg\"" \
	" viewBox=\"0 0 200 80\" height=\"40\" width=\"100\" focusable=\"false\"" \
	" role=\"img\" aria-label=\"NHS\"><title>NHS</title>" \
	"<path fill=\"currentcolor\" d=\"M200 0v80H0V0h200Zm-27.5 5.5c-14.5 " \
	"0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 " \
	"0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 " \
	"15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 " \
	"12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 " \
	"2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 " \
	"0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z\"/>" \
	"</svg>"

#define USER_ICON \
	"<svg class=\"nhsuk-icon nhsuk-icon--user\" " \
	"xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" " \
	"width=\"16\" height=\"16\" focusable=\"false\" aria-hidden=\"true\">" \
	"<path d=\"M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 " \
	"16.5V18a4 4 0 0 1 4-4h2a4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 " \
	"3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z\"/></svg>"

static int
page_header(struct sbuf *sb, const struct page_user *u, enum page_nav cur)
{
	size_t		 i;
	const char	*name;

	html_raw(sb, "<header class=\"nhsuk-header\" "
	    "data-module=\"nhsuk-header\" role=\"banner\">"
	    "<div class=\"nhsuk-header__container nhsuk-width-container\">"
	    "<div class=\"nhsuk-header__service\">"
	    "<a class=\"nhsuk-header__service-logo\" href=\"/\" "
	    "aria-label=\"medex homepage\">" NHS_LOGO
	    "<span class=\"nhsuk-header__service-name\">medex</span></a>"
	    "</div>");
	if (u != NULL) {
		name = u->display_name != NULL && *u->display_name != '\0' ?
		    u->display_name : u->username;
		/* The name links to the user's own account page. */
		html_raw(sb, "<nav class=\"nhsuk-header__account\" "
		    "aria-label=\"Account\">"
		    "<ul class=\"nhsuk-header__account-list\">"
		    "<li class=\"nhsuk-header__account-item\">"
		    "<a class=\"nhsuk-header__account-link\" "
		    "href=\"/account/password\">" USER_ICON
		    "<span class=\"nhsuk-u-visually-hidden\">Signed in as "
		    "</span>");
		html_text(sb, name);
		html_raw(sb, " (");
		html_text(sb, role_label(u->role));
		if (u->office != NULL) {
			html_raw(sb, ", ");
			html_text(sb, u->office);
		}
		html_raw(sb, ")<span class=\"nhsuk-u-visually-hidden\">: "
		    "your account</span></a></li>"
		    "<li class=\"nhsuk-header__account-item\">"
		    "<form class=\"nhsuk-header__account-form\" "
		    "action=\"/logout\" method=\"post\" novalidate>");
		page_csrf_field(sb, u->csrf);
		html_raw(sb, "<button class=\"nhsuk-header__account-button\">"
		    "Sign out</button></form></li></ul></nav>");
	}
	html_raw(sb, "</div>");
	if (u != NULL) {
		html_raw(sb, "<nav class=\"nhsuk-header__navigation\" "
		    "aria-label=\"Menu\"><div class=\"nhsuk-header__navigation-"
		    "container nhsuk-width-container\">"
		    "<ul class=\"nhsuk-header__navigation-list\">");
		for (i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
			if (!role_in(nav_items[i].roles, u->role))
				continue;
			if (nav_items[i].nav == cur)
				html_raw(sb, "<li class=\"nhsuk-header__"
				    "navigation-item nhsuk-header__navigation-"
				    "item--current\">");
			else
				html_raw(sb, "<li class=\"nhsuk-header__"
				    "navigation-item\">");
			html_start(sb, "a");
			html_attr(sb, "class", "nhsuk-header__navigation-link");
			html_attr(sb, "href", nav_items[i].href);
			if (nav_items[i].nav == cur)
				html_attr(sb, "aria-current", "page");
			html_end(sb);
			html_text(sb, nav_items[i].label);
			html_raw(sb, "</a></li>");
		}
		html_raw(sb, "<li class=\"nhsuk-header__menu\" hidden>"
		    "<button class=\"nhsuk-header__menu-toggle nhsuk-header__"
		    "navigation-link\" id=\"toggle-menu\" aria-expanded=\"false\">"
		    "<span class=\"nhsuk-u-visually-hidden\">Browse </span>More"
		    "</button></li></ul></div></nav>");
	}
	return (html_raw(sb, "</header>"));
}

int
page_begin(struct sbuf *sb, const char *title, int has_errors,
    const struct page_user *u, enum page_nav cur)
{
	html_raw(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>");
	if (has_errors)
		html_raw(sb, "Error: ");
	html_text(sb, title);
	html_raw(sb, " - medex</title>"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1, viewport-fit=cover\">"
	    "<meta name=\"theme-color\" content=\"#005eb8\">"
	    "<link rel=\"icon\" href=\"/assets/images/favicon.ico\" "
	    "sizes=\"48x48\">"
	    "<link rel=\"icon\" href=\"/assets/images/favicon.svg\" "
	    "sizes=\"any\" type=\"image/svg+xml\">"
	    "<link rel=\"stylesheet\" href=\"/assets/nhsuk-frontend.min.css\">"
	    "<link rel=\"stylesheet\" href=\"/assets/medex.css\">"
	    "<script type=\"module\" src=\"/assets/medex.js\"></script>"
	    "</head><body>"
	    "<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" "
	    "href=\"#maincontent\">Skip to main content</a>");
	page_header(sb, u, cur);
	return (html_raw(sb, "<div class=\"nhsuk-width-container\">"
	    "<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">"));
}

int
page_end(struct sbuf *sb)
{
	html_raw(sb, "</main></div>"
	    "<footer class=\"nhsuk-footer\" role=\"contentinfo\">"
	    "<div class=\"nhsuk-width-container\">"
	    "<div class=\"nhsuk-footer__meta\">"
	    "<h2 class=\"nhsuk-u-visually-hidden\">Support links</h2>"
	    "<p class=\"nhsuk-body-s\">medex: case management for the "
	    "medical examiner service of England and Wales</p>"
	    "</div></div></footer></body></html>\n");
	return (sb->oom ? -1 : 0);
}

int
page_error_summary(struct sbuf *sb, const struct page_error *errs, size_t n)
{
	size_t	i;
	char	href[160];

	if (n == 0)
		return (sb->oom ? -1 : 0);
	html_raw(sb, "<div class=\"nhsuk-error-summary\" "
	    "data-module=\"nhsuk-error-summary\" tabindex=\"-1\" autofocus>"
	    "<div role=\"alert\"><h2 class=\"nhsuk-error-summary__heading\">"
	    "There is a problem</h2><div class=\"nhsuk-error-summary__body\">"
	    "<ul class=\"nhsuk-list nhsuk-error-summary__list\">");
	for (i = 0; i < n; i++) {
		html_raw(sb, "<li>");
		if (errs[i].field != NULL) {
			/* An input's id, or a path: the page that fixes it. */
			(void)snprintf(href, sizeof(href), "%s%s",
			    errs[i].field[0] == '/' ? "" : "#", errs[i].field);
			html_start(sb, "a");
			html_attr(sb, "href", href);
			html_end(sb);
			html_text(sb, errs[i].message);
			html_raw(sb, "</a>");
		} else {
			html_text(sb, errs[i].message);
		}
		html_raw(sb, "</li>");
	}
	return (html_raw(sb, "</ul></div></div></div>"));
}

int
page_h1(struct sbuf *sb, const char *caption, const char *text)
{
	html_raw(sb, "<h1 class=\"nhsuk-heading-l\">");
	if (caption != NULL) {
		html_raw(sb, "<span class=\"nhsuk-caption-l\">");
		html_text(sb, caption);
		html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\"> - "
		    "</span></span>");
	}
	html_text(sb, text);
	return (html_raw(sb, "</h1>"));
}

int
page_p(struct sbuf *sb, const char *text)
{
	html_raw(sb, "<p class=\"nhsuk-body\">");
	html_text(sb, text);
	return (html_raw(sb, "</p>"));
}

int
page_inset(struct sbuf *sb, const char *text)
{
	html_raw(sb, "<div class=\"nhsuk-inset-text\">"
	    "<span class=\"nhsuk-u-visually-hidden\">Information: </span><p>");
	html_text(sb, text);
	return (html_raw(sb, "</p></div>"));
}

int
page_field(struct sbuf *sb, const struct page_input *in)
{
	char	hint_id[96], err_id[96], describedby[200], cls[128];

	snprintf(hint_id, sizeof(hint_id), "%s-hint", in->id);
	snprintf(err_id, sizeof(err_id), "%s-error", in->id);
	describedby[0] = '\0';
	if (in->hint != NULL)
		snprintf(describedby, sizeof(describedby), "%s", hint_id);
	if (in->error != NULL)
		snprintf(describedby + strlen(describedby),
		    sizeof(describedby) - strlen(describedby), "%s%s",
		    describedby[0] != '\0' ? " " : "", err_id);
	snprintf(cls, sizeof(cls), "nhsuk-input%s%s%s",
	    in->error != NULL ? " nhsuk-input--error" : "",
	    in->width != NULL ? " nhsuk-input--width-" : "",
	    in->width != NULL ? in->width : "");

	if (in->error != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label");
	html_attr(sb, "for", in->id);
	html_end(sb);
	html_text(sb, in->label);
	html_raw(sb, "</label>");
	if (in->hint != NULL) {
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-hint");
		html_attr(sb, "id", hint_id);
		html_end(sb);
		html_text(sb, in->hint);
		html_raw(sb, "</div>");
	}
	if (in->error != NULL) {
		html_start(sb, "span");
		html_attr(sb, "class", "nhsuk-error-message");
		html_attr(sb, "id", err_id);
		html_end(sb);
		html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\">Error: "
		    "</span>");
		html_text(sb, in->error);
		html_raw(sb, "</span>");
	}
	html_start(sb, "input");
	html_attr(sb, "class", cls);
	html_attr(sb, "id", in->id);
	html_attr(sb, "name", in->id);
	html_attr(sb, "type", in->type != NULL ? in->type : "text");
	if (in->value != NULL)
		html_attr(sb, "value", in->value);
	if (in->autocomplete != NULL)
		html_attr(sb, "autocomplete", in->autocomplete);
	if (describedby[0] != '\0')
		html_attr(sb, "aria-describedby", describedby);
	html_raw(sb, " spellcheck=\"false\">");
	return (html_raw(sb, "</div>"));
}

int
page_csrf_field(struct sbuf *sb, const char *csrf)
{
	html_start(sb, "input");
	html_attr(sb, "type", "hidden");
	html_attr(sb, "name", "csrf_token");
	html_attr(sb, "value", csrf != NULL ? csrf : "");
	return (html_end(sb));
}

int
page_form_key(char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[PAGE_KEY_LEN / 2];
	size_t			 i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		out[0] = '\0';
		return (-1);
	}
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 0x0f];
	}
	out[PAGE_KEY_LEN] = '\0';
	return (0);
}

int
page_key_field(struct sbuf *sb)
{
	char	key[PAGE_KEY_LEN + 1];

	if (page_form_key(key) != 0)
		return (-1);
	html_start(sb, "input");
	html_attr(sb, "type", "hidden");
	html_attr(sb, "name", "form_key");
	html_attr(sb, "value", key);
	return (html_end(sb));
}

int
page_button(struct sbuf *sb, const char *label)
{
	html_raw(sb, "<button class=\"nhsuk-button\" "
	    "data-module=\"nhsuk-button\" type=\"submit\">");
	html_text(sb, label);
	return (html_raw(sb, "</button>"));
}

int
page_table_begin(struct sbuf *sb, const char *caption,
    const char *const *heads, size_t n)
{
	size_t	i;

	html_raw(sb, "<table class=\"nhsuk-table\">"
	    "<caption class=\"nhsuk-table__caption\">");
	html_text(sb, caption);
	html_raw(sb, "</caption><thead class=\"nhsuk-table__head\">"
	    "<tr class=\"nhsuk-table__row\">");
	for (i = 0; i < n; i++) {
		html_raw(sb, "<th class=\"nhsuk-table__header\" scope=\"col\">");
		html_text(sb, heads[i]);
		html_raw(sb, "</th>");
	}
	return (html_raw(sb, "</tr></thead><tbody class=\"nhsuk-table__body\">"));
}

int
page_table_row(struct sbuf *sb, const char *const *cells,
    const char *const *links, size_t n)
{
	size_t	i;

	html_raw(sb, "<tr class=\"nhsuk-table__row\">");
	for (i = 0; i < n; i++) {
		if (i == 0)
			html_raw(sb, "<th class=\"nhsuk-table__header\" "
			    "scope=\"row\">");
		else
			html_raw(sb, "<td class=\"nhsuk-table__cell\">");
		if (links != NULL && links[i] != NULL) {
			html_start(sb, "a");
			html_attr(sb, "href", links[i]);
			html_end(sb);
			html_text(sb, cells[i]);
			html_raw(sb, "</a>");
		} else {
			html_text(sb, cells[i]);
		}
		if (i == 0)
			html_raw(sb, "</th>");
		else
			html_raw(sb, "</td>");
	}
	return (html_raw(sb, "</tr>"));
}

int
page_table_end(struct sbuf *sb)
{
	return (html_raw(sb, "</tbody></table>"));
}
