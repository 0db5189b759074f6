/**
 * @defgroup rw_sqlite_provider rw_sqlite_provider
 * @{ @ingroup rw_sqlite
 */

#ifndef RW_SQLITE_PROVIDER_H_
#define RW_SQLITE_PROVIDER_H_

#include <attributes/attribute_provider.h>

#include "rw_sqlite_db.h"

typedef struct rw_sqlite_provider_t rw_sqlite_provider_t;

/**
 * Virtual IPs from the store's pools: lazy, sticky and static leases.
 */
struct rw_sqlite_provider_t {

	/**
	 * Implements attribute_provider_t
	 */
	attribute_provider_t provider;

	/**
	 * Destroy a rw_sqlite_provider_t.
	 */
	void (*destroy)(rw_sqlite_provider_t *this);
};

/**
 * Create the attribute provider.
 */
rw_sqlite_provider_t *rw_sqlite_provider_create(rw_sqlite_db_t *db);

#endif /** RW_SQLITE_PROVIDER_H_ @}*/
