/**
 * rwctl: the operator's command-line tool for the rw-sqlite store.
 *
 * Shared declarations of the subcommand files (user.c, pool.c, lease.c, session.c,
 * history.c) and the helpers in common.c, output.c, password.c and settings.c.
 *
 * Every command function returns the process exit status (RWCTL_EXIT_*). A failure
 * prints exactly one line "rwctl: ..." on stderr where it is detected and is then
 * only passed up, so the operator never sees a stack of messages.
 */

#ifndef RWCTL_COMMON_H_
#define RWCTL_COMMON_H_

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rw_store.h"
#include "settings.h"

/** Exit statuses, documented in rwctl(8) and "rwctl help" */
enum {
	RWCTL_EXIT_OK = 0,
	/** any other failure: rejected data, I/O ... */
	RWCTL_EXIT_ERROR = 1,
	/** the command line is wrong: unknown command or option, malformed argument */
	RWCTL_EXIT_USAGE = 2,
	/** no such user, pool, lease or session */
	RWCTL_EXIT_NOTFOUND = 3,
	/** exists already, overlaps or is in use */
	RWCTL_EXIT_CONFLICT = 4,
	/** the database stayed locked by another writer */
	RWCTL_EXIT_BUSY = 5,
	/** the database is missing, corrupt, of a newer schema, read-only or unsafe */
	RWCTL_EXIT_DATABASE = 6,
};

/** How long to wait for a lock held by charon or another rwctl, by default */
#define RWCTL_DEFAULT_LOCK_TIMEOUT_MS 5000

/** Options every subcommand accepts */
typedef struct {
	/** --db PATH, NULL to take it from strongswan.conf */
	const char *db_path;
	/** --json */
	bool json;
	/** --lock-timeout SECONDS, in milliseconds */
	int lock_timeout_ms;
} rwctl_opts_t;

/** One subcommand: "add" of "user", or "history" itself */
typedef struct {
	const char *name;
	int (*run)(rwctl_opts_t *opts, int argc, char **argv);
	/** usage line without "rwctl ", e.g. "user add NAME [OPTIONS]" */
	const char *usage;
	/** a few words for the command list */
	const char *summary;
	/** what --help says about it, NULL to repeat the summary */
	const char *description;
	/** option descriptions, NULL if none */
	const char *options_help;
} rwctl_cmd_t;

/* ------------------------------------------------------------------------------ */
/* errors (common.c) */

/** Print "rwctl: <message>" on stderr without newline; control characters as '?'. */
void rwctl_vreport(const char *fmt, va_list args);

/** Print "rwctl: <message>" on stderr and return code. */
int rwctl_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Print a usage error naming the help to read, return RWCTL_EXIT_USAGE. */
int rwctl_usage_error(const rwctl_cmd_t *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Exit status for a librw status. */
int rwctl_exit_for(rw_status_t status);

/** Print the message of a librw error and return its exit status. */
int rwctl_fail_store(const rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* option parsing (common.c) */

/** Long option ids of the common options, above any short option character */
enum {
	RWCTL_OPT_DB = 0x1000,
	RWCTL_OPT_JSON,
	RWCTL_OPT_LOCK_TIMEOUT,
	RWCTL_OPT_HELP,
	/** first id free for a subcommand's own options */
	RWCTL_OPT_LOCAL,
};

/** Entries of the common options, to put first into a subcommand's option table */
#define RWCTL_COMMON_OPTIONS \
	{ "db", required_argument, NULL, RWCTL_OPT_DB }, \
	{ "json", no_argument, NULL, RWCTL_OPT_JSON }, \
	{ "lock-timeout", required_argument, NULL, RWCTL_OPT_LOCK_TIMEOUT }, \
	{ "help", no_argument, NULL, RWCTL_OPT_HELP }

/** Short options getopt_long() gets: ':' reports a missing argument, 'h' is help */
#define RWCTL_SHORT_OPTIONS ":h"

/** Result of rwctl_common_option() that means "handled, go on parsing" */
#define RWCTL_CONTINUE (-1)

/**
 * Handle an option getopt_long() returned that the subcommand does not know itself:
 * the common options, help, and errors. Returns RWCTL_CONTINUE to go on parsing,
 * otherwise the exit status to return (help printed, or a usage error reported).
 */
int rwctl_common_option(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, int opt,
						char **argv);

/** Reset getopt for parsing a new argument vector. */
void rwctl_getopt_reset(void);

/**
 * Check the number of positional arguments left after the options.
 * Returns RWCTL_CONTINUE if between min and max, else a usage error.
 */
int rwctl_positional(const rwctl_cmd_t *cmd, int argc, char **argv, int min, int max);

/** Print the help of one subcommand on stdout; returns RWCTL_EXIT_OK. */
int rwctl_cmd_help(const rwctl_cmd_t *cmd);

/** Print the help of a command group ("user"), listing its subcommands. */
int rwctl_group_help(const char *group, const rwctl_cmd_t *cmds);

/**
 * Run the subcommand of a group named by argv[1] ("rwctl user add ...": argv[0] is
 * "user"), or print the group help for --help / help.
 */
int rwctl_group_run(rwctl_opts_t *opts, const char *group, const rwctl_cmd_t *cmds,
					int argc, char **argv);

/* ------------------------------------------------------------------------------ */
/* values (common.c) */

/**
 * Parse an expiry: "never" (0), "now", "YYYY-MM-DD" (start of that day, local time),
 * "YYYY-MM-DD HH:MM[:SS]" or with 'T' (local time), the same ending in 'Z' (UTC),
 * "@EPOCH", "+N" followed by h, d or w (from now).
 */
bool rwctl_parse_time(const char *s, int64_t now, int64_t *out);

/** Parse a non-negative int; "none" and "unlimited" are 0 if allow_none. */
bool rwctl_parse_count(const char *s, bool allow_none, int *out);

/** Local time "YYYY-MM-DD HH:MM:SS" into buf (32 bytes), "-" for 0. */
const char *rwctl_time_local(int64_t t, char *buf, size_t len);

/** UTC "YYYY-MM-DDTHH:MM:SSZ" into buf (32 bytes), "" for 0. */
const char *rwctl_time_utc(int64_t t, char *buf, size_t len);

/** Current time in seconds */
int64_t rwctl_now(void);

/* ------------------------------------------------------------------------------ */
/* the database (common.c, settings.c) */

/** How a command uses the database */
typedef enum {
	/** queries only (opened read-only): a missing database is an error */
	RWCTL_DB_READ,
	/** changes to something that must exist: a missing database is an error */
	RWCTL_DB_CHANGE,
	/** changes that may be the first ones: the database is created (0600) if missing */
	RWCTL_DB_CREATE,
} rwctl_db_mode_t;

/**
 * Find and open the database: --db, else strongswan.conf, else the default.
 * Refuses a file other users may read or write. Returns an exit status.
 */
int rwctl_open(const rwctl_opts_t *opts, rwctl_db_mode_t mode, rw_store_t **store);

/* ------------------------------------------------------------------------------ */
/* secrets (password.c) */

/** Where a user's NT hash comes from */
typedef enum {
	/** a no-echo prompt on the terminal, asked twice */
	RWCTL_SECRET_PROMPT,
	/** the first line of stdin is the password */
	RWCTL_SECRET_PASSWORD_STDIN,
	/** the first line of stdin is an NT hash in hex */
	RWCTL_SECRET_HASH_STDIN,
} rwctl_secret_source_t;

/**
 * Get an NT hash for user name from the given source. Returns an exit status.
 * The password never leaves this function; its buffers are wiped.
 */
int rwctl_read_secret(rwctl_secret_source_t source, const char *name, uint8_t hash[16]);

/**
 * Turn a password as typed into UTF-8: kept if it is valid UTF-8 already, else
 * converted from the locale's character set. Returns false if neither works.
 */
bool rwctl_password_to_utf8(const char *in, char *out, size_t outlen);

/* ------------------------------------------------------------------------------ */
/* listings (output.c) */

typedef struct rwctl_list rwctl_list_t;

/**
 * Start a listing on stdout: a JSON array with --json; else columns, aligned under a
 * header on a terminal, tab-separated without header otherwise (for scripts).
 */
rwctl_list_t *rwctl_list_begin(const rwctl_opts_t *opts, const char *const *headers,
							   int columns);

/** True if the listing is JSON: add rows with rwctl_list_json() */
bool rwctl_list_is_json(const rwctl_list_t *list);

/** Add a row of cells (NULL or "" is printed as "-"). */
void rwctl_list_row(rwctl_list_t *list, const char *const *cells);

/** Add a JSON object (a struct json_object *), taking its reference. */
void rwctl_list_json(rwctl_list_t *list, void *object);

/** Finish the listing; returns an exit status (write errors). */
int rwctl_list_end(rwctl_list_t *list);

/** Print a JSON object (struct json_object *) on stdout and drop it; exit status. */
int rwctl_print_json(void *object);

/** Print "key: value" lines of a "show" command; value NULL or "" as "-". */
void rwctl_show_field(const char *key, const char *value);

/** Flush stdout; returns an exit status (write errors such as a full disk). */
int rwctl_flush_stdout(void);

/** Copy s into buf replacing control characters (client-sent identities) by '?'. */
const char *rwctl_printable(const char *s, char *buf, size_t len);

/* ------------------------------------------------------------------------------ */
/* progress bar (output.c) */

typedef struct {
	/** draw at all (stderr is a terminal) */
	bool enabled;
	const char *label;
	/** last drawn permille, to redraw only on change */
	int drawn;
} rwctl_progress_t;

void rwctl_progress_init(rwctl_progress_t *p, const char *label);
void rwctl_progress_update(rwctl_progress_t *p, uint64_t done, uint64_t total);
/** Clear the bar's line */
void rwctl_progress_done(rwctl_progress_t *p);

/* ------------------------------------------------------------------------------ */
/* subcommand groups */

int rwctl_user(rwctl_opts_t *opts, int argc, char **argv);
int rwctl_pool(rwctl_opts_t *opts, int argc, char **argv);
int rwctl_lease(rwctl_opts_t *opts, int argc, char **argv);
int rwctl_session(rwctl_opts_t *opts, int argc, char **argv);
int rwctl_history(rwctl_opts_t *opts, int argc, char **argv);
/** client families in charon log text (classify.c) */
int rwctl_classify(rwctl_opts_t *opts, int argc, char **argv);

extern const rwctl_cmd_t rwctl_user_cmds[];
extern const rwctl_cmd_t rwctl_pool_cmds[];
extern const rwctl_cmd_t rwctl_lease_cmds[];
extern const rwctl_cmd_t rwctl_session_cmds[];
extern const rwctl_cmd_t rwctl_history_cmd;
extern const rwctl_cmd_t rwctl_classify_cmd;

/** user import / export (csv.c) */
int rwctl_user_import(rwctl_opts_t *opts, int argc, char **argv);
int rwctl_user_export(rwctl_opts_t *opts, int argc, char **argv);

/**
 * Find the pool that contains address (for --static-ip without --pool).
 * Returns an exit status; pool receives the name.
 */
int rwctl_pool_for_address(rw_store_t *store, const rw_addr_t *address, char *pool,
						   size_t len);

/** Parse a user's enabled flag as in CSV: yes/no, true/false, 1/0, on/off. */
bool rwctl_parse_bool(const char *s, bool *out);

#endif /* RWCTL_COMMON_H_ */
