/**
 * rwctl's view of strongswan.conf: kept apart from common.h because settings.c is
 * compiled with strongSwan's headers and config.h.
 */

#ifndef RWCTL_SETTINGS_H_
#define RWCTL_SETTINGS_H_

#include <stdbool.h>
#include <stddef.h>

/** Database used when strongswan.conf does not name one (as conf.d/rw-sqlite.opt) */
#define RWCTL_DEFAULT_DB "/var/lib/strongswan/rw.db"
/** strongswan.conf option charon reads the database path from */
#define RWCTL_DB_OPTION "charon.plugins.rw-sqlite.database"

/**
 * Database path from strongswan.conf (honours STRONGSWAN_CONF), or the default.
 * Returns false with a message in err if strongswan.conf cannot be parsed.
 */
bool rwctl_settings_database(char *path, size_t len, char *err, size_t errlen);

#endif /* RWCTL_SETTINGS_H_ */
