/*
 * Reading a JSON document into a jansson tree, faster than jansson's own
 * json_loadb().
 *
 * Every page reads its figures from one JSON document that PostgreSQL
 * built (sql/pages.sql), and json_loadb() was a quarter of the case
 * page's time in the server: it takes the document a byte at a time
 * through a stream with look-back, checks UTF-8 per character and copies
 * every string twice (issue 21, docs/benchmark.md).  This reader walks
 * the buffer directly, copies a string once (straight from the buffer
 * when it has no escapes) and builds the same tree with jansson's own
 * constructors, so the pages keep jansson's API.
 *
 * It is jr_*, not json_*, to keep clear of jansson's names (see
 * json_writer.h).  Same answers as json_loadb(buf, len, 0, NULL), which
 * tests/unit/check_json_reader.c checks against jansson itself:
 *   - the top level is an object or an array;
 *   - RFC 8259 grammar, nothing but white space after the document;
 *   - strings are well-formed UTF-8 with no control characters, and no
 *     U+0000 (escaped or not); \u escapes pair their surrogates;
 *   - a number without '.', 'e' or 'E' is an integer (json_int_t; out of
 *     range is an error), else a real (overflow to infinity is an error);
 *   - a key given twice keeps its last value;
 *   - nesting deeper than JR_MAX_DEPTH is an error.
 * One difference, where jansson is wrong: a NUL byte is refused
 * wherever it stands, where jansson lets one through just after a
 * number or a literal ("[1\0]" reads as [1]).  PostgreSQL's text never
 * holds one.
 */
#ifndef MEDEX_JSON_READER_H
#define MEDEX_JSON_READER_H

#include <stddef.h>

#include <jansson.h>

#define JR_MAX_DEPTH	2048	/* jansson's JSON_PARSER_MAX_DEPTH */

/* A new reference, or NULL when buf is not one such document. */
json_t	*jr_load(const char *buf, size_t len);

#endif
