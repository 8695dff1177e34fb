/*
 * Kore 4.1 checks its header and body timeouts (http_header_timeout,
 * http_body_timeout) only when its event loop wakes, and with no timer
 * and no request in progress a worker sleeps in epoll_wait until the
 * next network event.  On a quiet server a slow or stalled client was
 * therefore never cut off (tests/http/test_faults.c found this).  A
 * timer in every worker wakes the loop twice a second, so the timeouts
 * hold whatever the traffic.
 */
#include "medex.h"
#include "view_chain.h"

#define MEDEX_TICK_MS	500

void	kore_worker_configure(void);

static void
medex_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
}

void
kore_worker_configure(void)
{
	(void)kore_timer_add(medex_tick, MEDEX_TICK_MS, NULL, 0);
	view_chain_start();
}
