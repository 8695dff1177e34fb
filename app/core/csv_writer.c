/*
 * The RFC 4180 CSV writer; see csv_writer.h for the contract.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csv_writer.h"
#include "sbuf.h"

static int	csv_formula_start(unsigned char);

/* What Excel, LibreOffice and Sheets take as the start of a formula. */
static int
csv_formula_start(unsigned char c)
{
	return (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r');
}

void
csv_init(struct csv_writer *cw, struct sbuf *sb)
{
	cw->sb = sb;
	cw->ncells = 0;
}

int
csv_cell(struct csv_writer *cw, const char *s)
{
	if (s == NULL)
		s = "";
	return (csv_cell_len(cw, s, strlen(s)));
}

/*
 * Two passes: the first finds the first byte that will be written (NULs
 * are dropped, so it is not always s[0]) and whether the cell needs
 * quotes; the second writes it, copying runs of plain bytes at once.
 * Dropping NULs and replacing bad UTF-8 never adds a comma, quote, CR
 * or LF, so the first pass may look at the input as it is.
 */
int
csv_cell_len(struct csv_writer *cw, const char *s, size_t len)
{
	struct sbuf	*sb;
	size_t		 i, start, n;
	unsigned char	 c;
	int32_t		 cp;
	int		 quote, first;

	sb = cw->sb;
	if (s == NULL) {
		s = "";
		len = 0;
	}
	quote = 0;
	first = -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (first == -1 && c != '\0')
			first = c;
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			quote = 1;
	}

	if (cw->ncells > 0)
		(void)sbuf_appendc(sb, ',');
	cw->ncells++;
	if (quote)
		(void)sbuf_appendc(sb, '"');
	if (first != -1 && csv_formula_start((unsigned char)first))
		(void)sbuf_appendc(sb, '\'');

	start = 0;
	i = 0;
	while (i < len) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			n = sbuf_utf8_next(s + i, len - i, &cp);
			if (cp != SBUF_UTF8_BAD) {
				i += n;
				continue;
			}
			(void)sbuf_append(sb, s + start, i - start);
			(void)sbuf_appends(sb, SBUF_UTF8_REPLACEMENT);
			i += n;
			start = i;
			continue;
		}
		if (c != '"' && c != '\0') {
			i++;
			continue;
		}
		/* A quote is written twice: the run so far, then one more. */
		if (c == '"') {
			(void)sbuf_append(sb, s + start, i - start + 1);
			(void)sbuf_appendc(sb, '"');
		} else {
			(void)sbuf_append(sb, s + start, i - start);
		}
		i++;
		start = i;
	}
	(void)sbuf_append(sb, s + start, i - start);
	if (quote)
		(void)sbuf_appendc(sb, '"');

	return (sb->oom ? -1 : 0);
}

int
csv_cell_int(struct csv_writer *cw, long long v)
{
	char	buf[32];
	int	n;

	n = snprintf(buf, sizeof(buf), "%lld", v);
	return (csv_cell_len(cw, buf, (size_t)n));
}

int
csv_cell_tenths(struct csv_writer *cw, long long tenths)
{
	char	buf[SBUF_TENTHS_MAX];
	size_t	n;

	n = sbuf_tenths_str(buf, tenths);
	return (csv_cell_len(cw, buf, n));
}

int
csv_row_end(struct csv_writer *cw)
{
	cw->ncells = 0;
	return (sbuf_append(cw->sb, "\r\n", 2));
}
