/*
 * A deadline in words for the work lists (issue 18): "due today", "due
 * tomorrow", "due in 3 days", "1 day overdue", "2 days overdue".  Days
 * are London calendar days (london_time.h), not 24-hour spans: a
 * deadline at 09:00 tomorrow is "due tomorrow" at 23:00 today.
 */
#ifndef MEDEX_DEADLINE_WORDS_H
#define MEDEX_DEADLINE_WORDS_H

#include <stddef.h>
#include <time.h>

/* London days from now's date to deadline's: 0 today, -2 two ago. */
long	deadline_days(time_t, time_t);

/* The words for deadline (UTC) seen at now, in buf. */
void	deadline_words(time_t, time_t, char *, size_t);

/*
 * The same for the API's "2026-07-01T13:00:00Z"; 0, or -1 (and "-" in
 * buf) for NULL or text that is not such a time.
 */
int	deadline_words_str(const char *, time_t, char *, size_t);

#endif
