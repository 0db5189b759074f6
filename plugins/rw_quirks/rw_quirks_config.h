/**
 * @defgroup rw_quirks_config rw_quirks_config
 * @{ @ingroup rw_quirks
 *
 * rw-quirks' options in strongswan.conf: extra classifier rules (rules_file, one rule
 * per line, and rules.NAME) and quirk options per family (families.FAMILY.KEY). What
 * does not parse is logged and ignored, everything else applies.
 */

#ifndef RW_QUIRKS_CONFIG_H_
#define RW_QUIRKS_CONFIG_H_

#include <rw_classify.h>
#include <rw_quirks.h>

/**
 * Add the classifier rules of strongswan.conf: the lines of rules_file one by one (a
 * bad line is logged as "FILE:LINE" and skipped), then each rules.NAME = BODY as the
 * rule line "NAME BODY".
 *
 * @param classifier	classifier to extend
 */
void rw_quirks_config_load_rules(rw_classifier_t *classifier);

/**
 * Set the quirk options of strongswan.conf (families.FAMILY.KEY = VALUE). A family
 * name the classifier never gives (capitals, '_', '.' ...) is logged once and its
 * options ignored; a bad option is logged and the family keeps its default for it.
 *
 * @param table			quirk table to change
 */
void rw_quirks_config_load_families(rw_quirk_table_t *table);

#endif /** RW_QUIRKS_CONFIG_H_ @}*/
