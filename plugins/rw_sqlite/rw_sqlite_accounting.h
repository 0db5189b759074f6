/**
 * @defgroup rw_sqlite_accounting rw_sqlite_accounting
 * @{ @ingroup rw_sqlite
 */

#ifndef RW_SQLITE_ACCOUNTING_H_
#define RW_SQLITE_ACCOUNTING_H_

#include <bus/listeners/listener.h>

#include "rw_sqlite_db.h"

typedef struct rw_sqlite_accounting_t rw_sqlite_accounting_t;

/**
 * Sessions in the store (start, interim counters, end and its reason), session
 * limits, and live enforcement of changes made in the store: disabled, deleted and
 * expired users and kill requests cut the IKE_SAs concerned.
 */
struct rw_sqlite_accounting_t {

	/**
	 * Implements listener_t
	 */
	listener_t listener;

	/**
	 * Repair the store after an unclean stop of this gateway: open sessions end as
	 * "crash", online leases are released.
	 */
	void (*recover)(rw_sqlite_accounting_t *this);

	/**
	 * Start the periodic enforcement and interim update job.
	 */
	void (*start)(rw_sqlite_accounting_t *this);

	/**
	 * Destroy, ending sessions still open as "shutdown".
	 */
	void (*destroy)(rw_sqlite_accounting_t *this);
};

/**
 * Create the accounting listener.
 */
rw_sqlite_accounting_t *rw_sqlite_accounting_create(rw_sqlite_db_t *db);

#endif /** RW_SQLITE_ACCOUNTING_H_ @}*/
