/*
 * Password hashing with argon2id, and the password policy.
 */

#include <sys/types.h>

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <argon2.h>
#include <openssl/rand.h>
#include <unistr.h>

#include "password.h"

/* Turn a numeric #define into a string literal, for the messages. */
#define STR(x)		STR_(x)
#define STR_(x)		#x

/* Only password_set_cost() changes these, and only in tests. */
static uint32_t		t_cost = PASSWORD_T_COST;
static uint32_t		m_cost = PASSWORD_M_COST_KIB;

/*
 * The hash password_dummy_verify() checks against, made on first use at
 * the cost in force then (and again if a test changes the cost), so that
 * it always costs what a real hash costs. Kore tasks run in threads,
 * hence the lock.
 */
static pthread_mutex_t	dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char		dummy_hash[PASSWORD_ENCODED_MAX];
static uint32_t		dummy_t;
static uint32_t		dummy_m;

int
password_hash(const char *pw, char *encoded, size_t len)
{
	uint8_t		salt[PASSWORD_SALT_LEN];
	size_t		pwlen;
	int		ret;

	ret = 0;

	if (pw == NULL || encoded == NULL || len == 0)
		goto cleanup;

	pwlen = strlen(pw);
	if (pwlen > ARGON2_MAX_PWD_LENGTH)
		goto cleanup;

	if (len < argon2_encodedlen(t_cost, m_cost, PASSWORD_PARALLELISM,
	    PASSWORD_SALT_LEN, PASSWORD_HASH_LEN, Argon2_id))
		goto cleanup;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		goto cleanup;

	if (argon2id_hash_encoded(t_cost, m_cost, PASSWORD_PARALLELISM,
	    pw, pwlen, salt, sizeof(salt), PASSWORD_HASH_LEN,
	    encoded, len) != ARGON2_OK)
		goto cleanup;

	ret = 1;

cleanup:
	if (ret == 0 && encoded != NULL && len > 0)
		encoded[0] = '\0';

	return (ret);
}

int
password_verify(const char *encoded, const char *pw)
{
	size_t		pwlen;

	if (encoded == NULL || pw == NULL)
		return (0);

	pwlen = strlen(pw);
	if (pwlen > ARGON2_MAX_PWD_LENGTH)
		return (0);

	/* argon2 compares the hashes in constant time. */
	return (argon2id_verify(encoded, pw, pwlen) == ARGON2_OK);
}

void
password_dummy_verify(const char *pw)
{
	char		hash[PASSWORD_ENCODED_MAX];
	int		ready;

	/* Same work whatever the caller hands us. */
	if (pw == NULL)
		pw = "";

	pthread_mutex_lock(&dummy_lock);
	if (dummy_t != t_cost || dummy_m != m_cost) {
		/*
		 * The result of the dummy verify is thrown away, so which
		 * password the dummy hash is of does not matter.
		 */
		if (password_hash("medex dummy password", dummy_hash,
		    sizeof(dummy_hash))) {
			dummy_t = t_cost;
			dummy_m = m_cost;
		}
	}
	ready = (dummy_t == t_cost && dummy_m == m_cost);
	if (ready)
		memcpy(hash, dummy_hash, sizeof(hash));
	pthread_mutex_unlock(&dummy_lock);

	/* Verify outside the lock: logins must not queue behind each other. */
	if (ready)
		(void)password_verify(hash, pw);
	else
		(void)password_hash(pw, hash, sizeof(hash));

	explicit_bzero(hash, sizeof(hash));
}

const char *
password_policy_check(const char *pw)
{
	if (pw == NULL)
		return ("A password is required.");

	return (password_policy_check_len(pw, strlen(pw)));
}

const char *
password_policy_check_len(const char *pw, size_t len)
{
	const uint8_t	*s;
	ucs4_t		uc;
	size_t		i, chars;
	int		n;

	if (pw == NULL)
		return ("A password is required.");

	/* Checked first, so nothing below runs over a huge input. */
	if (len > PASSWORD_MAX_BYTES)
		return ("The password must be at most "
		    STR(PASSWORD_MAX_BYTES) " bytes long.");

	s = (const uint8_t *)pw;
	if (u8_check(s, len) != NULL)
		return ("The password must be valid UTF-8 text.");

	/*
	 * Count code points, not bytes: twelve accented letters are
	 * twelve characters to the person choosing them. NUL is a C0
	 * control and is refused with the others.
	 */
	chars = 0;
	for (i = 0; i < len; i += (size_t)n) {
		n = u8_mbtouc(&uc, s + i, len - i);
		if (uc < 0x20 || (uc >= 0x7f && uc <= 0x9f))
			return ("The password must not contain control "
			    "characters.");
		chars++;
	}

	if (chars < PASSWORD_MIN_CHARS)
		return ("The password must be at least "
		    STR(PASSWORD_MIN_CHARS) " characters long.");

	return (NULL);
}

int
password_set_cost(uint32_t t, uint32_t m_kib)
{
	/* Both upper limits are UINT32_MAX: only the lower ones can bite. */
	if (t < ARGON2_MIN_TIME || m_kib < 8 * PASSWORD_PARALLELISM)
		return (0);

	t_cost = t;
	m_cost = m_kib;

	return (1);
}
