/**
 * @defgroup rw_sqlite_creds rw_sqlite_creds
 * @{ @ingroup rw_sqlite
 */

#ifndef RW_SQLITE_CREDS_H_
#define RW_SQLITE_CREDS_H_

#include <credentials/credential_set.h>

#include "rw_sqlite_db.h"

typedef struct rw_sqlite_creds_t rw_sqlite_creds_t;

/**
 * NT hashes of the store's users for EAP-MSCHAPv2, looked up by EAP identity.
 */
struct rw_sqlite_creds_t {

	/**
	 * Implements credential_set_t
	 */
	credential_set_t set;

	/**
	 * Destroy a rw_sqlite_creds_t.
	 */
	void (*destroy)(rw_sqlite_creds_t *this);
};

/**
 * Create the credential set.
 */
rw_sqlite_creds_t *rw_sqlite_creds_create(rw_sqlite_db_t *db);

#endif /** RW_SQLITE_CREDS_H_ @}*/
