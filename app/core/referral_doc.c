/*
 * The coroner referral document's text model (referral_doc.h).  The
 * order follows what a coroner's office reads first: who it is from and
 * for which area, who died, when and where, why it is referred (the
 * regulation 3 circumstances in the Regulations' own words, then the
 * ME's reasons), what the attending practitioner said, what the family
 * said, and how the referral was sent and acknowledged.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "london_time.h"
#include "referral_doc.h"

const char *const referral_send_methods[] = { "email", "secure_email",
    "portal", "phone", "post", NULL };

/* Notification of Deaths Regulations 2019, reg. 3(1), as amended. */
static const char *const categories[][2] = {
	{ "poisoning", "The death may have been due to poisoning, "
	    "including by a normally harmless substance." },
	{ "exposure_to_toxic_substance", "The death may have been due to "
	    "exposure to or contact with a toxic substance." },
	{ "medicinal_product_or_drug", "The death may have been due to the "
	    "use of a medicinal product, a controlled drug or a "
	    "psychoactive substance." },
	{ "violence", "The death may have been due to violence." },
	{ "trauma_or_injury", "The death may have been due to trauma or "
	    "injury." },
	{ "self_harm", "The death may have been due to self-harm." },
	{ "neglect", "The death may have been due to neglect, including "
	    "self-neglect." },
	{ "treatment_or_procedure", "The death may have been due to a "
	    "medical or similar treatment or procedure." },
	{ "employment_related", "The death may have been due to an injury "
	    "or disease from any employment held during the person's "
	    "lifetime." },
	{ "other_unnatural", "The death may have been unnatural in some "
	    "other way." },
	{ "unknown_cause", "The cause of death is unknown despite "
	    "reasonable steps to find it." },
	{ "in_custody_or_state_detention", "The person died in custody or "
	    "otherwise in state detention." },
	{ "no_attending_practitioner", "No registered medical practitioner "
	    "attended the deceased in their last illness." },
	{ "practitioner_not_available", "The attending practitioner is not "
	    "available within a reasonable time to certify the cause." },
	{ "identity_unknown", "The identity of the deceased is unknown." },
};

static const char *const methods[][2] = {
	{ "email", "Email" }, { "secure_email", "Secure email" },
	{ "portal", "The coroner's portal" }, { "phone", "Phone" },
	{ "post", "Post" },
};

static const char *const places[][2] = {
	{ "hospital", "Hospital" }, { "hospice", "Hospice" },
	{ "care_home", "Care home" }, { "home", "Home" },
	{ "other", "Elsewhere" },
};

static const char *const outcomes[][2] = {
	{ "agreed", "agreed the cause of death" },
	{ "revised", "agreed a revised cause of death" },
	{ "refer_to_coroner", "agreed the death should be referred to the "
	    "coroner" },
	{ "not_held", "no agreement was reached" },
};

static const char *
lookup(const char *const t[][2], size_t n, const char *code)
{
	size_t	i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (strcmp(t[i][0], code) == 0)
			return (t[i][1]);
	}
	return (NULL);
}

#define LOOKUP(t, c)	lookup((t), sizeof(t) / sizeof((t)[0]), (c))

const char *
referral_category_words(const char *code)
{
	return (LOOKUP(categories, code));
}

const char *
referral_method_words(const char *code)
{
	return (LOOKUP(methods, code));
}

static const char *
str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* One more line; on failure the model is marked oom and left short. */
static void
add(struct referral_doc *d, enum rd_kind kind, const char *label,
    const char *fmt, ...)
{
	struct rd_line	*nl;
	va_list		 ap;
	char		*s;
	int		 len;

	if (d->oom)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (s = malloc((size_t)len + 1)) == NULL) {
		d->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		nl = realloc(d->lines, (d->cap + 32) * sizeof(*nl));
		if (nl == NULL) {
			free(s);
			d->oom = 1;
			return;
		}
		d->lines = nl;
		d->cap += 32;
	}
	d->lines[d->n].kind = kind;
	d->lines[d->n].label = label;
	d->lines[d->n].text = s;
	d->n++;
}

static void
field(struct referral_doc *d, const char *label, const char *value,
    const char *none)
{
	add(d, RD_FIELD, label, "%s", value != NULL && value[0] != '\0' ?
	    value : none);
}

/* A date or time as a page shows it ("1 Jul 2026 14:00 BST"). */
static void
field_time(struct referral_doc *d, const char *label, const char *v,
    const char *none)
{
	char	buf[64];

	if (v == NULL) {
		field(d, label, NULL, none);
		return;
	}
	london_format(v, buf, sizeof(buf));
	field(d, label, buf, none);
}

static const char *
who(json_t *names, const char *username)
{
	const char	*n;

	if (username == NULL)
		return (NULL);
	n = str(names, username);
	return (n != NULL ? n : username);
}

static void
from_part(struct referral_doc *d, json_t *office, json_t *examiner)
{
	char	buf[512];

	add(d, RD_HEADING, NULL, "To");
	field(d, "Senior coroner for the area", str(office, "coroner_area"),
	    "Not recorded in medex");
	add(d, RD_HEADING, NULL, "From");
	snprintf(buf, sizeof(buf), "%s (%s)", str(office, "name") != NULL ?
	    str(office, "name") : "", str(office, "code") != NULL ?
	    str(office, "code") : "");
	field(d, "Medical examiner office", buf, NULL);
	field(d, "Medical examiner", str(examiner, "display_name"),
	    "Not assigned");
	field(d, "GMC number", str(examiner, "gmc_number"),
	    "Not held by medex");
}

static void
deceased_part(struct referral_doc *d, json_t *k)
{
	const char	*nhs, *place;
	char		 buf[512], when[64];

	add(d, RD_HEADING, NULL, "The deceased");
	snprintf(buf, sizeof(buf), "%s %s", str(k, "given_name") != NULL ?
	    str(k, "given_name") : "", str(k, "family_name") != NULL ?
	    str(k, "family_name") : "");
	field(d, "Name", buf, "Not known");
	nhs = str(k, "nhs_number");
	if (nhs != NULL && strlen(nhs) == 10) {
		snprintf(buf, sizeof(buf), "%.3s %.3s %.4s", nhs, nhs + 3,
		    nhs + 6);
		field(d, "NHS number", buf, NULL);
	} else
		field(d, "NHS number", nhs, "Not known");
	field_time(d, "Date of birth", str(k, "date_of_birth"), "Not known");
	london_format(str(k, "date_of_death"), when, sizeof(when));
	if (str(k, "time_of_death") != NULL)
		snprintf(buf, sizeof(buf), "%s at %s", when,
		    str(k, "time_of_death"));
	else
		snprintf(buf, sizeof(buf), "%s", when);
	field(d, "Date of death", buf, NULL);
	place = LOOKUP(places, str(k, "place_of_death"));
	if (str(k, "place_detail") != NULL)
		snprintf(buf, sizeof(buf), "%s: %s", place != NULL ? place :
		    "", str(k, "place_detail"));
	else
		snprintf(buf, sizeof(buf), "%s", place != NULL ? place : "");
	field(d, "Place of death", buf, "Not known");
}

static void
reasons_part(struct referral_doc *d, json_t *cr)
{
	json_t		*c;
	const char	*w;
	size_t		 i;

	add(d, RD_HEADING, NULL, "Why the death is referred");
	add(d, RD_TEXT, NULL, "Under regulation 3 of the Notification of "
	    "Deaths Regulations 2019:");
	json_array_foreach(json_object_get(cr, "categories"), i, c) {
		w = referral_category_words(json_string_value(c));
		if (w != NULL)
			add(d, RD_ITEM, NULL, "%s", w);
	}
	field(d, "The medical examiner's reasons", str(cr, "reason"),
	    "None given");
}

static void
practitioner_part(struct referral_doc *d, json_t *k)
{
	json_t		*ap, *x;
	const char	*o;
	size_t		 i;
	char		 label[96];

	ap = json_object_get(k, "attending_practitioner");
	add(d, RD_HEADING, NULL, "The attending practitioner");
	field(d, "Name", str(ap, "name"), "None");
	field(d, "GMC number", str(ap, "gmc_number"), "None");
	if (json_array_size(json_object_get(k,
	    "practitioner_discussions")) == 0) {
		add(d, RD_TEXT, NULL, "No discussion with the attending "
		    "practitioner is recorded.");
		return;
	}
	json_array_foreach(json_object_get(k, "practitioner_discussions"), i,
	    x) {
		london_format(str(x, "at"), label, sizeof(label));
		add(d, RD_TEXT, NULL, "Discussion with %s on %s:",
		    str(json_object_get(x, "practitioner"), "name") != NULL ?
		    str(json_object_get(x, "practitioner"), "name") :
		    "the practitioner", label);
		if (!json_is_true(json_object_get(x, "happened"))) {
			field(d, "Did not happen", str(x, "reason_not"),
			    "No reason recorded");
			continue;
		}
		field(d, "Cause they proposed", str(x, "proposed_cause"),
		    "None recorded");
		o = LOOKUP(outcomes, str(x, "outcome"));
		field(d, "Outcome", o, "Not recorded");
	}
}

static void
family_part(struct referral_doc *d, json_t *k)
{
	json_t	*x;
	size_t	 i, n;
	char	 when[64];

	add(d, RD_HEADING, NULL, "The family's views");
	n = 0;
	json_array_foreach(json_object_get(k, "contacts"), i, x) {
		if (str(x, "outcome") == NULL ||
		    strcmp(str(x, "outcome"), "reached") != 0)
			continue;
		n++;
		london_format(str(x, "at"), when, sizeof(when));
		add(d, RD_TEXT, NULL, "%s (%s), spoken to on %s:",
		    str(x, "person_name") != NULL ? str(x, "person_name") : "",
		    str(x, "relationship") != NULL ? str(x, "relationship") :
		    "", when);
		field(d, "Questions", str(x, "questions"), "None raised");
		field(d, "Concerns", str(x, "concerns"), "None raised");
	}
	if (n > 0)
		return;
	x = json_array_get(json_object_get(k, "contacts_exhausted"), 0);
	if (x != NULL)
		add(d, RD_TEXT, NULL, "No bereaved person could be spoken to "
		    "(%s).", str(x, "detail") != NULL ? str(x, "detail") :
		    str(x, "reason"));
	else
		add(d, RD_TEXT, NULL, "No bereaved person has been spoken to "
		    "yet.");
}

static void
sent_part(struct referral_doc *d, json_t *cr, json_t *names)
{
	char	when[64];

	add(d, RD_HEADING, NULL, "The referral");
	field_time(d, "Recorded", str(cr, "recorded_at"), "Not recorded");
	if (str(cr, "sent_at") != NULL) {
		london_format(str(cr, "sent_at"), when, sizeof(when));
		add(d, RD_FIELD, "Sent", "%s by %s (%s)", when,
		    referral_method_words(str(cr, "sent_method")) != NULL ?
		    referral_method_words(str(cr, "sent_method")) : "",
		    who(names, str(cr, "sent_by")) != NULL ?
		    who(names, str(cr, "sent_by")) : "");
	} else
		field(d, "Sent", NULL, "Not yet sent");
	if (str(cr, "acknowledged_at") != NULL) {
		london_format(str(cr, "acknowledged_at"), when, sizeof(when));
		field(d, "Acknowledged by the coroner", when, NULL);
		field(d, "Coroner's reference", str(cr,
		    "acknowledgement_reference"), "None given");
	} else
		field(d, "Acknowledged by the coroner", NULL,
		    "Not yet acknowledged");
}

int
referral_doc_build(struct referral_doc *d, json_t *in)
{
	json_t	*k, *cr;

	memset(d, 0, sizeof(*d));
	k = json_object_get(in, "case");
	cr = json_object_get(k, "coroner_referral");
	if (!json_is_object(cr))
		return (-1);
	add(d, RD_TITLE, NULL, "Referral of a death to the coroner");
	add(d, RD_TEXT, NULL, "From the medical examiner, under the "
	    "Notification of Deaths Regulations 2019. Case %s.",
	    str(k, "id") != NULL ? str(k, "id") : "");
	from_part(d, json_object_get(in, "office"),
	    json_object_get(in, "examiner"));
	deceased_part(d, k);
	reasons_part(d, cr);
	practitioner_part(d, k);
	family_part(d, k);
	sent_part(d, cr, json_object_get(in, "names"));
	return (0);
}

void
referral_doc_free(struct referral_doc *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}
