/**
 * @defgroup rw_error rw_error
 * @{ @ingroup librw
 *
 * Status codes and error details returned by librw functions.
 */

#ifndef RW_ERROR_H_
#define RW_ERROR_H_

typedef enum {
	RW_OK = 0,
	/** bad argument: name, address, CIDR, option ... */
	RW_ERR_INVALID,
	/** no such user, pool, lease, session or file */
	RW_ERR_NOTFOUND,
	/** exists already, or overlaps something that exists */
	RW_ERR_EXISTS,
	/** database locked by another writer for longer than the busy timeout */
	RW_ERR_BUSY,
	/** still in use: a pool with online leases, leases outside a new range */
	RW_ERR_INUSE,
	/** no permission, or a read-only database or file system */
	RW_ERR_PERM,
	/** not a database, or a damaged one */
	RW_ERR_CORRUPT,
	/** schema newer than this version understands */
	RW_ERR_SCHEMA,
	/** pool has no free address */
	RW_ERR_FULL,
	/** user at his session limit */
	RW_ERR_LIMIT,
	/** user disabled */
	RW_ERR_DISABLED,
	/** user expired */
	RW_ERR_EXPIRED,
	/** any other I/O or database failure */
	RW_ERR_IO,
	/** out of memory */
	RW_ERR_NOMEM,
} rw_status_t;

typedef struct {
	rw_status_t status;
	/** index of the offending item in a batch (import), -1 otherwise */
	long index;
	/** one line for humans, without trailing newline */
	char msg[256];
} rw_error_t;

/**
 * Fill err (may be NULL) and return status.
 */
rw_status_t rw_error_set(rw_error_t *err, rw_status_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Reset err to RW_OK (err may be NULL). */
void rw_error_clear(rw_error_t *err);

/** Short name of a status, e.g. "not found". */
const char *rw_status_name(rw_status_t status);

#endif /** RW_ERROR_H_ @}*/
