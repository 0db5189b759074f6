/**
 * @defgroup rw_sqlite_dns rw_sqlite_dns
 * @{ @ingroup rw_sqlite
 * DNS settings of the store's pools and users, served to rw-dns (rw_store_dns.h).
 */

#ifndef RW_SQLITE_DNS_H_
#define RW_SQLITE_DNS_H_

#include "../common/rw_store_dns.h"
#include "rw_sqlite_db.h"

typedef struct rw_sqlite_dns_t rw_sqlite_dns_t;

struct rw_sqlite_dns_t {

	/**
	 * Implements the interface rw-dns looks up
	 */
	rw_store_dns_t lookup;

	/**
	 * Destroy it.
	 */
	void (*destroy)(rw_sqlite_dns_t *this);
};

rw_sqlite_dns_t *rw_sqlite_dns_create(rw_sqlite_db_t *db);

#endif /** RW_SQLITE_DNS_H_ @}*/
