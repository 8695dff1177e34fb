/*
 * The handler of each row of the route table (app/core/route_table.c).
 * A row whose handler is missing here makes the server refuse to start.
 */
#include "medex.h"
#include "handlers.h"
#include "route_table.h"
#include "routes.h"

#if RM_GET != HTTP_METHOD_GET || RM_POST != HTTP_METHOD_POST || \
    RM_PUT != HTTP_METHOD_PUT || RM_DELETE != HTTP_METHOD_DELETE || \
    RM_PATCH != HTTP_METHOD_PATCH
#error "route_table.h method bits differ from Kore's"
#endif

static const medex_handler	handlers[R_COUNT] = {
	[R_HEALTHZ] = api_healthz,
	[R_READYZ] = api_readyz,
	[R_JWKS] = api_jwks,
	[R_AUTH_LOGIN] = api_auth_login,
	[R_AUTH_LOGOUT] = api_auth_logout,
	[R_AUTH_REFRESH] = api_auth_refresh,
	[R_ME] = api_auth_me,
	[R_OFFICES_CREATE] = api_offices_create,
	[R_OFFICES_LIST] = api_offices_list,
	[R_USERS_CREATE] = api_users_create,
	[R_USERS_LIST] = api_users_list,
	[R_USERS_GET] = api_users_get,
	[R_USERS_PATCH] = api_users_patch,
	[R_CASES_CREATE] = api_cases_create,
	[R_CASES_LIST] = api_cases_list,
	[R_CASES_SUMMARY] = api_cases_summary,
	[R_REFERENCE] = api_reference,
	[R_CASES_GET] = api_cases_get,
	[R_CASES_PATCH] = api_cases_patch,
	[R_CASES_TRANSITION] = api_cases_transition,
	[R_CASES_EVENTS] = api_cases_events,
	[R_CASES_NOTES_LIST] = api_cases_notes_list,
	[R_CASES_NOTES_ADD] = api_cases_notes_add,
	[R_CASES_DISCUSSIONS] = api_cases_discussions,
	[R_CASES_CAUSE] = api_cases_cause,
	[R_CASES_REPRESENTATIVES] = api_cases_representatives,
	[R_CASES_CONTACTS] = api_cases_contacts,
	[R_CASES_EXHAUSTED] = api_cases_exhausted,
	[R_CASES_CORONER_REFERRAL] = api_cases_coroner_referral,
	[R_CASES_CORONER_DECISION] = api_cases_coroner_decision,
	[R_CASES_GOVERNANCE] = api_cases_governance,
	[R_CASES_FINAL_ACTIONS] = api_cases_final_actions,
	[R_CASES_ASSIGNMENT] = api_cases_assignment,
	[R_CASES_URGENT_RELEASE] = api_cases_urgent_release,
	[R_PAGE_HOME] = pages_home,
	[R_PAGE_LOGIN_FORM] = pages_login_form,
	[R_PAGE_LOGIN] = pages_login,
	[R_PAGE_SSO_START] = pages_sso_start,
	[R_PAGE_SSO_CALLBACK] = pages_sso_callback,
	[R_SSO_CLIENT_JWKS] = api_sso_client_jwks,
	[R_PAGE_LOGOUT] = pages_logout,
	[R_PAGE_CASES] = pages_case_list,
	[R_PAGE_OFFICES] = pages_offices,
	[R_PAGE_USERS] = pages_users,
	[R_ASSET] = pages_asset,
	[R_ASSET_IMAGE] = pages_asset,
	[R_OPENAPI] = api_openapi,
	[R_EXPORTS_MONTHLY] = api_exports_monthly,
	[R_PAGE_CASE_NEW] = pages_case_new,
	[R_PAGE_CASE_CREATE] = pages_case_create,
	[R_PAGE_CASE] = pages_case,
	[R_PAGE_CASE_PRINT] = pages_case_print,
	[R_PAGE_CASE_FORM] = pages_case_form,
	[R_PAGE_CASE_ACTION] = pages_case_action,
	[R_PAGE_EXPORTS] = pages_exports,
	[R_PAGE_OFFICE] = pages_office,
	[R_PAGE_IMPORT] = pages_import,
	[R_PAGE_IMPORT_TEMPLATE] = pages_import_template,
	[R_PAGE_IMPORT_CHECK] = pages_import_check,
	[R_PAGE_IMPORT_CONFIRM] = pages_import_confirm,
	[R_API_DOCS] = api_docs,
	[R_AUDIT] = api_audit,
	[R_PAGE_AUDIT] = pages_audit,
	[R_ME_PASSWORD] = api_me_password,
	[R_PAGE_PASSWORD_FORM] = pages_password_form,
	[R_PAGE_PASSWORD] = pages_password,
	[R_ME_OTP] = api_me_otp,
	[R_ME_OTP_CONFIRM] = api_me_otp_confirm,
	[R_ME_OTP_DISABLE] = api_me_otp_disable,
	[R_PAGE_OTP] = pages_otp,
	[R_PAGE_OTP_START] = pages_otp_start,
	[R_PAGE_OTP_CONFIRM] = pages_otp_confirm,
	[R_PAGE_OTP_DISABLE] = pages_otp_disable,
	[R_OFFICES_GET] = api_offices_get,
	[R_OFFICES_PATCH] = api_offices_patch,
	[R_PAGE_ADMIN_USER] = pages_admin_user,
	[R_PAGE_ADMIN_FORM] = pages_admin_form,
	[R_PAGE_ADMIN_ACTION] = pages_admin_action,
	[R_CASES_WARNING_ACK] = api_cases_warning_ack,
	[R_PAGE_CASE_WARNING_ACK] = pages_case_warning_ack,
	[R_OFFICES_ABBREVIATIONS_GET] = api_offices_abbreviations_get,
	[R_OFFICES_ABBREVIATIONS_PUT] = api_offices_abbreviations_put,
	[R_CASES_REFERRAL_SENT] = api_cases_referral_sent,
	[R_CASES_REFERRAL_ACK] = api_cases_referral_ack,
	[R_PAGE_REFERRAL_DOC] = pages_referral_document,
	[R_PAGE_REFERRAL_PDF] = pages_referral_pdf,
};

medex_handler
route_handler(enum route_id id)
{
	if ((int)id < 0 || id >= R_COUNT)
		return (NULL);
	return (handlers[id]);
}

void
routes_check(void)
{
	size_t	i;

	for (i = 0; i < route_table_count; i++) {
		if (route_handler(route_table[i].id) == NULL)
			fatal("medex: route %s has no handler",
			    route_table[i].pattern);
	}
}
