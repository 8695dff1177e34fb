/*
 * Raw HTTP over TCP; see testraw.h.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "testraw.h"

#define TR_READ_MAX	(4 * 1024 * 1024)

long
tr_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The port of MEDEX_TEST_URL ("http://127.0.0.1:PORT"). */
int
tr_port(void)
{
	const char	*u, *p;

	u = t_url();
	if ((p = strrchr(u, ':')) == NULL || p[1] < '0' || p[1] > '9')
		return (80);
	return (atoi(p + 1));
}

/* A connected socket to the server, or -1. */
int
tr_connect(void)
{
	struct sockaddr_in	sin;
	int			fd, on;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (-1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)tr_port());
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return (-1);
	}
	on = 1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return (fd);
}

/*
 * Writes all of buf.  A server that closes early (it may, on a request
 * it refuses before reading it all) is not an error here: 0 either way,
 * -1 only on a socket error other than a reset or a broken pipe.
 */
int
tr_send(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return (0);
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* 1 when data holds a whole response (headers and Content-Length body). */
static int
tr_complete(struct tr_resp *r)
{
	char		*end, *cl;
	size_t		 hlen, blen;

	if ((end = strstr(r->data, "\r\n\r\n")) == NULL)
		return (0);
	hlen = (size_t)(end - r->data) + 4;
	r->body = r->data + hlen;
	r->body_len = r->len - hlen;
	blen = 0;
	if ((cl = tr_header(r, "content-length")) != NULL) {
		blen = strtoul(cl, NULL, 10);
		free(cl);
	}
	return (r->len - hlen >= blen);
}

/*
 * Reads one response, until it is whole, the server closes, or
 * timeout_ms passes.  0, or -1 on a socket error.
 */
int
tr_read(int fd, int timeout_ms, struct tr_resp *r)
{
	struct pollfd	 pfd;
	char		 buf[16384], *p;
	long		 deadline, left;
	ssize_t		 n;

	memset(r, 0, sizeof(*r));
	r->data = calloc(1, 1);
	deadline = tr_now_ms() + timeout_ms;
	for (;;) {
		if ((left = deadline - tr_now_ms()) <= 0) {
			r->timed_out = 1;
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->closed = 1;
			break;
		}
		if (r->len + (size_t)n > TR_READ_MAX)
			break;
		if ((p = realloc(r->data, r->len + (size_t)n + 1)) == NULL)
			return (-1);
		r->data = p;
		memcpy(r->data + r->len, buf, (size_t)n);
		r->len += (size_t)n;
		r->data[r->len] = '\0';
		if (tr_complete(r))
			break;
	}
	if (r->len > 9 && strncmp(r->data, "HTTP/1.", 7) == 0)
		r->status = atoi(r->data + 9);
	if (!tr_complete(r)) {
		r->body = NULL;
		r->body_len = 0;
	}
	return (0);
}

/* One request on a new connection, then the connection is closed. */
int
tr_exchange(const void *req, size_t len, int timeout_ms, struct tr_resp *r)
{
	int	fd, ret;

	memset(r, 0, sizeof(*r));
	if ((fd = tr_connect()) == -1)
		return (-1);
	ret = tr_send(fd, req, len);
	if (ret == 0)
		ret = tr_read(fd, timeout_ms, r);
	close(fd);
	return (ret);
}

/* A response header's value (case-insensitive), malloc'd, or NULL. */
char *
tr_header(const struct tr_resp *r, const char *name)
{
	const char	*p, *eol, *end;
	size_t		 n;

	if (r->data == NULL)
		return (NULL);
	n = strlen(name);
	end = strstr(r->data, "\r\n\r\n");
	for (p = strstr(r->data, "\r\n"); p != NULL && p < end; p = eol) {
		p += 2;
		if ((eol = strstr(p, "\r\n")) == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			return (strndup(p, (size_t)(eol - p)));
		}
	}
	return (NULL);
}

void
tr_resp_free(struct tr_resp *r)
{
	free(r->data);
	memset(r, 0, sizeof(*r));
}
