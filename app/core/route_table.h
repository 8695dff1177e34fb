/*
 * Every route medex serves, with the roles that may use it: the one
 * route x role table that the server enforces (app/http/routes.c binds
 * each row to its handler) and that tests/http/test_roles.c walks cell by
 * cell.  A route must name its roles (or ROUTE_PUBLIC): 0 means nobody.
 */
#ifndef MEDEX_ROUTE_TABLE_H
#define MEDEX_ROUTE_TABLE_H

#include <stddef.h>

#include "role.h"

/* The same bits as Kore's HTTP_METHOD_* (checked in app/http/routes.c). */
#define RM_GET		0x0001
#define RM_POST		0x0002
#define RM_PUT		0x0004
#define RM_DELETE	0x0010
#define RM_PATCH	0x0080

#define ROUTE_PUBLIC	0x80000000u

enum route_id {
	R_HEALTHZ = 0,
	R_READYZ,
	R_JWKS,
	R_AUTH_LOGIN,
	R_AUTH_LOGOUT,
	R_AUTH_REFRESH,
	R_ME,
	R_OFFICES_CREATE,
	R_OFFICES_LIST,
	R_USERS_CREATE,
	R_USERS_LIST,
	R_USERS_GET,
	R_USERS_PATCH,
	R_CASES_CREATE,
	R_CASES_LIST,
	R_CASES_SUMMARY,
	R_REFERENCE,
	R_CASES_GET,
	R_CASES_PATCH,
	R_CASES_TRANSITION,
	R_CASES_EVENTS,
	R_CASES_NOTES_LIST,
	R_CASES_NOTES_ADD,
	R_CASES_DISCUSSIONS,
	R_CASES_CAUSE,
	R_CASES_REPRESENTATIVES,
	R_CASES_CONTACTS,
	R_CASES_EXHAUSTED,
	R_CASES_CORONER_REFERRAL,
	R_CASES_CORONER_DECISION,
	R_CASES_GOVERNANCE,
	R_CASES_FINAL_ACTIONS,
	R_CASES_ASSIGNMENT,
	R_CASES_URGENT_RELEASE,
	R_PAGE_HOME,
	R_PAGE_LOGIN_FORM,
	R_PAGE_LOGIN,
	R_PAGE_SSO_START,
	R_PAGE_SSO_CALLBACK,
	R_SSO_CLIENT_JWKS,
	R_PAGE_LOGOUT,
	R_PAGE_CASES,
	R_PAGE_OFFICES,
	R_PAGE_USERS,
	R_ASSET,
	R_ASSET_IMAGE,
	R_OPENAPI,
	R_EXPORTS_MONTHLY,
	R_PAGE_CASE_NEW,
	R_PAGE_CASE_CREATE,
	R_PAGE_CASE,
	R_PAGE_CASE_FORM,
	R_PAGE_CASE_ACTION,
	R_PAGE_EXPORTS,
	R_PAGE_OFFICE,
	R_API_DOCS,
	R_PAGE_CASE_PRINT,
	R_AUDIT,
	R_PAGE_AUDIT,
	R_ME_PASSWORD,
	R_PAGE_PASSWORD_FORM,
	R_PAGE_PASSWORD,
	R_OFFICES_GET,
	R_OFFICES_PATCH,
	R_PAGE_ADMIN_USER,
	R_PAGE_ADMIN_FORM,
	R_PAGE_ADMIN_ACTION,
	R_CASES_WARNING_ACK,
	R_PAGE_CASE_WARNING_ACK,
	R_OFFICES_ABBREVIATIONS_GET,
	R_OFFICES_ABBREVIATIONS_PUT,
	R_CASES_REFERRAL_SENT,
	R_CASES_REFERRAL_ACK,
	R_PAGE_REFERRAL_DOC,
	R_PAGE_REFERRAL_PDF,
	R_PAGE_IMPORT,
	R_PAGE_IMPORT_TEMPLATE,
	R_PAGE_IMPORT_CHECK,
	R_PAGE_IMPORT_CONFIRM,
	R_ME_OTP,
	R_ME_OTP_CONFIRM,
	R_ME_OTP_DISABLE,
	R_PAGE_OTP,
	R_PAGE_OTP_START,
	R_PAGE_OTP_CONFIRM,
	R_PAGE_OTP_DISABLE,
	R_COUNT
};

struct route_def {
	enum route_id	 id;
	int		 method;
	const char	*pattern;
	unsigned int	 roles;
};

extern const struct route_def	route_table[];
extern const size_t		route_table_count;

const char	*route_method_str(int);
/* 1 for the routes of the API document: /api/ (not the /api/docs page),
 * the health routes and the key set; the rest are pages and assets. */
int		 route_is_api(const char *);

#endif
