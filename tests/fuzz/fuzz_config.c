/*
 * medex.ini text.  A file that parses has at most CONFIG_MAX_ENTRIES
 * settings with non-empty keys; integer reads stay within their bounds.
 */
#include "fuzz.h"
#include "config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config	 cfg;
	char		*s, err[256];
	size_t		 i;
	long long	 v;

	s = fuzz_str(data, len);
	err[0] = '\0';
	if (config_parse(&cfg, s, err, sizeof(err)) == 0) {
		FUZZ_ASSERT(cfg.count <= CONFIG_MAX_ENTRIES);
		for (i = 0; i < cfg.count; i++) {
			FUZZ_ASSERT(cfg.entries[i].key[0] != '\0');
			FUZZ_ASSERT(config_get(&cfg, cfg.entries[i].key) !=
			    NULL);
			v = config_get_int(&cfg, cfg.entries[i].key, 7, 1,
			    100);
			FUZZ_ASSERT(v >= 1 && v <= 100);
		}
		(void)config_get(&cfg, "db_app");
		config_free(&cfg);
	} else
		FUZZ_ASSERT(err[0] != '\0');
	free(s);
	return (0);
}
