/*
 * GET /cases/{id}/referral-document: the coroner referral document as
 * a printable page, and GET /cases/{id}/referral-document/pdf: the same
 * document as a PDF made here with libharu (issue 23).  Both render the
 * text model of app/core/referral_doc.c, so they say the same thing.
 * One SQL call (api_page_referral_document, sql/referral.sql), which
 * records a `printed` event naming the document.  A case without a
 * referral answers 409 with a page saying so.
 *
 * libharu rather than cairo: the document is text and lines, and
 * libharu writes exactly that in a small C library with its own base-14
 * fonts, without cairo's font and rendering stack (fontconfig,
 * freetype, pixman).  The base-14 fonts read WinAnsi (Windows-1252):
 * text is converted to it, and a character it lacks (Welsh ŵ and ŷ
 * among them) is printed as '?' in the PDF, though not on the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "case_parts.h"
#include "case_record.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "referral_doc.h"

#define PDF_TYPE	"application/pdf"
#define PDF_MARGIN	56.0f

static const char sql_referral_doc[] =
    "SELECT * FROM api_page_referral_document($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::boolean)";

/* The page's state between the two elements of a list or summary. */
enum open_block { OPEN_NONE, OPEN_DL, OPEN_UL };

static void
block_close(struct sbuf *sb, enum open_block *ob)
{
	if (*ob == OPEN_DL)
		html_raw(sb, "</dl>");
	else if (*ob == OPEN_UL)
		html_raw(sb, "</ul>");
	*ob = OPEN_NONE;
}

static void
block_open(struct sbuf *sb, enum open_block *ob, enum open_block want)
{
	if (*ob == want)
		return;
	block_close(sb, ob);
	if (want == OPEN_DL)
		html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	else
		html_raw(sb, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
	*ob = want;
}

static void
no_referral(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	char	href[96];

	pc->status = 409;
	pc->content_type = NULL;
	pc_begin(mr, pc, sb, "No referral to the coroner", 0);
	snprintf(href, sizeof(href), "/cases/%s", pc->id);
	html_raw(sb, "<a class=\"nhsuk-back-link\"");
	html_attr(sb, "href", href);
	html_raw(sb, ">Back to the case</a><h1 class=\"nhsuk-heading-l\">"
	    "No referral to the coroner</h1><p class=\"nhsuk-body\">This "
	    "case has no referral to the coroner recorded, so there is no "
	    "document to send. Record the referral first.</p>");
	page_end(sb);
}

/* GET /cases/{id}/referral-document */
static void
render_page(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	struct referral_doc	 d;
	enum open_block		 ob = OPEN_NONE;
	size_t			 i;
	char			 href[96];

	if (referral_doc_build(&d, pc->page) != 0) {
		no_referral(mr, pc, sb);
		return;
	}
	pc_begin(mr, pc, sb, "Coroner referral document", 0);
	snprintf(href, sizeof(href), "/cases/%s", pc->id);
	html_raw(sb, "<a class=\"nhsuk-back-link medex-no-print\"");
	html_attr(sb, "href", href);
	html_raw(sb, ">Back to the case</a>");
	for (i = 0; i < d.n; i++) {
		switch (d.lines[i].kind) {
		case RD_TITLE:
			block_close(sb, &ob);
			html_raw(sb, "<h1 class=\"nhsuk-heading-l\">");
			html_text(sb, d.lines[i].text);
			html_raw(sb, "</h1>");
			snprintf(href, sizeof(href),
			    "/cases/%s/referral-document/pdf", pc->id);
			html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
			html_start(sb, "a");
			html_attr(sb, "href", href);
			html_attr(sb, "id", "referral-pdf-link");
			html_end(sb);
			html_raw(sb, "Download the document as a PDF</a> "
			    "to send to the coroner, or print this page.</p>");
			break;
		case RD_TEXT:
			block_close(sb, &ob);
			html_raw(sb, "<p class=\"nhsuk-body\">");
			html_text(sb, d.lines[i].text);
			html_raw(sb, "</p>");
			break;
		case RD_HEADING:
			block_close(sb, &ob);
			html_raw(sb, "<h2 class=\"nhsuk-heading-m\">");
			html_text(sb, d.lines[i].text);
			html_raw(sb, "</h2>");
			break;
		case RD_FIELD:
			block_open(sb, &ob, OPEN_DL);
			cr_row(sb, d.lines[i].label, d.lines[i].text, NULL);
			break;
		case RD_ITEM:
			block_open(sb, &ob, OPEN_UL);
			html_raw(sb, "<li>");
			html_text(sb, d.lines[i].text);
			html_raw(sb, "</li>");
			break;
		}
	}
	block_close(sb, &ob);
	page_end(sb);
	if (d.oom)
		sb->oom = 1;
	referral_doc_free(&d);
}

/* Windows-1252 for the code points 0x80-0x9f it places differently. */
static const struct {
	unsigned int	cp;
	unsigned char	b;
} cp1252[] = {
	{ 0x20ac, 0x80 }, { 0x201a, 0x82 }, { 0x0192, 0x83 },
	{ 0x201e, 0x84 }, { 0x2026, 0x85 }, { 0x2020, 0x86 },
	{ 0x2021, 0x87 }, { 0x02c6, 0x88 }, { 0x2030, 0x89 },
	{ 0x0160, 0x8a }, { 0x2039, 0x8b }, { 0x0152, 0x8c },
	{ 0x017d, 0x8e }, { 0x2018, 0x91 }, { 0x2019, 0x92 },
	{ 0x201c, 0x93 }, { 0x201d, 0x94 }, { 0x2022, 0x95 },
	{ 0x2013, 0x96 }, { 0x2014, 0x97 }, { 0x02dc, 0x98 },
	{ 0x2122, 0x99 }, { 0x0161, 0x9a }, { 0x203a, 0x9b },
	{ 0x0153, 0x9c }, { 0x017e, 0x9e }, { 0x0178, 0x9f },
};

/* UTF-8 (checked by the API on the way in) to WinAnsi, '?' if absent. */
static void
to_winansi(const char *in, char *out, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	unsigned int		 cp;
	size_t			 n = 0, i, more;

	while (*p != '\0' && n + 1 < len) {
		if (*p < 0x80) {
			cp = *p++;
			more = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p++ & 0x1f;
			more = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p++ & 0x0f;
			more = 2;
		} else {
			cp = *p++ & 0x07;
			more = 3;
		}
		for (i = 0; i < more && (*p & 0xc0) == 0x80; i++)
			cp = (cp << 6) | (*p++ & 0x3f);
		if (cp == '\t')
			cp = ' ';
		if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) {
			out[n++] = (char)cp;
			continue;
		}
		out[n] = '?';
		for (i = 0; i < sizeof(cp1252) / sizeof(cp1252[0]); i++) {
			if (cp1252[i].cp == cp)
				out[n] = (char)cp1252[i].b;
		}
		n++;
	}
	out[n] = '\0';
}

struct pdf_pen {
	HPDF_Doc	 pdf;
	HPDF_Page	 page;
	HPDF_Font	 regular, bold;
	float		 y, width;
};

static void
pdf_new_page(struct pdf_pen *p)
{
	p->page = HPDF_AddPage(p->pdf);
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->width = HPDF_Page_GetWidth(p->page) - 2 * PDF_MARGIN;
	p->y = HPDF_Page_GetHeight(p->page) - PDF_MARGIN;
}

/*
 * Text wrapped at word boundaries within the width (a word longer
 * than a line is cut), on a new page when the page is full; a line
 * feed in the text starts a new line.
 */
static void
pdf_text(struct pdf_pen *p, HPDF_Font font, float size, float indent,
    const char *utf8)
{
	char		*text, *s, *nl, keep;
	size_t		 len;
	HPDF_UINT	 fit;

	/* WinAnsi takes at most as many bytes as the UTF-8 it comes from. */
	len = strlen(utf8) + 1;
	if ((text = malloc(len)) == NULL)
		return;
	to_winansi(utf8, text, len);
	s = text;
	do {
		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		do {
			if (p->y < PDF_MARGIN + size)
				pdf_new_page(p);
			HPDF_Page_SetFontAndSize(p->page, font, size);
			fit = HPDF_Page_MeasureText(p->page, s,
			    p->width - indent, HPDF_TRUE, NULL);
			if (fit == 0)
				fit = HPDF_Page_MeasureText(p->page, s,
				    p->width - indent, HPDF_FALSE, NULL);
			if (fit == 0)
				fit = (HPDF_UINT)strlen(s);
			keep = s[fit];
			s[fit] = '\0';
			p->y -= size * 1.3f;
			HPDF_Page_BeginText(p->page);
			HPDF_Page_TextOut(p->page, PDF_MARGIN + indent, p->y, s);
			HPDF_Page_EndText(p->page);
			s[fit] = keep;
			s += fit;
			s += strspn(s, " ");
		} while (*s != '\0');
		if (nl != NULL)
			s = nl + 1;
	} while (nl != NULL);
	free(text);
}

static void
pdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	(void)error;
	(void)detail;
	*(int *)arg = 1;
}

/* The model as an A4 PDF into sb; 0, or -1 when libharu failed. */
static int
pdf_write(const struct referral_doc *d, struct sbuf *sb)
{
	struct pdf_pen	 p;
	HPDF_BYTE	 buf[8192];
	HPDF_UINT32	 len;
	size_t		 i;
	int		 failed = 0, ret = -1;

	if ((p.pdf = HPDF_New(pdf_error, &failed)) == NULL)
		return (-1);
	HPDF_SetCompressionMode(p.pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(p.pdf, HPDF_INFO_TITLE, "Referral of a death to the "
	    "coroner");
	HPDF_SetInfoAttr(p.pdf, HPDF_INFO_CREATOR, "medex");
	p.regular = HPDF_GetFont(p.pdf, "Helvetica", "WinAnsiEncoding");
	p.bold = HPDF_GetFont(p.pdf, "Helvetica-Bold", "WinAnsiEncoding");
	pdf_new_page(&p);
	for (i = 0; i < d->n && !failed; i++) {
		switch (d->lines[i].kind) {
		case RD_TITLE:
			pdf_text(&p, p.bold, 18, 0, d->lines[i].text);
			p.y -= 6;
			break;
		case RD_HEADING:
			p.y -= 10;
			pdf_text(&p, p.bold, 13, 0, d->lines[i].text);
			p.y -= 2;
			break;
		case RD_TEXT:
			pdf_text(&p, p.regular, 10.5f, 0, d->lines[i].text);
			p.y -= 3;
			break;
		case RD_FIELD:
			pdf_text(&p, p.bold, 10.5f, 0, d->lines[i].label);
			pdf_text(&p, p.regular, 10.5f, 14, d->lines[i].text);
			p.y -= 3;
			break;
		case RD_ITEM:
			/* A bullet (U+2022, WinAnsi 0x95) before the item. */
			pdf_text(&p, p.regular, 10.5f, 4, "\xe2\x80\xa2");
			p.y += 10.5f * 1.3f;
			pdf_text(&p, p.regular, 10.5f, 14, d->lines[i].text);
			break;
		}
	}
	if (failed || HPDF_SaveToStream(p.pdf) != HPDF_OK)
		goto cleanup;
	HPDF_ResetStream(p.pdf);
	for (;;) {
		len = sizeof(buf);
		if (HPDF_ReadFromStream(p.pdf, buf, &len) != HPDF_OK &&
		    len == 0)
			break;
		sbuf_append(sb, buf, len);
		if (len < sizeof(buf))
			break;
	}
	ret = failed || sb->oom ? -1 : 0;

cleanup:
	HPDF_Free(p.pdf);
	return (ret);
}

/* GET /cases/{id}/referral-document/pdf */
static void
render_pdf(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	struct referral_doc	d;

	if (referral_doc_build(&d, pc->page) != 0) {
		no_referral(mr, pc, sb);
		return;
	}
	if (d.oom || pdf_write(&d, sb) != 0)
		sb->oom = 1;
	referral_doc_free(&d);
}

static int
referral_page(struct http_request *req, struct medex_req *mr, int pdf)
{
	struct pc	*pc;
	const char	*p[3];
	char		 disp[160];

	pc = pc_new(mr);
	pc->render = pdf ? render_pdf : render_page;
	if (pdf) {
		pc->content_type = PDF_TYPE;
		/* The name from the URL only when it is an id (digits). */
		snprintf(disp, sizeof(disp), "inline; filename=\"coroner-"
		    "referral-%s.pdf\"", pc->id[0] != '\0' &&
		    pc->id[strspn(pc->id, "0123456789")] == '\0' ? pc->id :
		    "case");
		http_response_header(req, "content-disposition", disp);
	}
	p[0] = pc->id;
	p[1] = case_role_ok(mr->claims.role, R_PAGE_REFERRAL_DOC);
	p[2] = pdf ? "true" : "false";
	pc_add(pc, sql_referral_doc, 3, p, &pc->page, 0);
	return (pc_run(req, mr));
}

int
pages_referral_document(struct http_request *req, struct medex_req *mr)
{
	return (referral_page(req, mr, 0));
}

int
pages_referral_pdf(struct http_request *req, struct medex_req *mr)
{
	return (referral_page(req, mr, 1));
}
