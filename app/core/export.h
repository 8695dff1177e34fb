/*
 * The monthly transparency export, from the raw figures the database
 * computes (export_raw() in sql/exports.sql) to the published bytes: parse,
 * apply disclosure control (disclosure.c), render CSV or JSON.  The HTTP
 * route and `medexctl export` both call export_render(), so the two give
 * the same bytes by construction.
 *
 * Raw input: {"rows":[{"office":"CODE","deaths_notified":n, ...,
 * "days":[d, ...]}, ...]} with every count column of API.md's table
 * except the percentage and median, which are derived here.
 *
 * export_rows() stops before the bytes: the published rows as structs
 * (for the exports page), through the same disclosure path.
 */
#ifndef MEDEX_EXPORT_H
#define MEDEX_EXPORT_H

#include <stddef.h>

#include "disclosure.h"
#include "sbuf.h"

#define EXPORT_CSV	1
#define EXPORT_JSON	2
#define EXPORT_OFFICES_MAX	1000

int	export_month_valid(const char *);
int	export_rows(const char *, size_t, const char *, int,
	    struct dc_row **, size_t *, char *, size_t);
int	export_render(const char *, size_t, const char *, int, int,
	    struct sbuf *, char *, size_t);
void	export_filename(const char *, const char *, int, char *, size_t);

#endif
