/*
 * The handler of every route of the route table (app/core/route_table.c),
 * by the file that holds it.  routes.c maps the table's rows to these;
 * the dispatcher calls them through it.  A handler answers, or starts a
 * database call whose end answers.
 */
#ifndef MEDEX_HANDLERS_H
#define MEDEX_HANDLERS_H

#include "medex.h"

/* api_health.c: /healthz, /readyz */
int	api_healthz(struct http_request *, struct medex_req *);
int	api_readyz(struct http_request *, struct medex_req *);

/* api_auth.c: /api/v1/auth/..., /api/v1/me, the JWKS */
int	api_auth_login(struct http_request *, struct medex_req *);
int	api_auth_logout(struct http_request *, struct medex_req *);
int	api_auth_refresh(struct http_request *, struct medex_req *);
int	api_auth_me(struct http_request *, struct medex_req *);
int	api_jwks(struct http_request *, struct medex_req *);

/* api_admin.c: /api/v1/offices, /api/v1/users */
int	api_offices_create(struct http_request *, struct medex_req *);
int	api_offices_list(struct http_request *, struct medex_req *);
int	api_users_create(struct http_request *, struct medex_req *);
int	api_users_list(struct http_request *, struct medex_req *);
int	api_users_get(struct http_request *, struct medex_req *);
int	api_users_patch(struct http_request *, struct medex_req *);

/* api_cases.c: /api/v1/cases..., /api/v1/reference */
int	api_cases_create(struct http_request *, struct medex_req *);
int	api_cases_list(struct http_request *, struct medex_req *);
int	api_cases_summary(struct http_request *, struct medex_req *);
int	api_reference(struct http_request *, struct medex_req *);
int	api_cases_get(struct http_request *, struct medex_req *);
int	api_cases_patch(struct http_request *, struct medex_req *);
int	api_cases_transition(struct http_request *, struct medex_req *);
int	api_cases_events(struct http_request *, struct medex_req *);
int	api_cases_notes_list(struct http_request *, struct medex_req *);
int	api_cases_notes_add(struct http_request *, struct medex_req *);
int	api_cases_discussions(struct http_request *, struct medex_req *);
int	api_cases_cause(struct http_request *, struct medex_req *);
int	api_cases_representatives(struct http_request *, struct medex_req *);
int	api_cases_contacts(struct http_request *, struct medex_req *);
int	api_cases_exhausted(struct http_request *, struct medex_req *);
int	api_cases_coroner_referral(struct http_request *, struct medex_req *);
int	api_cases_coroner_decision(struct http_request *, struct medex_req *);
int	api_cases_referral_sent(struct http_request *, struct medex_req *);
int	api_cases_referral_ack(struct http_request *, struct medex_req *);
int	api_cases_governance(struct http_request *, struct medex_req *);
int	api_cases_final_actions(struct http_request *, struct medex_req *);
int	api_cases_assignment(struct http_request *, struct medex_req *);
int	api_cases_urgent_release(struct http_request *, struct medex_req *);
int	api_cases_warning_ack(struct http_request *, struct medex_req *);
int	pages_case_warning_ack(struct http_request *, struct medex_req *);
int	api_offices_abbreviations_get(struct http_request *,
	    struct medex_req *);
int	api_offices_abbreviations_put(struct http_request *,
	    struct medex_req *);

/* api_exports.c: /api/v1/exports/monthly */
int	api_exports_monthly(struct http_request *, struct medex_req *);

/* api_audit.c: /api/v1/audit */
int	api_audit(struct http_request *, struct medex_req *);

/* api_password.c: /api/v1/me/password */
int	api_me_password(struct http_request *, struct medex_req *);

/* api_otp.c: /api/v1/me/otp, its confirm and disable */
int	api_me_otp(struct http_request *, struct medex_req *);
int	api_me_otp_confirm(struct http_request *, struct medex_req *);
int	api_me_otp_disable(struct http_request *, struct medex_req *);

/* openapi.c: /api/v1/openapi.json */
int	api_openapi(struct http_request *, struct medex_req *);

/* pages/api_docs.c: /api/docs, the document for people */
int	api_docs(struct http_request *, struct medex_req *);

/* pages/account.c: /, /login, /logout */
int	pages_home(struct http_request *, struct medex_req *);
int	pages_login_form(struct http_request *, struct medex_req *);
int	pages_login(struct http_request *, struct medex_req *);
/* The sign-in form into mr->body, with one error (field, message) or
 * none (NULL, NULL) (pages/account.c). */
void	pages_login_body(struct medex_req *, const char *, const char *,
	    const char *, const char *);
int	pages_sso_start(struct http_request *, struct medex_req *);
int	pages_sso_callback(struct http_request *, struct medex_req *);
int	api_sso_client_jwks(struct http_request *, struct medex_req *);
int	pages_logout(struct http_request *, struct medex_req *);

/* pages/admin.c: /admin/offices, /admin/users */
int	pages_offices(struct http_request *, struct medex_req *);
int	pages_users(struct http_request *, struct medex_req *);

/* pages/assets.c: /assets/{file}, /assets/images/{file} */
int	pages_asset(struct http_request *, struct medex_req *);

/* pages/queue.c: /cases */
int	pages_case_list(struct http_request *, struct medex_req *);

/* pages/case.c: /cases/{id} */
int	pages_case(struct http_request *, struct medex_req *);
/* pages/case.c: /cases/{id}/print */
int	pages_case_print(struct http_request *, struct medex_req *);
/* pages/referral_page.c: /cases/{id}/referral-document and its PDF */
int	pages_referral_document(struct http_request *, struct medex_req *);
int	pages_referral_pdf(struct http_request *, struct medex_req *);

/* pages/case_new.c: /cases/new (GET and POST) */
int	pages_case_new(struct http_request *, struct medex_req *);
int	pages_case_create(struct http_request *, struct medex_req *);

/* pages/case_actions.c: /cases/{id}/{action} (GET and POST) */
int	pages_case_form(struct http_request *, struct medex_req *);
int	pages_case_action(struct http_request *, struct medex_req *);

/* pages/exports.c: /exports */
int	pages_exports(struct http_request *, struct medex_req *);

/* pages/office.c: /office */
int	pages_office(struct http_request *, struct medex_req *);

/* pages/import_page.c: /office/import (GET, POST), its template, confirm */
int	pages_import(struct http_request *, struct medex_req *);
int	pages_import_template(struct http_request *, struct medex_req *);
int	pages_import_check(struct http_request *, struct medex_req *);
int	pages_import_confirm(struct http_request *, struct medex_req *);

/* pages/audit.c: /audit */
int	pages_audit(struct http_request *, struct medex_req *);

/* pages/account_password.c: /account/password (GET and POST) */
int	pages_password_form(struct http_request *, struct medex_req *);
int	pages_password(struct http_request *, struct medex_req *);

/* pages/account_otp.c: /account/two-step (GET, POST), confirm, disable */
int	pages_otp(struct http_request *, struct medex_req *);
int	pages_otp_start(struct http_request *, struct medex_req *);
int	pages_otp_confirm(struct http_request *, struct medex_req *);
int	pages_otp_disable(struct http_request *, struct medex_req *);

/* api_admin.c: one office (GET, PATCH) */
int	api_offices_get(struct http_request *, struct medex_req *);
int	api_offices_patch(struct http_request *, struct medex_req *);

/* pages/admin_users.c, pages/admin_offices.c: the admin's forms */
int	pages_admin_user(struct http_request *, struct medex_req *);
int	pages_admin_form(struct http_request *, struct medex_req *);
int	pages_admin_action(struct http_request *, struct medex_req *);

#endif
