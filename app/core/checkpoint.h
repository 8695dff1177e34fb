/*
 * Signed checkpoints of the audit chains (medexctl audit checkpoint): the
 * head of every case's event chain, signed with an ES256 key that the
 * database never holds.  The database's owner can rewrite a chain and
 * recompute every hash so that it verifies on its own; it cannot make
 * the rewritten head match a checkpoint taken before, nor sign a new one.
 *
 * The file is text, one line each:
 *   medex-audit-checkpoint 1
 *   at <UTC time>
 *   head <office id> <case id> <seq> <hash>
 *   ...
 *   signature <base64url ECDSA-SHA256 (DER) of every byte before this line>
 */
#ifndef MEDEX_CHECKPOINT_H
#define MEDEX_CHECKPOINT_H

#include <stddef.h>

#define CHECKPOINT_MAGIC	"medex-audit-checkpoint 1\n"
#define CHECKPOINT_SIG		"signature "

struct checkpoint_head {
	long long	office_id;
	long long	case_id;
	long long	seq;
	char		hash[65];
};

/*
 * Signs len bytes with the private key in PEM file path: the signature
 * line (with its newline) in out.  0, or -1 with err filled.
 */
int	checkpoint_sign(const char *path, const char *data, size_t len,
	    char *out, size_t outlen, char *err, size_t errlen);

/*
 * Checks a whole checkpoint file's text: the magic line first and a
 * signature line last, valid for every byte before it, by the key in
 * PEM file path (public, or private: its public half).  On success
 * *body_len is the length of the signed part.  0, or -1 with err.
 */
int	checkpoint_verify(const char *path, const char *text, size_t len,
	    size_t *body_len, char *err, size_t errlen);

/*
 * Parses one "head ..." line (no newline): 1 when it is one, 0 when it
 * is another kind of line, -1 when it is a malformed head line.
 */
int	checkpoint_parse_head(const char *line, struct checkpoint_head *);

#endif
