/*
 * application/x-www-form-urlencoded bodies; see form.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "sbuf.h"

static int	form_hex(char);
static char	*form_decode(const char *, size_t);

static int
form_hex(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* A decoded copy of s[0..len), or NULL when it is not acceptable. */
static char *
form_decode(const char *s, size_t len)
{
	char		*out;
	size_t		 i, o, n;
	int		 hi, lo;
	int32_t		 cp;

	if ((out = malloc(len + 1)) == NULL)
		return (NULL);
	o = 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len)
				goto bad;
			hi = form_hex(s[i + 1]);
			lo = form_hex(s[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
		if (out[o - 1] == '\0')
			goto bad;
	}
	out[o] = '\0';
	if (o > FORM_VALUE_MAX)
		goto bad;
	for (i = 0; i < o; i += n) {
		n = sbuf_utf8_next(out + i, o - i, &cp);
		if (cp == SBUF_UTF8_BAD)
			goto bad;
	}
	return (out);

bad:
	free(out);
	return (NULL);
}

void
form_init(struct form *f)
{
	memset(f, 0, sizeof(*f));
}

int
form_parse(struct form *f, const char *body, size_t len)
{
	const char	*p, *end, *amp, *eq;

	form_init(f);
	p = body;
	end = body + len;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (f->n == FORM_FIELDS_MAX)
			goto bad;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		f->f[f->n].name = form_decode(p, (size_t)(eq - p));
		f->f[f->n].value = eq == amp ? form_decode("", 0) :
		    form_decode(eq + 1, (size_t)(amp - eq - 1));
		f->n++;
		if (f->f[f->n - 1].name == NULL ||
		    f->f[f->n - 1].value == NULL)
			goto bad;
		p = amp + 1;
	}
	return (0);

bad:
	form_free(f);
	return (-1);
}

int
form_add(struct form *f, const char *name, const char *value)
{
	if (f->n == FORM_FIELDS_MAX)
		return (-1);
	f->f[f->n].name = strdup(name);
	f->f[f->n].value = strdup(value);
	if (f->f[f->n].name == NULL || f->f[f->n].value == NULL) {
		free(f->f[f->n].name);
		free(f->f[f->n].value);
		f->f[f->n].name = NULL;
		f->f[f->n].value = NULL;
		return (-1);
	}
	f->n++;
	return (0);
}

void
form_free(struct form *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->f[i].name);
		free(f->f[i].value);
		f->f[i].name = NULL;
		f->f[i].value = NULL;
	}
	f->n = 0;
}

const char *
form_get(const struct form *f, const char *name)
{
	return (form_get_nth(f, name, 0));
}

const char *
form_get_nth(const struct form *f, const char *name, size_t nth)
{
	size_t	i;

	if (f == NULL)
		return (NULL);
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) != 0)
			continue;
		if (nth-- == 0)
			return (f->f[i].value);
	}
	return (NULL);
}

size_t
form_count(const struct form *f, const char *name)
{
	size_t	i, n;

	n = 0;
	for (i = 0; f != NULL && i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0)
			n++;
	}
	return (n);
}
