#include "rw_quirks_config.h"

#include <errno.h>

#include <daemon.h>

/**
 * Add the rules of a file line by line: a bad line is logged with its number and
 * skipped, the other lines apply
 */
static void load_rules_file(rw_classifier_t *classifier, char *file)
{
	chunk_t *text, rest, line;
	u_char *end;
	u_int lineno = 0, bad = 0;
	rw_error_t err;

	text = chunk_map(file, FALSE);
	if (!text)
	{
		DBG1(DBG_CFG, "rw-quirks: reading classifier rules from '%s' failed: %s",
			 file, strerror(errno));
		return;
	}
	rest = *text;
	while (rest.len)
	{
		lineno++;
		end = memchr(rest.ptr, '\n', rest.len);
		line = chunk_create(rest.ptr, end ? end - rest.ptr : rest.len);
		rest = chunk_skip(rest, end ? line.len + 1 : line.len);
		if (rw_classifier_add_rule(classifier, (char*)line.ptr, line.len,
								   &err) != RW_OK)
		{
			DBG1(DBG_CFG, "rw-quirks: ignoring classifier rule %s:%u: %s", file,
				 lineno, err.msg);
			bad++;
		}
	}
	chunk_unmap(text);
	DBG2(DBG_CFG, "rw-quirks: read %u line(s) of classifier rules from '%s', %u "
		 "ignored", lineno, file, bad);
}

/*
 * Described in header
 */
void rw_quirks_config_load_rules(rw_classifier_t *classifier)
{
	enumerator_t *enumerator;
	char *file, *name, *body, *line;
	rw_error_t err;
	size_t len;

	file = lib->settings->get_str(lib->settings, "%s.plugins.rw-quirks.rules_file",
								  NULL, lib->ns);
	if (file && *file)
	{
		load_rules_file(classifier, file);
	}
	enumerator = lib->settings->create_key_value_enumerator(lib->settings,
									"%s.plugins.rw-quirks.rules", lib->ns);
	while (enumerator->enumerate(enumerator, &name, &body))
	{
		len = strlen(name) + strlen(body) + 2;
		line = malloc(len);
		snprintf(line, len, "%s %s", name, body);
		if (rw_classifier_add_rule(classifier, line, strlen(line), &err) != RW_OK)
		{
			DBG1(DBG_CFG, "rw-quirks: ignoring classifier rule rules.%s: %s", name,
				 err.msg);
		}
		free(line);
	}
	enumerator->destroy(enumerator);
}

/*
 * Described in header
 */
void rw_quirks_config_load_families(rw_quirk_table_t *table)
{
	enumerator_t *families, *options;
	char *family, *key, *value;
	rw_error_t err;

	families = lib->settings->create_section_enumerator(lib->settings,
									"%s.plugins.rw-quirks.families", lib->ns);
	while (families->enumerate(families, &family))
	{
		if (!rw_quirk_family_valid(family))
		{
			DBG1(DBG_CFG, "rw-quirks: ignoring options of families.%s: no client is "
				 "classified so (family names are lower case letters, digits and "
				 "'-')", family);
			continue;
		}
		options = lib->settings->create_key_value_enumerator(lib->settings,
							"%s.plugins.rw-quirks.families.%s", lib->ns, family);
		while (options->enumerate(options, &key, &value))
		{
			if (rw_quirk_table_set(table, family, key, value, &err) != RW_OK)
			{
				DBG1(DBG_CFG, "rw-quirks: ignoring option families.%s.%s: %s",
					 family, key, err.msg);
			}
		}
		options->destroy(options);
	}
	families->destroy(families);
}
