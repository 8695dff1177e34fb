/*
 * The one Kore handler (dispatch.c), named by the Kore conf: every
 * request passes through it.
 */
#ifndef MEDEX_DISPATCH_H
#define MEDEX_DISPATCH_H

#include "medex.h"

int	medex_dispatch(struct http_request *);

#endif
