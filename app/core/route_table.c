#include <string.h>

#include "route_table.h"

#define RB_ADMIN_LEAD	(RB_ADMIN | RB_LEAD_MEDICAL_EXAMINER)

const struct route_def	route_table[] = {
	{ R_HEALTHZ, RM_GET, "/healthz", ROUTE_PUBLIC },
	{ R_READYZ, RM_GET, "/readyz", ROUTE_PUBLIC },
	{ R_JWKS, RM_GET, "/.well-known/jwks.json", ROUTE_PUBLIC },
	{ R_AUTH_LOGIN, RM_POST, "/api/v1/auth/login", ROUTE_PUBLIC },
	{ R_AUTH_LOGOUT, RM_POST, "/api/v1/auth/logout", RB_ALL },
	{ R_AUTH_REFRESH, RM_POST, "/api/v1/auth/refresh", RB_ALL },
	{ R_ME, RM_GET, "/api/v1/me", RB_ALL },
	{ R_OFFICES_CREATE, RM_POST, "/api/v1/offices", RB_ADMIN },
	{ R_OFFICES_LIST, RM_GET, "/api/v1/offices", RB_ADMIN },
	{ R_USERS_CREATE, RM_POST, "/api/v1/users", RB_ADMIN },
	{ R_USERS_LIST, RM_GET, "/api/v1/users", RB_ADMIN_LEAD },
	{ R_USERS_GET, RM_GET, "/api/v1/users/{username}", RB_ADMIN_LEAD },
	{ R_USERS_PATCH, RM_PATCH, "/api/v1/users/{username}", RB_ADMIN },
	{ R_CASES_CREATE, RM_POST, "/api/v1/cases", RB_CASEWORKERS },
	{ R_CASES_LIST, RM_GET, "/api/v1/cases", RB_CASE_READERS },
	/* Before /api/v1/cases/{id}: the first matching row wins. */
	{ R_CASES_SUMMARY, RM_GET, "/api/v1/cases/summary", RB_CASE_READERS },
	{ R_REFERENCE, RM_GET, "/api/v1/reference", RB_ALL },
	{ R_CASES_GET, RM_GET, "/api/v1/cases/{id}", RB_CASE_READERS },
	{ R_CASES_PATCH, RM_PATCH, "/api/v1/cases/{id}", RB_CASEWORKERS },
	{ R_CASES_TRANSITION, RM_POST, "/api/v1/cases/{id}/transitions",
	    RB_CASEWORKERS },
	{ R_CASES_EVENTS, RM_GET, "/api/v1/cases/{id}/events",
	    RB_CASEWORKERS },
	{ R_CASES_NOTES_LIST, RM_GET, "/api/v1/cases/{id}/notes",
	    RB_CASEWORKERS },
	{ R_CASES_NOTES_ADD, RM_POST, "/api/v1/cases/{id}/notes",
	    RB_CASEWORKERS },
	{ R_CASES_DISCUSSIONS, RM_POST,
	    "/api/v1/cases/{id}/practitioner-discussions", RB_EXAMINERS },
	{ R_CASES_CAUSE, RM_PUT, "/api/v1/cases/{id}/cause-of-death",
	    RB_EXAMINERS },
	{ R_CASES_REPRESENTATIVES, RM_POST,
	    "/api/v1/cases/{id}/representatives", RB_CASE_READERS },
	{ R_CASES_CONTACTS, RM_POST, "/api/v1/cases/{id}/contacts",
	    RB_CASE_READERS },
	{ R_CASES_EXHAUSTED, RM_POST, "/api/v1/cases/{id}/contacts/exhausted",
	    RB_CASE_READERS },
	{ R_CASES_CORONER_REFERRAL, RM_PUT,
	    "/api/v1/cases/{id}/coroner-referral", RB_CASEWORKERS },
	{ R_CASES_CORONER_DECISION, RM_PUT,
	    "/api/v1/cases/{id}/coroner-decision", RB_CASEWORKERS },
	{ R_CASES_GOVERNANCE, RM_POST,
	    "/api/v1/cases/{id}/governance-referrals", RB_EXAMINERS },
	{ R_CASES_FINAL_ACTIONS, RM_PUT, "/api/v1/cases/{id}/final-actions",
	    RB_CASEWORKERS },
	{ R_CASES_ASSIGNMENT, RM_PUT, "/api/v1/cases/{id}/assignment",
	    RB_CASEWORKERS },
	{ R_CASES_URGENT_RELEASE, RM_PUT, "/api/v1/cases/{id}/urgent-release",
	    RB_CASEWORKERS },
	/* Pages (app/http/pages/): HTML, the session cookie, form POSTs. */
	{ R_PAGE_HOME, RM_GET, "/", RB_ALL },
	{ R_PAGE_LOGIN_FORM, RM_GET, "/login", ROUTE_PUBLIC },
	{ R_PAGE_LOGIN, RM_POST, "/login", ROUTE_PUBLIC },
	/* Single sign-on (sso.c): public, as the sign-in form is. */
	{ R_PAGE_SSO_START, RM_GET, "/auth/sso/start", ROUTE_PUBLIC },
	{ R_PAGE_SSO_CALLBACK, RM_GET, "/auth/sso/callback", ROUTE_PUBLIC },
	{ R_SSO_CLIENT_JWKS, RM_GET, "/api/v1/auth/sso/jwks", ROUTE_PUBLIC },
	{ R_PAGE_LOGOUT, RM_POST, "/logout", RB_ALL },
	{ R_PAGE_CASES, RM_GET, "/cases", RB_CASE_READERS },
	{ R_PAGE_OFFICES, RM_GET, "/admin/offices", RB_ADMIN },
	{ R_PAGE_USERS, RM_GET, "/admin/users", RB_ADMIN_LEAD },
	{ R_ASSET, RM_GET, "/assets/{file}", ROUTE_PUBLIC },
	{ R_ASSET_IMAGE, RM_GET, "/assets/images/{file}", ROUTE_PUBLIC },
	{ R_OPENAPI, RM_GET, "/api/v1/openapi.json", ROUTE_PUBLIC },
	{ R_EXPORTS_MONTHLY, RM_GET, "/api/v1/exports/monthly",
	    RB_ANALYST | RB_NATIONAL_ANALYST | RB_LEAD_MEDICAL_EXAMINER },
	/* Case pages (app/http/pages/case*.c); /cases/new first. */
	{ R_PAGE_CASE_NEW, RM_GET, "/cases/new", RB_CASEWORKERS },
	{ R_PAGE_CASE_CREATE, RM_POST, "/cases/new", RB_CASEWORKERS },
	{ R_PAGE_CASE, RM_GET, "/cases/{id}", RB_CASE_READERS },
	{ R_PAGE_CASE_PRINT, RM_GET, "/cases/{id}/print", RB_CASE_READERS },
	/* A form per action: GET shows it, POST sends it (PAGE_CASE_ACTS). */
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/record-review", RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/record-review",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/discussion", RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/discussion", RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/cause-of-death",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/cause-of-death",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/cause-of-death-neonatal",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/cause-of-death-neonatal",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/contact", RB_CASE_READERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/contact", RB_CASE_READERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/contact-exhausted",
	    RB_CASE_READERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/contact-exhausted",
	    RB_CASE_READERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/coroner-referral",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/coroner-referral",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/coroner-decision",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/coroner-decision",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/governance", RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/governance", RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/final-actions",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/final-actions",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/urgent-release",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/urgent-release",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/transition", RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/transition",
	    RB_CASEWORKERS },
	{ R_PAGE_EXPORTS, RM_GET, "/exports",
	    RB_ANALYST | RB_NATIONAL_ANALYST | RB_LEAD_MEDICAL_EXAMINER },
	/* More case forms (pages/case_fields.c): bereaved people, assigning. */
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/representative",
	    RB_CASE_READERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/representative",
	    RB_CASE_READERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/assignment", RB_EXAMINERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/assignment",
	    RB_EXAMINERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/assign-officer",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/assign-officer",
	    RB_CASEWORKERS },
	/* The lead ME's office overview (app/http/pages/office.c). */
	{ R_PAGE_OFFICE, RM_GET, "/office", RB_LEAD_MEDICAL_EXAMINER },
	/* Its spreadsheet import (app/http/pages/import_page.c). */
	{ R_PAGE_IMPORT, RM_GET, "/office/import", RB_LEAD_MEDICAL_EXAMINER },
	{ R_PAGE_IMPORT_CHECK, RM_POST, "/office/import",
	    RB_LEAD_MEDICAL_EXAMINER },
	{ R_PAGE_IMPORT_TEMPLATE, RM_GET, "/office/import/template.csv",
	    RB_LEAD_MEDICAL_EXAMINER },
	{ R_PAGE_IMPORT_CONFIRM, RM_POST, "/office/import/confirm",
	    RB_LEAD_MEDICAL_EXAMINER },
	/* The OpenAPI document as a page (app/http/pages/api_docs.c). */
	{ R_API_DOCS, RM_GET, "/api/docs", ROUTE_PUBLIC },
	/* The office's audit (api_audit.c, pages/audit.c). */
	{ R_AUDIT, RM_GET, "/api/v1/audit", RB_LEAD_MEDICAL_EXAMINER },
	{ R_PAGE_AUDIT, RM_GET, "/audit", RB_LEAD_MEDICAL_EXAMINER },
	/* One's own password (api_password.c, pages/account_password.c). */
	{ R_ME_PASSWORD, RM_POST, "/api/v1/me/password", RB_ALL },
	{ R_PAGE_PASSWORD_FORM, RM_GET, "/account/password", RB_ALL },
	{ R_PAGE_PASSWORD, RM_POST, "/account/password", RB_ALL },
	/* One's own second factor (api_otp.c, pages/account_otp.c). */
	{ R_ME_OTP, RM_POST, "/api/v1/me/otp", RB_ALL },
	{ R_ME_OTP_CONFIRM, RM_POST, "/api/v1/me/otp/confirm", RB_ALL },
	{ R_ME_OTP_DISABLE, RM_POST, "/api/v1/me/otp/disable", RB_ALL },
	{ R_PAGE_OTP, RM_GET, "/account/two-step", RB_ALL },
	{ R_PAGE_OTP_START, RM_POST, "/account/two-step", RB_ALL },
	{ R_PAGE_OTP_CONFIRM, RM_POST, "/account/two-step/confirm", RB_ALL },
	{ R_PAGE_OTP_DISABLE, RM_POST, "/account/two-step/disable", RB_ALL },
	/* One office (api_admin.c). */
	{ R_OFFICES_GET, RM_GET, "/api/v1/offices/{code}", RB_ADMIN },
	{ R_OFFICES_PATCH, RM_PATCH, "/api/v1/offices/{code}", RB_ADMIN },
	/*
	 * The admin's forms (pages/admin_users.c, admin_offices.c): GET
	 * shows one, POST sends it.  Not /admin/users/new: "new" is a
	 * valid username.
	 */
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/add-user", RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/add-user", RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/add-office", RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/add-office", RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/offices/{code}", RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/offices/{code}", RB_ADMIN },
	{ R_PAGE_ADMIN_USER, RM_GET, "/admin/users/{username}",
	    RB_ADMIN_LEAD },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/users/{username}/role",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/users/{username}/role",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/users/{username}/office",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/users/{username}/office",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/users/{username}/status",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/users/{username}/status",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/users/{username}/password",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/users/{username}/password",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_FORM, RM_GET, "/admin/users/{username}/sso",
	    RB_ADMIN },
	{ R_PAGE_ADMIN_ACTION, RM_POST, "/admin/users/{username}/sso",
	    RB_ADMIN },
	/* Issue 18: the deceased's details (PATCH) and notes by kind. */
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/details", RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/details",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/note", RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/note", RB_CASEWORKERS },
	/* Issue 19: acknowledging a case's warning (api_warnings.c). */
	{ R_CASES_WARNING_ACK, RM_POST,
	    "/api/v1/cases/{id}/warnings/acknowledgement", RB_CASEWORKERS },
	{ R_PAGE_CASE_WARNING_ACK, RM_POST, "/cases/{id}/acknowledge-warning",
	    RB_CASEWORKERS },
	/* The office's abbreviations to avoid in a cause of death. */
	{ R_OFFICES_ABBREVIATIONS_GET, RM_GET,
	    "/api/v1/offices/{code}/abbreviations", RB_ADMIN_LEAD },
	{ R_OFFICES_ABBREVIATIONS_PUT, RM_PUT,
	    "/api/v1/offices/{code}/abbreviations", RB_ADMIN_LEAD },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/leder", RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/leder", RB_CASEWORKERS },
	/* Issue 23: the coroner referral document, sending, acknowledgement. */
	{ R_CASES_REFERRAL_SENT, RM_PUT,
	    "/api/v1/cases/{id}/coroner-referral/sent", RB_CASEWORKERS },
	{ R_CASES_REFERRAL_ACK, RM_PUT,
	    "/api/v1/cases/{id}/coroner-referral/acknowledgement",
	    RB_CASEWORKERS },
	{ R_PAGE_REFERRAL_DOC, RM_GET, "/cases/{id}/referral-document",
	    RB_CASEWORKERS },
	{ R_PAGE_REFERRAL_PDF, RM_GET, "/cases/{id}/referral-document/pdf",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/referral-sent",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/referral-sent",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_FORM, RM_GET, "/cases/{id}/referral-ack",
	    RB_CASEWORKERS },
	{ R_PAGE_CASE_ACTION, RM_POST, "/cases/{id}/referral-ack",
	    RB_CASEWORKERS },
};

const size_t	route_table_count = sizeof(route_table) /
		    sizeof(route_table[0]);

const char *
route_method_str(int m)
{
	switch (m) {
	case RM_GET:
		return ("GET");
	case RM_POST:
		return ("POST");
	case RM_PUT:
		return ("PUT");
	case RM_DELETE:
		return ("DELETE");
	case RM_PATCH:
		return ("PATCH");
	}
	return ("OTHER");
}

int
route_is_api(const char *pattern)
{
	return ((strncmp(pattern, "/api/", 5) == 0 &&
	    strcmp(pattern, "/api/docs") != 0) ||
	    strcmp(pattern, "/healthz") == 0 ||
	    strcmp(pattern, "/readyz") == 0 ||
	    strcmp(pattern, "/.well-known/jwks.json") == 0);
}
