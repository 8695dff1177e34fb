/*
 * Raw HTTP over TCP for the hostile-input and fault scenarios: bytes are
 * sent exactly as given (no client library to tidy them up) and the
 * answer is read with a deadline, so that a server that hangs fails the
 * test instead of stalling it.
 */
#ifndef MEDEX_TESTRAW_H
#define MEDEX_TESTRAW_H

#include <stddef.h>

struct tr_resp {
	int	 status;	/* 0: no status line came */
	int	 closed;	/* the server closed (or reset) the connection */
	int	 timed_out;	/* the deadline passed first */
	char	*data;		/* everything read, NUL-terminated */
	size_t	 len;
	char	*body;		/* into data, after the headers, or NULL */
	size_t	 body_len;
};

int	 tr_port(void);
int	 tr_connect(void);
int	 tr_send(int, const void *, size_t);
int	 tr_read(int, int, struct tr_resp *);
void	 tr_close(int);
int	 tr_exchange(const void *, size_t, int, struct tr_resp *);
char	*tr_header(const struct tr_resp *, const char *);
void	 tr_resp_free(struct tr_resp *);
long	 tr_now_ms(void);

#endif
