/*
 * Where charon's rw-sqlite plugin keeps its database: read with libstrongswan's own
 * settings parser, so rwctl understands strongswan.conf exactly as charon does
 * (include statements, strongswan.d snippets, STRONGSWAN_CONF, later definitions
 * overriding earlier ones).
 *
 * Compiled with strongSwan's headers and config.h, unlike the rest of rwctl, so it
 * includes only settings.h of rwctl's own headers.
 */

#include "settings.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <library.h>
#include <utils/debug.h>

/*
 * The first complaint of libstrongswan while parsing ("syntax error, unexpected ..."):
 * only dbg() carries the reason a strongswan.conf is refused, and dbg is a plain
 * function pointer, hence a static. Later complaints only repeat that it failed.
 */
static char first_complaint[200];

static void remember_complaint(debug_t group, level_t level, char *fmt, ...)
{
	va_list args;

	/* level 0 and 1 are the errors; the rest is chatter not meant for rwctl users */
	if (level <= 1 && !first_complaint[0])
	{
		va_start(args, fmt);
		vsnprintf(first_complaint, sizeof(first_complaint), fmt, args);
		va_end(args);
	}
}

bool rwctl_settings_database(char *path, size_t len, char *err, size_t errlen)
{
	const char *conf, *database;
	bool ok = true;

	conf = getenv("STRONGSWAN_CONF");
	first_complaint[0] = '\0';
	/* library_init() would print its complaints on stderr; rwctl prints one line */
	dbg = remember_complaint;
	if (!library_init(NULL, "rwctl"))
	{
		snprintf(err, errlen, "cannot read %s%s%s", conf ? conf : "strongswan.conf",
				 first_complaint[0] ? ": " : "", first_complaint);
		ok = false;
	}
	else
	{
		database = lib->settings->get_str(lib->settings, RWCTL_DB_OPTION,
										  RWCTL_DEFAULT_DB);
		if (!database || !database[0])
		{
			database = RWCTL_DEFAULT_DB;
		}
		snprintf(path, len, "%s", database);
	}
	library_deinit();
	dbg = dbg_default;
	return ok;
}

/* append an entry "NAME BODY" and the list's final NUL */
static bool append_rules(char **text, size_t *len, const char *a, const char *b)
{
	size_t add = strlen(a) + (b ? strlen(b) + 1 : 0) + 1;
	char *grown = realloc(*text, *len + add + 1);

	if (!grown)
	{
		return false;
	}
	*text = grown;
	snprintf(grown + *len, add, "%s%s%s", a, b ? " " : "", b ? b : "");
	*len += add;
	grown[*len] = '\0';
	return true;
}

/* a line the classifier adds nothing for: blanks, then nothing or a comment */
static bool blank_line(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
	{
	}
	return i == len || line[i] == '#';
}

/*
 * append the lines of a rules file one by one, as rw-quirks adds them, without the
 * empty and comment-only ones. rw-quirks ignores a line with a NUL byte (not text);
 * its NUL bytes become newlines here, so that rw_classifier_add_rule() refuses that
 * piece too.
 */
static bool append_file_rules(char **text, size_t *len, const char *data, size_t size)
{
	const char *end;
	char *line;
	size_t n, i;
	bool nul, ok = true;

	while (ok && size)
	{
		end = memchr(data, '\n', size);
		n = end ? (size_t)(end - data) : size;
		/* the piece keeps a CR before the newline, rw_classifier_add_rule() ignores
		 * it as it does for rw-quirks */
		nul = memchr(data, '\0', n) != NULL;
		if (nul || !blank_line(data, n && data[n - 1] == '\r' ? n - 1 : n))
		{
			line = malloc(n + 1);
			ok = line != NULL;
			if (ok)
			{
				for (i = 0; i < n; i++)
				{
					line[i] = data[i] ? data[i] : '\n';
				}
				line[n] = '\0';
				ok = append_rules(text, len, line, NULL);
			}
			free(line);
		}
		n = end ? (size_t)(end - data) + 1 : size;
		data += n;
		size -= n;
	}
	return ok;
}

bool rwctl_settings_classifier_rules(char **rules, char *err, size_t errlen)
{
	enumerator_t *enumerator;
	const char *conf, *file;
	char *name, *body, *text = NULL;
	chunk_t *mapped;
	size_t len = 0;
	bool ok = true;

	*rules = NULL;
	conf = getenv("STRONGSWAN_CONF");
	first_complaint[0] = '\0';
	dbg = remember_complaint;
	if (!library_init(NULL, "rwctl"))
	{
		snprintf(err, errlen, "cannot read %s%s%s", conf ? conf : "strongswan.conf",
				 first_complaint[0] ? ": " : "", first_complaint);
		library_deinit();
		dbg = dbg_default;
		return false;
	}
	/* as rw-quirks reads them: the rules file first, then rules.NAME = BODY */
	file = lib->settings->get_str(lib->settings, RWCTL_RULES_FILE_OPTION, NULL);
	if (file && *file)
	{
		mapped = chunk_map((char*)file, FALSE);
		if (!mapped)
		{
			snprintf(err, errlen, "cannot read %s '%s': %s", RWCTL_RULES_FILE_OPTION,
					 file, strerror(errno));
			ok = false;
		}
		else
		{
			ok = append_file_rules(&text, &len, (char*)mapped->ptr, mapped->len);
			chunk_unmap(mapped);
		}
	}
	enumerator = lib->settings->create_key_value_enumerator(lib->settings,
													RWCTL_RULES_OPTION);
	while (ok && enumerator->enumerate(enumerator, &name, &body))
	{
		ok = append_rules(&text, &len, name, body);
	}
	enumerator->destroy(enumerator);
	if (ok)
	{
		*rules = text;
	}
	else
	{
		if (!err[0])
		{
			snprintf(err, errlen, "out of memory");
		}
		free(text);
	}
	library_deinit();
	dbg = dbg_default;
	return ok;
}
