/*
 * GET /exports[?month=YYYY-MM[&office=CODE]]: the published figures of
 * a month for analysts, national analysts and lead MEs, as a table, and
 * the last 12 months as server-drawn SVG charts, each with its table.
 *
 * One database call: api_export_series (sql/exports.sql) checks the
 * session and the role and office rules of the monthly export and
 * answers the raw figures of the 12 months.  Each month goes through
 * export_rows() (app/core/export.c), the disclosure path of the CSV and
 * JSON files, so the page shows exactly the published figures, with
 * `*` where they are withheld; raw figures never reach the page.
 * The form is a plain GET: the page works without JavaScript.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "handlers.h"
#include "export.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"
#include "query.h"
#include "respond.h"
#include "svg_chart.h"
#include "validate.h"

#define SERIES_MONTHS	12

static const char sql_series[] =
    "SELECT * FROM api_export_series($1, $2, $3, $4, $5, $6, $7, $8)";

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* How a value is written: a count, or tenths as a percentage or days. */
#define FMT_COUNT	0
#define FMT_PERCENT	1
#define FMT_TENTHS	2

struct measure {
	const char	*label;
	size_t		 off;
	int		 fmt;
};

#define M(l, f, k)	{ l, offsetof(struct dc_row, f), k }

/* API.md's columns after month and office, in its order. */
static const struct measure	measures[] = {
	M("Deaths notified", deaths_notified, FMT_COUNT),
	M("Scrutiny completed", scrutiny_completed, FMT_COUNT),
	M("Completed within target", completed_within_target, FMT_COUNT),
	M("Completed within target (%)", pct_completed_within_target,
	    FMT_PERCENT),
	M("Median days to completion", median_days_to_completion,
	    FMT_TENTHS),
	M("Referred to the coroner", coroner_referrals, FMT_COUNT),
	M("Coroner investigating", coroner_investigating, FMT_COUNT),
	M("Coroner not investigating", coroner_not_investigating, FMT_COUNT),
	M("Bereaved reached", bereaved_reached, FMT_COUNT),
	M("Bereaved declined", bereaved_declined, FMT_COUNT),
	M("Bereaved: no response", bereaved_no_response, FMT_COUNT),
	M("Bereaved: no contacts", bereaved_no_contacts, FMT_COUNT),
	M("Bereaved: other", bereaved_other, FMT_COUNT),
	M("Concerns raised", concerns_raised, FMT_COUNT),
	M("Referred for structured judgement review",
	    referrals_structured_judgement_review, FMT_COUNT),
	M("Referred for patient safety", referrals_patient_safety, FMT_COUNT),
	M("Referred for learning from deaths",
	    referrals_learning_from_deaths, FMT_COUNT),
	M("Referred to PALS", referrals_pals, FMT_COUNT),
	M("Referred elsewhere", referrals_other, FMT_COUNT),
	M("Urgent release requested", urgent_release_requested, FMT_COUNT),
	M("Urgent release achieved", urgent_release_achieved, FMT_COUNT),
	M("LeDeR notifications", leder_notifications, FMT_COUNT),
};

/* The three charts: measures[] index, id, title. */
static const struct {
	size_t		 measure;
	const char	*id;
	const char	*title;
} charts[] = {
	{ 0, "chart-notified", "Deaths notified" },
	{ 2, "chart-within", "Completed within target" },
	{ 5, "chart-coroner", "Referred to the coroner" },
};

struct exports_req {
	char	month[8];		/* as asked; "" for the default */
	char	office[20];		/* as asked; "" for the default */
	char	typed[40];		/* a month that was not valid */
	int	bad_month;
};

static void	exports_render(struct http_request *, struct medex_req *);

static const struct dc_value *
value_of(const struct dc_row *r, size_t m)
{
	return ((const struct dc_value *)(const void *)
	    ((const char *)r + measures[m].off));
}

/* "April 2019" from "2019-04"; the month is valid. */
static void
month_label(const char *month, char *out, size_t len)
{
	int	m;

	m = (month[5] - '0') * 10 + (month[6] - '0');
	snprintf(out, len, "%s %.4s", month_names[m - 1], month);
}

/* A published value in a table cell; * and none say what they mean. */
static void
cell_value(struct sbuf *sb, const struct dc_value *v, int fmt)
{
	char	buf[48];

	switch (v->kind) {
	case DC_NUMBER:
		if (fmt == FMT_COUNT)
			snprintf(buf, sizeof(buf), "%lld", v->v);
		else
			snprintf(buf, sizeof(buf), "%lld.%lld%s", v->v / 10,
			    v->v % 10, fmt == FMT_PERCENT ? "%" : "");
		html_text(sb, buf);
		break;
	case DC_SUPPRESSED:
		html_raw(sb, "*<span class=\"nhsuk-u-visually-hidden\"> "
		    "(withheld: too few to publish)</span>");
		break;
	default:
		html_raw(sb, "None<span class=\"nhsuk-u-visually-hidden\"> "
		    "(nothing to measure)</span>");
		break;
	}
}

static void
table_head(struct sbuf *sb, const char *caption, const char *head0,
    const char *head1)
{
	html_raw(sb, "<table class=\"nhsuk-table\">"
	    "<caption class=\"nhsuk-table__caption\">");
	html_text(sb, caption);
	html_raw(sb, "</caption><thead class=\"nhsuk-table__head\">"
	    "<tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">");
	html_text(sb, head0);
	html_raw(sb, "</th><th class=\"nhsuk-table__header "
	    "nhsuk-table__header--numeric\" scope=\"col\">");
	html_text(sb, head1);
	html_raw(sb, "</th></tr></thead><tbody class=\"nhsuk-table__body\">");
}

static void
table_row(struct sbuf *sb, const char *head, const struct dc_value *v,
    int fmt)
{
	html_raw(sb, "<tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"row\">");
	html_text(sb, head);
	html_raw(sb, "</th><td class=\"nhsuk-table__cell "
	    "nhsuk-table__cell--numeric\">");
	cell_value(sb, v, fmt);
	html_raw(sb, "</td></tr>");
}

/* The GET form: month, and the office for a national analyst. */
static void
exports_form(struct sbuf *sb, const struct exports_req *x, json_t *j,
    const char *month, const char *office, int national)
{
	struct page_input	 in;
	json_t			*o;
	size_t			 i;
	const char		*code;

	html_raw(sb, "<form action=\"/exports\" method=\"get\" novalidate>");
	memset(&in, 0, sizeof(in));
	in.id = "month";
	in.label = "Month";
	in.hint = "Year and month, for example 2019-04";
	in.value = x->bad_month ? x->typed : month;
	in.error = x->bad_month ? "Enter a month as year and month, for "
	    "example 2019-04" : NULL;
	in.width = "10";
	page_field(sb, &in);
	if (national) {
		html_raw(sb, "<div class=\"nhsuk-form-group\">"
		    "<label class=\"nhsuk-label\" for=\"office\">Office"
		    "</label><select class=\"nhsuk-select\" id=\"office\" "
		    "name=\"office\"><option value=\"\">All offices</option>");
		json_array_foreach(json_object_get(j, "offices"), i, o) {
			if ((code = json_string_value(o)) == NULL)
				continue;
			html_start(sb, "option");
			html_attr(sb, "value", code);
			if (office != NULL && strcmp(office, code) == 0)
				html_raw(sb, " selected");
			html_end(sb);
			html_text(sb, code);
			html_raw(sb, "</option>");
		}
		html_raw(sb, "</select></div>");
	}
	page_button(sb, "Show figures");
	html_raw(sb, "</form>");
}

/* One chart and its table, side by side (stacked on a narrow screen). */
static void
exports_chart(struct sbuf *sb, size_t c, const struct dc_row *series,
    const char *where)
{
	struct svg_bar		bars[SERIES_MONTHS];
	struct svg_chart	chart;
	const struct dc_value	*v;
	char			desc[512], caption[256], from[32], to[32];
	char			label[32], names[SERIES_MONTHS][4];
	char			years[SERIES_MONTHS][5];
	size_t			i, m, nstar;
	int			mon;

	m = charts[c].measure;
	nstar = 0;
	for (i = 0; i < SERIES_MONTHS; i++) {
		v = value_of(&series[i], m);
		mon = (series[i].month[5] - '0') * 10 +
		    (series[i].month[6] - '0');
		/* "Jan" under each bar; the year under January and the first. */
		snprintf(names[i], sizeof(names[i]), "%.3s",
		    month_names[mon - 1]);
		snprintf(years[i], sizeof(years[i]), "%.4s", series[i].month);
		bars[i].label = names[i];
		bars[i].sublabel = i == 0 || mon == 1 ? years[i] : NULL;
		bars[i].kind = v->kind == DC_NUMBER ? SVG_BAR_NUMBER :
		    v->kind == DC_SUPPRESSED ? SVG_BAR_SUPPRESSED :
		    SVG_BAR_NONE;
		bars[i].value = v->kind == DC_NUMBER ? v->v : 0;
		if (v->kind == DC_SUPPRESSED)
			nstar++;
	}
	month_label(series[0].month, from, sizeof(from));
	month_label(series[SERIES_MONTHS - 1].month, to, sizeof(to));
	snprintf(desc, sizeof(desc), "Bar chart of %s for %s, one bar a "
	    "month from %s to %s.%s The same figures are in the table "
	    "beside it.", charts[c].title, where, from, to, nstar > 0 ?
	    " A month marked * has a figure withheld because it is too "
	    "small to publish." : "");
	snprintf(caption, sizeof(caption), "%s, %s to %s", charts[c].title,
	    from, to);

	html_raw(sb, "<h3 class=\"nhsuk-heading-s\">");
	html_text(sb, charts[c].title);
	html_raw(sb, "</h3><div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	memset(&chart, 0, sizeof(chart));
	chart.id = charts[c].id;
	chart.title = caption;
	chart.desc = desc;
	chart.bars = bars;
	chart.nbars = SERIES_MONTHS;
	svg_bar_chart(sb, &chart);
	html_raw(sb, "</div><div class=\"nhsuk-grid-column-one-third\">");
	table_head(sb, caption, "Month", "Figure");
	for (i = 0; i < SERIES_MONTHS; i++) {
		month_label(series[i].month, label, sizeof(label));
		table_row(sb, label, value_of(&series[i], m), measures[m].fmt);
	}
	html_raw(sb, "</tbody></table></div></div>");
}

/* The download links of the month's files, through the API route. */
static void
exports_downloads(struct sbuf *sb, const char *month, const char *office,
    const char *label)
{
	static const char *const fmts[][2] = {
		{ "csv", "CSV" }, { "json", "JSON" }
	};
	char	href[128], text[160];
	size_t	i;

	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Download the figures"
	    "</h2><ul class=\"nhsuk-list\">");
	for (i = 0; i < 2; i++) {
		snprintf(href, sizeof(href),
		    "/api/v1/exports/monthly?month=%s&format=%s%s%s", month,
		    fmts[i][0], office != NULL ? "&office=" : "",
		    office != NULL ? office : "");
		snprintf(text, sizeof(text), "Download %s as %s", label,
		    fmts[i][1]);
		html_raw(sb, "<li>");
		html_start(sb, "a");
		html_attr(sb, "href", href);
		html_attr(sb, "download", "");
		html_end(sb);
		html_text(sb, text);
		html_raw(sb, "</a></li>");
	}
	html_raw(sb, "</ul>");
}

/* The 12 months' published rows (the chosen office, or ALL), in series. */
static int
exports_series(struct medex_req *mr, json_t *j, int all,
    struct dc_row *series)
{
	json_t		*months, *m;
	struct dc_row	*rows;
	const char	*month;
	char		*dump, err[128];
	size_t		 i, n;

	months = json_object_get(j, "months");
	if (json_array_size(months) != SERIES_MONTHS)
		return (-1);
	json_array_foreach(months, i, m) {
		month = json_string_value(json_object_get(m, "month"));
		if (month == NULL || (dump = json_dumps(m, JSON_COMPACT)) ==
		    NULL)
			return (-1);
		if (export_rows(dump, strlen(dump), month, all, &rows, &n, err,
		    sizeof(err)) != 0) {
			kore_log(LOG_ERR, "req=%s exports page: %s", mr->reqid,
			    err);
			free(dump);
			return (-1);
		}
		free(dump);
		/* One office's row, or ALL, which comes last. */
		if (n == 0 || (!all && n != 1)) {
			free(rows);
			return (-1);
		}
		series[i] = rows[n - 1];
		free(rows);
	}
	return (0);
}

/* A 500 page in the layout, when the figures cannot be shown. */
static void
exports_failed(struct medex_req *mr)
{
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "Sorry, there is a problem with the service",
	    0, NULL, NAV_NONE);
	page_h1(&mr->body, NULL, "Sorry, there is a problem with the service");
	page_p(&mr->body, "The figures could not be shown; this has been "
	    "logged. Try again later.");
	page_end(&mr->body);
	mr->status = 500;
	mr->content_type = HTML_TYPE;
}

static void
exports_render(struct http_request *req, struct medex_req *mr)
{
	struct exports_req	*x = mr->step_data;
	struct dc_row		 series[SERIES_MONTHS];
	struct page_user	 u;
	struct page_error	 err;
	struct sbuf		*sb = &mr->body;
	json_t			*j;
	const char		*month, *office, *name;
	char			 label[32], where[64], caption[160];
	char			 dl[128];
	size_t			 i;
	int			 national, all, signed_in;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	j = jr_load(mr->body.data, mr->body.len);
	month = json_string_value(json_object_get(j, "month"));
	office = json_string_value(json_object_get(j, "office"));
	name = json_string_value(json_object_get(j, "display_name"));
	national = strcmp(mr->claims.role, "national_analyst") == 0;
	all = office == NULL;
	if (j == NULL || month == NULL || !export_month_valid(month) ||
	    (all && !national) ||
	    exports_series(mr, j, all, series) != 0) {
		if (j != NULL)
			json_decref(j);
		exports_failed(mr);
		return;
	}

	memset(&u, 0, sizeof(u));
	signed_in = role_from_str(mr->claims.role, &u.role) == 0;
	u.username = mr->claims.sub;
	u.display_name = name;
	u.office = mr->claims.office;
	u.csrf = mr->page_csrf;

	month_label(month, label, sizeof(label));
	snprintf(where, sizeof(where), "%s", all ? "all offices" : office);
	sbuf_reset(sb);
	page_begin(sb, "Published figures", x->bad_month,
	    signed_in ? &u : NULL, NAV_EXPORTS);
	if (x->bad_month) {
		err.field = "month";
		err.message = "Enter a month as year and month, for example "
		    "2019-04";
		page_error_summary(sb, &err, 1);
	}
	page_h1(sb, all ? "All offices" : office, "Published figures");
	page_p(sb, "The monthly figures as they are published: counts "
	    "from 1 to 7 are withheld and shown as *, other counts are "
	    "rounded to the nearest 5, and percentages are worked out from "
	    "the rounded counts.");
	exports_form(sb, x, j, month, all ? NULL : office, national);
	if (x->bad_month) {
		page_end(sb);
		json_decref(j);
		mr->status = 400;
		mr->content_type = HTML_TYPE;
		return;
	}

	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">");
	html_text(sb, label);
	html_raw(sb, "</h2>");
	snprintf(caption, sizeof(caption), "Published figures for %s, %s",
	    where, label);
	table_head(sb, caption, "Measure", "Figure");
	for (i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
		table_row(sb, measures[i].label,
		    value_of(&series[SERIES_MONTHS - 1], i), measures[i].fmt);
	html_raw(sb, "</tbody></table>");
	html_raw(sb, "<div class=\"nhsuk-inset-text\" id=\"withheld\">"
	    "<span class=\"nhsuk-u-visually-hidden\">Information: </span>"
	    "<p>* means the figure is withheld: a count from 1 to 7, or a "
	    "median or percentage worked out from too few deaths, could let "
	    "someone identify a person who died. \"None\" means there was "
	    "nothing to measure, for example no scrutiny completed.</p>"
	    "</div>");
	snprintf(dl, sizeof(dl), "the figures for %s, %s", where, label);
	exports_downloads(sb, month, all ? NULL : office, dl);

	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">The last 12 months</h2>");
	for (i = 0; i < sizeof(charts) / sizeof(charts[0]); i++)
		exports_chart(sb, i, series, where);
	page_end(sb);
	json_decref(j);
	mr->status = sb->oom ? 500 : 200;
	mr->content_type = HTML_TYPE;
}

int
pages_exports(struct http_request *req, struct medex_req *mr)
{
	struct exports_req	*x;
	const char		*params[2];
	int			 q;

	x = kore_calloc(1, sizeof(*x));
	mr->step_data = x;
	mr->step_free = kore_free;
	q = query_get(req->query_string, "month", x->month, sizeof(x->month));
	if (q == QUERY_BAD || (q == QUERY_FOUND && x->month[0] != '\0' &&
	    (!export_month_valid(x->month) || strcmp(x->month, "1901") < 0))) {
		x->bad_month = 1;
		if (q == QUERY_FOUND)
			kore_strlcpy(x->typed, x->month, sizeof(x->typed));
		else if (query_get(req->query_string, "month", x->typed,
		    sizeof(x->typed)) != QUERY_FOUND)
			x->typed[0] = '\0';
		x->month[0] = '\0';
	}
	q = query_get(req->query_string, "office", x->office,
	    sizeof(x->office));
	if (q == QUERY_BAD || (q == QUERY_FOUND && x->office[0] != '\0' &&
	    !validate_office_code(x->office)))
		return (pages_error(req, mr, 400, "Choose an office from "
		    "the list."));
	params[0] = x->month[0] != '\0' ? x->month : NULL;
	params[1] = x->office[0] != '\0' ? x->office : NULL;
	mr->on_api_result = exports_render;
	return (api_call(req, mr, sql_series, 2, params));
}
