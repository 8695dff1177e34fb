/*
 * The second factor of one's own account (api_otp.c), whose steps the
 * pages run too (pages/account_otp.c).
 */
#ifndef MEDEX_API_OTP_H
#define MEDEX_API_OTP_H

#include "medex.h"

/* Enrolment starts; done (or the API's answer) after. */
int	otp_enrol_start(struct http_request *, struct medex_req *,
	    api_after_cb);
/* Confirms (0) or turns off (1) with a code as typed; done after. */
int	otp_code_start(struct http_request *, struct medex_req *, int,
	    const char *, api_after_cb);

#endif
