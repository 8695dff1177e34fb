/*
 * Codes of a case in the words a page shows them in
 * (app/core/case_words.c).  Pure C, unit-tested.
 */
#ifndef MEDEX_CASE_WORDS_H
#define MEDEX_CASE_WORDS_H

/* "A" -> "White: British"; NULL for a letter that is no category. */
const char	*case_ethnicity_label(const char *);
/* "in_scrutiny" -> "In scrutiny" etc. for the codes of the records
 * whose words are not the code made readable; NULL otherwise. */
const char	*case_code_words(const char *);

#endif
