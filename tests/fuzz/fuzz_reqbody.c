/*
 * Request bodies: any bytes through reqbody_parse(), and whatever object
 * comes out through the unknown-field check and the typed getters the
 * handlers use.  A body that parses is an object; every getter either
 * gives a value or adds a field error, never both for a required field.
 */
#include "fuzz.h"
#include "reqbody.h"

static const char *const allowed[] = {
	"code", "name", "username", "password", "display_name", "role",
	"office", "disabled", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ferrs	 fe;
	json_t		*j, *v;
	const char	*key, *s;
	size_t		 i, before;
	int		 b;

	j = reqbody_parse((const char *)data, len);
	if (j == NULL)
		return (0);
	FUZZ_ASSERT(json_is_object(j));

	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	reqbody_unknown(j, allowed, "deceased.", &fe);
	FUZZ_ASSERT(fe.n <= FERR_MAX);

	for (i = 0; allowed[i] != NULL; i++) {
		before = fe.n;
		s = reqbody_string(j, allowed[i], REQ_REQUIRED, &fe);
		FUZZ_ASSERT(s != NULL || fe.n > before || fe.n == FERR_MAX ||
		    before > 0);
		if (s != NULL)
			FUZZ_ASSERT(strlen(s) ==
			    json_string_length(json_object_get(j,
			    allowed[i])));
		(void)reqbody_bool(j, allowed[i], REQ_OPTIONAL, &b, &fe);
	}
	/* Every member, under its own (possibly hostile) name. */
	json_object_foreach(j, key, v) {
		(void)reqbody_string(j, key, REQ_REQUIRED, &fe);
		(void)reqbody_bool(j, key, REQ_REQUIRED, &b, &fe);
		if (json_is_object(v)) {
			reqbody_unknown(v, allowed, key, &fe);
			(void)reqbody_string(v, "name", REQ_OPTIONAL, &fe);
		}
	}
	for (i = 0; i < fe.n; i++) {
		FUZZ_ASSERT(fe.pairs[i][0] == fe.name[i]);
		FUZZ_ASSERT(strlen(fe.name[i]) < FERR_NAME);
		FUZZ_ASSERT(fe.pairs[i][1] != NULL);
	}
	json_decref(j);
	return (0);
}
