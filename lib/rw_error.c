#include "rw_error.h"

#include <stdarg.h>
#include <stdio.h>

rw_status_t rw_error_set(rw_error_t *err, rw_status_t status, const char *fmt, ...)
{
	va_list args;

	if (err)
	{
		err->status = status;
		err->index = -1;
		va_start(args, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, args);
		va_end(args);
	}
	return status;
}

void rw_error_clear(rw_error_t *err)
{
	if (err)
	{
		err->status = RW_OK;
		err->index = -1;
		err->msg[0] = '\0';
	}
}

const char *rw_status_name(rw_status_t status)
{
	switch (status)
	{
		case RW_OK:				return "ok";
		case RW_ERR_INVALID:	return "invalid";
		case RW_ERR_NOTFOUND:	return "not found";
		case RW_ERR_EXISTS:		return "exists";
		case RW_ERR_BUSY:		return "busy";
		case RW_ERR_INUSE:		return "in use";
		case RW_ERR_PERM:		return "permission denied";
		case RW_ERR_CORRUPT:	return "corrupt";
		case RW_ERR_SCHEMA:		return "schema too new";
		case RW_ERR_FULL:		return "pool full";
		case RW_ERR_LIMIT:		return "session limit";
		case RW_ERR_DISABLED:	return "disabled";
		case RW_ERR_EXPIRED:	return "expired";
		case RW_ERR_IO:			return "i/o error";
		case RW_ERR_NOMEM:		return "out of memory";
	}
	return "unknown";
}
