/*
 * The canonical text of a hash version 2 event, which reads changes,
 * salts and purged as jsonb's text output.  Input: changes, a 0x00
 * byte, salts, a 0x00 byte, purged.  The hash is computed or refused
 * (-1), never read past the texts; a hash computed is 64 hex digits.
 */
#include "fuzz.h"
#include "audit_event.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct audit_event	 e;
	char			*changes, *rest, *salts, *purged;
	char			 hash[AUDIT_HASH_HEX];

	fuzz_split(data, len, 0, &changes, &rest);
	fuzz_split((const uint8_t *)rest, strlen(rest), 0, &salts, &purged);
	memset(&e, 0, sizeof(e));
	e.case_id = 1;
	e.seq = 1;
	e.actor = "a";
	e.role = "officer";
	e.action = "updated";
	e.changes = changes;
	e.version = 2;
	e.salts = salts;
	e.purged = purged;
	if (audit_event_hash("", &e, hash) == 0)
		FUZZ_ASSERT(strlen(hash) == 64 &&
		    strspn(hash, "0123456789abcdef") == 64);
	e.version = 1;
	FUZZ_ASSERT(audit_event_hash("", &e, hash) == 0);
	free(changes);
	free(rest);
	free(salts);
	free(purged);
	return (0);
}
