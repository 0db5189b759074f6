/**
 * @defgroup rw_quirks_selfcheck rw_quirks_selfcheck
 * @{ @ingroup rw_quirks
 *
 * Checks the gateway's own certificates against what each client family requires
 * (subjectAltName with the gateway's identity, serverAuth EKU, complete chain) and
 * warns at DBG1. charon tells no plugin when connections or credentials are
 * (re)loaded, so a job looks at them periodically and logs whenever the result
 * changes: at start, once the connections are loaded, and after every change made
 * with swanctl --load-conns/--load-creds/--load-all.
 */

#ifndef RW_QUIRKS_SELFCHECK_H_
#define RW_QUIRKS_SELFCHECK_H_

#include <library.h>

typedef struct rw_quirks_selfcheck_t rw_quirks_selfcheck_t;

struct rw_quirks_selfcheck_t {

	/**
	 * Check now; logs the findings if they differ from the previous check.
	 *
	 * @return			number of (connection, family) pairs with a problem
	 */
	u_int (*check)(rw_quirks_selfcheck_t *this);

	/**
	 * Destroy a rw_quirks_selfcheck_t.
	 */
	void (*destroy)(rw_quirks_selfcheck_t *this);
};

/**
 * Create the self-check and schedule it.
 *
 * @param interval		seconds between checks, 0 for none (check() only)
 * @return				self-check
 */
rw_quirks_selfcheck_t *rw_quirks_selfcheck_create(u_int interval);

#endif /** RW_QUIRKS_SELFCHECK_H_ @}*/
