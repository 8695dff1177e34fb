/*
 * Raw HTTP over TCP; see testraw.h.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "testlib.h"
#include "testraw.h"

#define TR_READ_MAX	(4 * 1024 * 1024)
#define TR_FD_MAX	1024

/*
 * Over TLS when MEDEX_TEST_URL is https:// (the shipped nginx in front,
 * tests/http/nginx_front.sh): the same bytes, inside TLS, so a test
 * shows what reaches a client through the documented deployment.  The
 * certificate is not checked: these tests are about HTTP, not trust.
 */
static SSL_CTX	*tr_tls_ctx;
static SSL	*tr_ssl[TR_FD_MAX];

static int
tr_tls(void)
{
	return (strncmp(t_url(), "https://", 8) == 0);
}

/* A TLS session on fd, kept in tr_ssl[fd]; 0, or -1. */
static int
tr_handshake(int fd)
{
	SSL	*ssl;

	if (fd >= TR_FD_MAX)
		return (-1);
	if (tr_tls_ctx == NULL &&
	    (tr_tls_ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return (-1);
	SSL_CTX_set_verify(tr_tls_ctx, SSL_VERIFY_NONE, NULL);
	if ((ssl = SSL_new(tr_tls_ctx)) == NULL)
		return (-1);
	if (SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1) {
		SSL_free(ssl);
		return (-1);
	}
	tr_ssl[fd] = ssl;
	return (0);
}

/* Closes fd and its TLS session, if any. */
void
tr_close(int fd)
{
	if (fd >= 0 && fd < TR_FD_MAX && tr_ssl[fd] != NULL) {
		SSL_free(tr_ssl[fd]);
		tr_ssl[fd] = NULL;
	}
	close(fd);
}

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
	if (tr_tls() && tr_handshake(fd) == -1) {
		close(fd);
		return (-1);
	}
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
		if (fd < TR_FD_MAX && tr_ssl[fd] != NULL) {
			n = SSL_write(tr_ssl[fd], p, len > INT_MAX ? INT_MAX :
			    (int)len);
			if (n <= 0)
				return (0);	/* closed: as a reset below */
			p += n;
			len -= (size_t)n;
			continue;
		}
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

/* recv(2), or SSL_read on a TLS connection (-1 for want-read: poll again). */
static ssize_t
tr_recv(int fd, char *buf, size_t len)
{
	int	n;

	if (fd >= TR_FD_MAX || tr_ssl[fd] == NULL)
		return (recv(fd, buf, len, 0));
	n = SSL_read(tr_ssl[fd], buf, (int)len);
	if (n > 0)
		return (n);
	if (SSL_get_error(tr_ssl[fd], n) == SSL_ERROR_WANT_READ) {
		errno = EINTR;
		return (-1);
	}
	return (0);
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
		if ((fd >= TR_FD_MAX || tr_ssl[fd] == NULL ||
		    SSL_pending(tr_ssl[fd]) == 0) && poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = tr_recv(fd, buf, sizeof(buf));
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
	tr_close(fd);
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
