/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TW_ERROR domain and its mapping to <sysexits.h> statuses. */
#include "config.h"

#include <sysexits.h>

#include "trowatch/util.h"

G_DEFINE_QUARK(trowatch - error - quark, tw_util_error)

int
tw_util_exit_code(const GError *error)
{
	if (error == NULL)
		return EX_OK;
	if (error->domain != TW_ERROR)
		return EX_SOFTWARE;
	switch ((TwErrorCode)error->code) {
	case TW_ERROR_USAGE:
		return EX_USAGE;
	case TW_ERROR_DATA:
		return EX_DATAERR;
	case TW_ERROR_NOINPUT:
		return EX_NOINPUT;
	case TW_ERROR_IO:
		return EX_IOERR;
	case TW_ERROR_TEMPFAIL:
		return EX_TEMPFAIL;
	case TW_ERROR_CONFIG:
		return EX_CONFIG;
	case TW_ERROR_FAILED:
		break;
	}
	return EX_SOFTWARE;
}
