/*
 * medexctl audit checkpoint --key PRIVATE.pem [--out FILE]
 * medexctl audit verify ... --checkpoint FILE --key KEY.pem
 *
 * `audit verify` alone proves that every chain is consistent, which the
 * database's owner can arrange after rewriting one: change an event,
 * recompute its hash and every later one.  A checkpoint is the head of
 * every chain (case, seq, hash) at a moment, signed with a key the
 * database never holds (app/core/checkpoint.c).  Verified against one,
 * each checkpointed event must still be there with the same hash: a
 * rewritten or removed history fails, naming the case and the event.
 * Taken daily from a timer and shipped off the machine
 * (docs/operations.md, "Security log and audit verification").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "checkpoint.h"
#include "sbuf.h"

#define CHECKPOINT_MAX		(4UL << 30)	/* 4 GiB: 50M cases */
#define CHECKPOINT_BATCH	1000

static const char sql_heads[] =
    "SELECT office_id, id, event_seq, event_hash FROM cases "
    "WHERE event_seq > 0 ORDER BY id";
static const char sql_check[] =
    "SELECT c.case_id, c.seq, coalesce(e.hash, '') "
    "FROM unnest($1::bigint[], $2::integer[]) AS c(case_id, seq) "
    "LEFT JOIN case_events e ON e.case_id = c.case_id AND e.seq = c.seq "
    "ORDER BY c.case_id";

/* BEGIN a read-only snapshot with the office's rows visible. */
static int
office_begin(PGconn *db, const char *office_id)
{
	if (!cli_exec_ok(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return (0);
	return (cli_office_set(db, office_id));
}

/* The heads of one office's chains, appended as "head" lines. */
static int
heads_of_office(PGconn *db, const char *office_id, struct sbuf *sb,
    long long *n)
{
	PGresult	*res;
	int		 i, ok;

	if (!office_begin(db, office_id))
		return (0);
	res = PQexec(db, sql_heads);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	for (i = 0; ok && i < PQntuples(res); i++) {
		sbuf_appendf(sb, "head %s %s %s %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3));
		(*n)++;
	}
	PQclear(res);
	(void)cli_exec_ok(db, "ROLLBACK");
	return (ok && !sb->oom);
}

static int
checkpoint_write(const char *key, const char *out)
{
	PGconn		*db;
	PGresult	*offices;
	struct sbuf	 sb;
	FILE		*fp;
	char		 sig[256], err[160], at[32];
	time_t		 now;
	long long	 n;
	int		 i, ret;

	ret = 1;
	fp = NULL;
	offices = NULL;
	sbuf_init(&sb, CHECKPOINT_MAX);
	if ((db = cli_db_connect_reader()) == NULL)
		return (2);
	now = time(NULL);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	sbuf_appends(&sb, CHECKPOINT_MAGIC);
	sbuf_appendf(&sb, "at %s\n", at);
	offices = PQexec(db, "SELECT id FROM offices ORDER BY id");
	if (PQresultStatus(offices) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		goto cleanup;
	}
	n = 0;
	for (i = 0; i < PQntuples(offices); i++)
		if (!heads_of_office(db, PQgetvalue(offices, i, 0), &sb, &n))
			goto cleanup;
	if (checkpoint_sign(key, sb.data, sb.len, sig, sizeof(sig), err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s: %s\n", key, err);
		goto cleanup;
	}
	sbuf_appends(&sb, sig);
	if (out != NULL && (fp = fopen(out, "wx")) == NULL) {
		fprintf(stderr, "medexctl: cannot create %s (it must not "
		    "exist)\n", out);
		goto cleanup;
	}
	if (fwrite(sb.data, 1, sb.len, fp != NULL ? fp : stdout) != sb.len ||
	    (fp != NULL && fclose(fp) != 0)) {
		fp = NULL;
		fprintf(stderr, "medexctl: writing the checkpoint failed\n");
		goto cleanup;
	}
	fp = NULL;
	fprintf(stderr, "audit: checkpoint of %lld chains at %s%s%s\n", n, at,
	    out != NULL ? " in " : "", out != NULL ? out : "");
	ret = 0;
cleanup:
	if (fp != NULL)
		fclose(fp);
	PQclear(offices);
	PQfinish(db);
	sbuf_free(&sb);
	return (ret);
}

/* Reads a whole file into sb: 0, or -1. */
static int
file_read(const char *path, struct sbuf *sb)
{
	FILE	*fp;
	char	 buf[65536];
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (!sbuf_append(sb, buf, n))
			break;
	fclose(fp);
	return (sb->oom || sb->data == NULL ? -1 : 0);
}

struct batch {
	char		office[24];
	struct sbuf	ids;
	struct sbuf	seqs;
	const char	*hashes[CHECKPOINT_BATCH];
	int		n;
};

/* One office's batch of heads against the database: the count broken. */
static int
batch_check(PGconn *db, struct batch *b, const char *at)
{
	PGresult	*res;
	const char	*params[2];
	int		 i, broken;

	if (b->n == 0)
		return (0);
	sbuf_appendc(&b->ids, '}');
	sbuf_appendc(&b->seqs, '}');
	broken = 0;
	if (!office_begin(db, b->office))
		return (1);
	params[0] = b->ids.data;
	params[1] = b->seqs.data;
	res = PQexecParams(db, sql_check, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != b->n) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		broken = 1;
	}
	for (i = 0; broken == 0 && i < PQntuples(res); i++) {
		if (PQgetvalue(res, i, 2)[0] == '\0') {
			printf("audit: broken against the checkpoint of %s: "
			    "case %s: event seq %s is gone\n", at,
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
			broken++;
		} else if (strcmp(PQgetvalue(res, i, 2), b->hashes[i]) != 0) {
			printf("audit: broken against the checkpoint of %s: "
			    "case %s: event seq %s is not the event "
			    "checkpointed (the trail up to it was rewritten)\n",
			    at, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
			broken++;
		}
	}
	PQclear(res);
	(void)cli_exec_ok(db, "ROLLBACK");
	sbuf_reset(&b->ids);
	sbuf_reset(&b->seqs);
	b->n = 0;
	return (broken);
}

/*
 * Heads come in the file office by office, cases in id order within one
 * (checkpoint_write), which is the order sql_check answers in.
 */
static int
heads_check(PGconn *db, char *body, const char *at, long long *n)
{
	static struct checkpoint_head	 h[CHECKPOINT_BATCH];
	struct checkpoint_head		 cur;
	struct batch			 b;
	char				*line, *next, office[24];
	int				 broken, r;

	memset(&b, 0, sizeof(b));
	sbuf_init(&b.ids, 64UL * CHECKPOINT_BATCH);
	sbuf_init(&b.seqs, 64UL * CHECKPOINT_BATCH);
	broken = 0;
	for (line = body; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((r = checkpoint_parse_head(line, &cur)) == 0)
			continue;
		if (r < 0) {
			printf("audit: a malformed line in the checkpoint\n");
			broken++;
			break;
		}
		snprintf(office, sizeof(office), "%lld", cur.office_id);
		if (b.n == CHECKPOINT_BATCH || (b.n > 0 &&
		    strcmp(office, b.office) != 0))
			broken += batch_check(db, &b, at);
		snprintf(b.office, sizeof(b.office), "%s", office);
		h[b.n] = cur;
		sbuf_appendf(&b.ids, "%c%lld", b.n == 0 ? '{' : ',',
		    cur.case_id);
		sbuf_appendf(&b.seqs, "%c%lld", b.n == 0 ? '{' : ',', cur.seq);
		b.hashes[b.n] = h[b.n].hash;
		b.n++;
		(*n)++;
	}
	broken += batch_check(db, &b, at);
	sbuf_free(&b.ids);
	sbuf_free(&b.seqs);
	return (broken);
}

int
cli_checkpoint_verify(PGconn *db, const char *path, const char *key)
{
	struct sbuf	 sb;
	char		 err[160], at[32];
	const char	*p;
	size_t		 body;
	long long	 n;
	int		 broken;

	sbuf_init(&sb, CHECKPOINT_MAX);
	if (file_read(path, &sb) != 0) {
		fprintf(stderr, "medexctl: cannot read %s\n", path);
		sbuf_free(&sb);
		return (2);
	}
	if (checkpoint_verify(key, sb.data, sb.len, &body, err,
	    sizeof(err)) != 0) {
		printf("audit: checkpoint %s refused: %s\n", path, err);
		sbuf_free(&sb);
		return (1);
	}
	sb.data[body] = '\0';
	at[0] = '\0';
	if ((p = strstr(sb.data, "\nat ")) != NULL)
		sscanf(p + 4, "%31s", at);
	n = 0;
	broken = heads_check(db, sb.data, at, &n);
	sbuf_free(&sb);
	if (broken == 0)
		printf("audit: %lld chains match the checkpoint of %s\n", n,
		    at);
	return (broken == 0 ? 0 : 1);
}

int
cli_audit_checkpoint(int argc, char **argv)
{
	const char	*key, *out;
	int		 i;

	key = out = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else
			key = NULL, i = argc;
	}
	if (key == NULL) {
		fprintf(stderr, "usage: medexctl audit checkpoint --key "
		    "PRIVATE.pem [--out FILE]\n");
		return (2);
	}
	return (checkpoint_write(key, out));
}
