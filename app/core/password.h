/*
 * Password hashing (argon2id) and the password policy.
 *
 * Pure C, no Kore. Hashes are stored as the standard encoded string
 * ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), which carries its own
 * parameters: raising the cost later leaves old hashes verifiable.
 */

#ifndef MEDEX_PASSWORD_H
#define MEDEX_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

/*
 * argon2id parameters: 3 passes over 64 MiB, a 16-byte random salt and a
 * 32-byte hash. This is the option RFC 9106 (section 4) recommends when
 * 2 GiB per hash is too much, with one lane instead of four because a
 * Kore worker hashes on a single thread. Each login then holds 64 MiB
 * for the time of one hash: size workers and memory limits with that.
 */
#define PASSWORD_T_COST		3
#define PASSWORD_M_COST_KIB	65536
#define PASSWORD_PARALLELISM	1
#define PASSWORD_SALT_LEN	16
#define PASSWORD_HASH_LEN	32

/* Room for the encoded string at these parameters (97 bytes) and more. */
#define PASSWORD_ENCODED_MAX	128

/*
 * Policy: at least 12 characters (Unicode code points, so "é" counts
 * once), at most 256 bytes, valid UTF-8, no control characters.
 */
#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_BYTES	256

/* Hash pw into encoded (len bytes); 1 on success, 0 on error. */
int	password_hash(const char *, char *, size_t);

/* 1 if pw matches the encoded hash, 0 otherwise (and on any error). */
int	password_verify(const char *, const char *);

/*
 * Spend the time of one password_verify() on nothing: call it when the
 * user does not exist, so that timing does not tell which usernames do.
 */
void	password_dummy_verify(const char *);

/* NULL if pw is acceptable, else a sentence saying why not. */
const char	*password_policy_check(const char *);

/*
 * The same for a password of len bytes that may hold a NUL, e.g. a JSON
 * string that contained "\u0000" (use jansson's json_string_length()).
 */
const char	*password_policy_check_len(const char *, size_t);

/*
 * For tests only: change t_cost and m_cost (KiB) so a test suite does
 * not spend 64 MiB per hash. Call before any other password_* function
 * and never from the server. 1 on success, 0 if argon2 would refuse.
 */
int	password_set_cost(uint32_t, uint32_t);

#endif
