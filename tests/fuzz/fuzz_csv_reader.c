/*
 * The CSV reader of `medexctl import cases` fed arbitrary bytes, read
 * in chunks whose size the first byte picks (so records and UTF-8
 * sequences are cut at every place): it ends, every record has 1 to
 * CSV_FIELDS_MAX fields, every field is well-formed UTF-8, and the
 * record numbers only grow.  Each record also goes through the import
 * row checks, against a header of every layout column.
 */
#include <unistr.h>

#include "fuzz.h"
#include "csv_reader.h"
#include "import_row.h"

struct src {
	const uint8_t	*data;
	size_t		 len;
	size_t		 pos;
	size_t		 chunk;
};

static ssize_t
src_read(void *arg, char *buf, size_t n)
{
	struct src	*s = arg;

	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return ((ssize_t)n);
}

static struct csv_reader	rd;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct import_map	 map;
	struct import_row	 row;
	struct ferrs		 fe;
	struct src		 s;
	enum csv_result		 res;
	long			 last;
	size_t			 i;

	if (len == 0)
		return (0);
	s.chunk = (size_t)data[0] + 1;
	s.data = data + 1;
	s.len = len - 1;
	s.pos = 0;
	ferr_init(&fe);
	FUZZ_ASSERT(import_header(&map, (char **)(uintptr_t)import_columns,
	    IC_COUNT, &fe) == 0);
	FUZZ_ASSERT(csv_reader_init(&rd, src_read, &s) == 0);
	last = 0;
	while ((res = csv_next(&rd)) == CSV_RECORD) {
		FUZZ_ASSERT(rd.record > last);
		last = rd.record;
		FUZZ_ASSERT(rd.nfields >= 1 && rd.nfields <= CSV_FIELDS_MAX);
		for (i = 0; i < rd.nfields; i++)
			FUZZ_ASSERT(u8_check((const uint8_t *)rd.fields[i],
			    strlen(rd.fields[i])) == NULL);
		ferr_init(&fe);
		if (import_row_read(&map, rd.fields, rd.nfields, 1791028800,
		    &row, &fe) == 0)
			import_row_free(&row);
		else
			FUZZ_ASSERT(fe.n > 0);
	}
	FUZZ_ASSERT(res != CSV_ERR_READ && res != CSV_ERR_NOMEM);
	csv_reader_free(&rd);
	return (0);
}
