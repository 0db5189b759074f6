/**
 * @defgroup rw_sqlite_db rw_sqlite_db
 * @{ @ingroup rw_sqlite
 *
 * The plugin's connection to the store, shared by its parts. The database is opened
 * lazily and reopened after a failure, so a missing or broken database repaired by
 * the operator is picked up without restarting charon.
 */

#ifndef RW_SQLITE_DB_H_
#define RW_SQLITE_DB_H_

#include <library.h>
#include <utils/identification.h>

#include <rw_store.h>

typedef struct rw_sqlite_db_t rw_sqlite_db_t;

/**
 * A deferred write: runs inside a batch, then frees data.
 */
typedef void (*rw_sqlite_write_t)(rw_sqlite_db_t *db, rw_store_t *store, void *data);

struct rw_sqlite_db_t {

	/**
	 * Lock the store for exclusive use by the calling thread.
	 *
	 * @return			the store, NULL (not locked) if it cannot be opened
	 */
	rw_store_t *(*lock)(rw_sqlite_db_t *this);

	/**
	 * Unlock the store; after a database failure it is closed and reopened on the
	 * next lock().
	 *
	 * @param status	result of the last operation
	 */
	void (*unlock)(rw_sqlite_db_t *this, rw_status_t status);

	/**
	 * Path of the database.
	 */
	const char *(*get_path)(rw_sqlite_db_t *this);

	/**
	 * Name of this gateway, recorded with leases and sessions.
	 */
	const char *(*get_gateway)(rw_sqlite_db_t *this);

	/**
	 * The user an (EAP) identity authenticates as, under the configured matching
	 * rule (rw_store_user_auth()); an identity too long to be a user name is
	 * RW_ERR_NOTFOUND, never a truncated name.
	 *
	 * @param store		the locked store
	 */
	rw_status_t (*find_user)(rw_sqlite_db_t *this, rw_store_t *store,
							 identification_t *id, rw_user_t *user, rw_error_t *err);

	/**
	 * Log a store error once per kind and minute at DBG1 (not for every client).
	 */
	void (*log_error)(rw_sqlite_db_t *this, const char *what, rw_error_t *err);

	/**
	 * Queue a write that need not be done before the caller goes on (a lease
	 * release): it runs with the next flush(), in one batch with the others.
	 *
	 * @param write		the write, called with data once (also if it is dropped,
	 *					with store NULL, to free data)
	 * @param data		its argument
	 */
	void (*defer)(rw_sqlite_db_t *this, rw_sqlite_write_t write, void *data);

	/**
	 * Run the queued writes in one batch; kept for the next flush while the store
	 * cannot be used.
	 */
	void (*flush)(rw_sqlite_db_t *this);

	/**
	 * Destroy the connection, after a last flush.
	 */
	void (*destroy)(rw_sqlite_db_t *this);
};

/**
 * Create the shared connection from the plugin's options.
 */
rw_sqlite_db_t *rw_sqlite_db_create(void);

#endif /** RW_SQLITE_DB_H_ @}*/
