/*
 * UK civil time (Europe/London) without the C library's TZ machinery,
 * so that the pages' "When" fields mean the same on every machine and
 * are unit-tested: GMT, and BST (UTC+1) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October (the rule
 * since 1996; medex's times are recent).
 *
 * london_to_utc() reads a local date and time.  A time in the hour
 * that the clocks skip in March is read as GMT (01:30 is 01:30Z, i.e.
 * 02:30 BST); one in the hour that October repeats is the first, BST.
 */
#ifndef MEDEX_LONDON_TIME_H
#define MEDEX_LONDON_TIME_H

#include <time.h>

/* 3600 when t (UTC) falls in BST, else 0. */
int	london_offset(time_t);

/* Local y-m-d h:m to UTC in *out; -1 (and *out untouched) if invalid. */
int	london_to_utc(int, int, int, int, int, time_t *);

/* t as London wall-clock time in *tm; "BST" or "GMT". */
const char	*london_from_utc(time_t, struct tm *);

/*
 * "2026-07-01T13:00:00Z" (any RFC 3339 offset) -> "1 Jul 2026 14:00
 * BST"; a date alone "2026-07-01" -> "1 Jul 2026"; NULL -> "-".  Text
 * it cannot read is copied as it is.
 */
void	london_format(const char *, char *, size_t);

#endif
