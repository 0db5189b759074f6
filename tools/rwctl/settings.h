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

/** strongswan.conf options of rw-quirks' classifier rules */
#define RWCTL_RULES_OPTION "charon.plugins.rw-quirks.rules"
#define RWCTL_RULES_FILE_OPTION "charon.plugins.rw-quirks.rules_file"

/**
 * Classifier rules rw-quirks reads from strongswan.conf, in its order and as the
 * pieces it adds one by one (each one rule line, for rw_classifier_add_rule()): each
 * line of rules_file but the empty and comment-only ones, then each rules.NAME = BODY
 * as "NAME BODY". *rules is NULL if there are none, else the pieces, each ended by a
 * NUL, the last by two (free it). Returns false with a message in err if they cannot
 * be read.
 */
bool rwctl_settings_classifier_rules(char **rules, char *err, size_t errlen);

#endif /* RWCTL_SETTINGS_H_ */
