/*
 * rwctl helpers shared by the subcommands: errors and exit statuses, option parsing
 * and help, times and counts, and opening the database.
 */

#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <time.h>

/* ------------------------------------------------------------------------------ */
/* errors */

void rwctl_vreport(const char *fmt, va_list args)
{
	char line[1024], clean[1024];

	/* stdout first, so a partial listing is not mixed into the error line */
	fflush(stdout);
	vsnprintf(line, sizeof(line), fmt, args);
	/* one line, whatever names or values it quotes (newlines, escape sequences) */
	fprintf(stderr, "rwctl: %s", rwctl_printable(line, clean, sizeof(clean)));
}

int rwctl_fail(int code, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	rwctl_vreport(fmt, args);
	va_end(args);
	fputc('\n', stderr);
	return code;
}

int rwctl_usage_error(const rwctl_cmd_t *cmd, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	rwctl_vreport(fmt, args);
	va_end(args);
	if (cmd)
	{
		fprintf(stderr, "; usage: rwctl %s\n", cmd->usage);
	}
	else
	{
		fputs("; see 'rwctl help'\n", stderr);
	}
	return RWCTL_EXIT_USAGE;
}

int rwctl_exit_for(rw_status_t status)
{
	switch (status)
	{
		case RW_OK:
			return RWCTL_EXIT_OK;
		case RW_ERR_NOTFOUND:
			return RWCTL_EXIT_NOTFOUND;
		case RW_ERR_EXISTS:
		case RW_ERR_INUSE:
			return RWCTL_EXIT_CONFLICT;
		case RW_ERR_BUSY:
			return RWCTL_EXIT_BUSY;
		case RW_ERR_PERM:
		case RW_ERR_CORRUPT:
		case RW_ERR_SCHEMA:
			return RWCTL_EXIT_DATABASE;
		case RW_ERR_INVALID:
		case RW_ERR_FULL:
		case RW_ERR_LIMIT:
		case RW_ERR_DISABLED:
		case RW_ERR_EXPIRED:
		case RW_ERR_IO:
		case RW_ERR_NOMEM:
			break;
	}
	return RWCTL_EXIT_ERROR;
}

int rwctl_fail_store(const rw_error_t *err)
{
	if (err->msg[0])
	{
		return rwctl_fail(rwctl_exit_for(err->status), "%s", err->msg);
	}
	return rwctl_fail(rwctl_exit_for(err->status), "%s", rw_status_name(err->status));
}

/* ------------------------------------------------------------------------------ */
/* options and help */

void rwctl_getopt_reset(void)
{
	/* 0 makes glibc's getopt re-initialise completely, including permutation state */
	optind = 0;
	opterr = 0;
}

int rwctl_common_option(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, int opt,
						char **argv)
{
	int seconds;

	switch (opt)
	{
		case RWCTL_OPT_DB:
			if (!optarg[0])
			{
				return rwctl_usage_error(cmd, "--db needs a file name");
			}
			opts->db_path = optarg;
			return RWCTL_CONTINUE;
		case RWCTL_OPT_JSON:
			opts->json = true;
			return RWCTL_CONTINUE;
		case RWCTL_OPT_LOCK_TIMEOUT:
			if (!rwctl_parse_count(optarg, false, &seconds) || seconds > 3600)
			{
				return rwctl_usage_error(cmd, "--lock-timeout takes seconds (0 to 3600), "
										 "not '%s'", optarg);
			}
			opts->lock_timeout_ms = seconds * 1000;
			return RWCTL_CONTINUE;
		case RWCTL_OPT_HELP:
		case 'h':
			return rwctl_cmd_help(cmd);
		case ':':
			return rwctl_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
		case '?':
			if (optopt && optopt < RWCTL_OPT_DB)
			{
				return rwctl_usage_error(cmd, "unknown option -%c", optopt);
			}
			return rwctl_usage_error(cmd, "unknown option %s", argv[optind - 1]);
		default:
			return rwctl_usage_error(cmd, "unexpected option %s", argv[optind - 1]);
	}
}

int rwctl_positional(const rwctl_cmd_t *cmd, int argc, char **argv, int min, int max)
{
	int count = argc - optind;

	if (count < min)
	{
		return rwctl_usage_error(cmd, "missing argument");
	}
	if (count > max)
	{
		return rwctl_usage_error(cmd, "unexpected argument '%s'", argv[optind + max]);
	}
	return RWCTL_CONTINUE;
}

static const char common_options_help[] =
	"  --db PATH              database (default: " RWCTL_DB_OPTION "\n"
	"                         in strongswan.conf, else " RWCTL_DEFAULT_DB ")\n"
	"  --json                 JSON output\n"
	"  --lock-timeout SECONDS wait this long for a locked database (default 5)\n"
	"  -h, --help             this help\n";

int rwctl_cmd_help(const rwctl_cmd_t *cmd)
{
	if (cmd->description)
	{
		printf("usage: rwctl %s\n%s\n", cmd->usage, cmd->description);
	}
	else
	{
		/* the summary as a sentence */
		printf("usage: rwctl %s\n%c%s.\n", cmd->usage, toupper((unsigned char)cmd->summary[0]),
			   cmd->summary + 1);
	}
	if (cmd->options_help)
	{
		printf("\noptions:\n%s", cmd->options_help);
	}
	printf("\ncommon options:\n%s", common_options_help);
	return rwctl_flush_stdout();
}

int rwctl_group_help(const char *group, const rwctl_cmd_t *cmds)
{
	const rwctl_cmd_t *cmd;

	printf("usage: rwctl %s COMMAND [OPTIONS]\n\ncommands:\n", group);
	for (cmd = cmds; cmd->name; cmd++)
	{
		printf("  %-40s %s\n", cmd->usage, cmd->summary);
	}
	printf("\n'rwctl %s COMMAND --help' describes the options of a command.\n", group);
	return rwctl_flush_stdout();
}

int rwctl_group_run(rwctl_opts_t *opts, const char *group, const rwctl_cmd_t *cmds,
					int argc, char **argv)
{
	const rwctl_cmd_t *cmd;
	const char *name;

	if (argc < 2)
	{
		fflush(stdout);
		fprintf(stderr, "rwctl: missing %s command:", group);
		for (cmd = cmds; cmd->name; cmd++)
		{
			fprintf(stderr, " %s", cmd->name);
		}
		fprintf(stderr, "; see 'rwctl %s --help'\n", group);
		return RWCTL_EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h"))
	{
		return rwctl_group_help(group, cmds);
	}
	for (cmd = cmds; cmd->name; cmd++)
	{
		if (!strcmp(cmd->name, name))
		{
			rwctl_getopt_reset();
			return cmd->run(opts, argc - 1, argv + 1);
		}
	}
	return rwctl_fail(RWCTL_EXIT_USAGE, "unknown command '%s %s'; see 'rwctl %s --help'",
					  group, name, group);
}

/* ------------------------------------------------------------------------------ */
/* values */

int64_t rwctl_now(void)
{
	return (int64_t)time(NULL);
}

/* parse all of s with strptime format fmt into tm; true if nothing is left over */
static bool parse_tm(const char *s, const char *fmt, struct tm *tm)
{
	const char *end;

	memset(tm, 0, sizeof(*tm));
	end = strptime(s, fmt, tm);
	return end && !*end;
}

static bool parse_number(const char *s, long long max, long long *out)
{
	char *end;
	long long value;

	if (!s[0] || s[0] < '0' || s[0] > '9')
	{
		return false;
	}
	errno = 0;
	value = strtoll(s, &end, 10);
	if (errno || *end || value > max)
	{
		return false;
	}
	*out = value;
	return true;
}

bool rwctl_parse_time(const char *s, int64_t now, int64_t *out)
{
	static const char *local_formats[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
		"%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
		"%Y-%m-%d",
	};
	static const char *utc_formats[] = {
		"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%SZ",
		"%Y-%m-%dT%H:%MZ", "%Y-%m-%d %H:%MZ",
	};
	struct tm tm;
	long long number;
	time_t t;
	size_t i, len;

	if (!strcmp(s, "never"))
	{
		*out = 0;
		return true;
	}
	if (!strcmp(s, "now"))
	{
		*out = now;
		return true;
	}
	if (s[0] == '@')
	{
		if (!parse_number(s + 1, INT64_MAX / 2, &number) || number == 0)
		{
			return false;
		}
		*out = number;
		return true;
	}
	if (s[0] == '+')
	{
		char digits[32];
		long long unit;

		len = strlen(s);
		if (len < 3 || len - 2 >= sizeof(digits))
		{
			return false;
		}
		switch (s[len - 1])
		{
			case 'h': unit = 3600; break;
			case 'd': unit = 86400; break;
			case 'w': unit = 7 * 86400; break;
			default: return false;
		}
		memcpy(digits, s + 1, len - 2);
		digits[len - 2] = '\0';
		if (!parse_number(digits, 100LL * 366 * 86400 / unit, &number))
		{
			return false;
		}
		*out = now + number * unit;
		return true;
	}
	for (i = 0; i < sizeof(utc_formats) / sizeof(utc_formats[0]); i++)
	{
		if (parse_tm(s, utc_formats[i], &tm))
		{
			t = timegm(&tm);
			if (t <= 0)
			{
				return false;
			}
			*out = t;
			return true;
		}
	}
	for (i = 0; i < sizeof(local_formats) / sizeof(local_formats[0]); i++)
	{
		if (parse_tm(s, local_formats[i], &tm))
		{
			/* let mktime find out whether daylight saving time applies that day */
			tm.tm_isdst = -1;
			t = mktime(&tm);
			if (t <= 0)
			{
				return false;
			}
			*out = t;
			return true;
		}
	}
	return false;
}

bool rwctl_parse_count(const char *s, bool allow_none, int *out)
{
	long long value;

	if (allow_none && (!strcmp(s, "none") || !strcmp(s, "unlimited")))
	{
		*out = 0;
		return true;
	}
	if (!parse_number(s, INT_MAX, &value))
	{
		return false;
	}
	*out = (int)value;
	return true;
}

bool rwctl_parse_bool(const char *s, bool *out)
{
	static const char *yes[] = { "1", "yes", "y", "true", "on", "enabled" };
	static const char *no[] = { "0", "no", "n", "false", "off", "disabled" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
	{
		if (!strcasecmp(s, yes[i]))
		{
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i]))
		{
			*out = false;
			return true;
		}
	}
	return false;
}

const char *rwctl_time_local(int64_t t, char *buf, size_t len)
{
	time_t when = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&when, &tm) ||
		!strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
	{
		snprintf(buf, len, "-");
	}
	return buf;
}

const char *rwctl_time_utc(int64_t t, char *buf, size_t len)
{
	time_t when = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&when, &tm) ||
		!strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
	{
		snprintf(buf, len, "%s", "");
	}
	return buf;
}

/* ------------------------------------------------------------------------------ */
/* the database */

/* Refuse a database other users could read (NT hashes are password equivalents) or
 * write (they could add themselves a user). */
static int check_db_file(const char *path, rwctl_db_mode_t mode, bool *exists)
{
	struct statvfs fs;
	struct stat st;

	*exists = false;
	if (stat(path, &st) != 0)
	{
		if (errno == ENOENT)
		{
			if (mode != RWCTL_DB_CREATE)
			{
				return rwctl_fail(RWCTL_EXIT_DATABASE, "database %s does not exist ("
								  "'rwctl pool add' or 'rwctl user add' creates it; "
								  "--db names another)", path);
			}
			return RWCTL_EXIT_OK;
		}
		return rwctl_fail(RWCTL_EXIT_DATABASE, "cannot access database %s: %s", path,
						  strerror(errno));
	}
	*exists = true;
	if (!S_ISREG(st.st_mode))
	{
		return rwctl_fail(RWCTL_EXIT_DATABASE, "database %s is not a regular file", path);
	}
	if (st.st_mode & (S_IROTH | S_IWOTH))
	{
		return rwctl_fail(RWCTL_EXIT_DATABASE, "refusing database %s: other users may "
						  "%s it (mode %04o) but it holds password-equivalent NT hashes; "
						  "run 'chmod o-rw %s'", path,
						  (st.st_mode & S_IROTH) ? "read" : "write",
						  (unsigned)(st.st_mode & 07777), path);
	}
	/* SQLite says "unable to open database file" for all of these, which the store
	 * reports as a corrupt database: say what it is */
	if (access(path, mode == RWCTL_DB_READ ? R_OK : R_OK | W_OK) != 0)
	{
		if (errno == EROFS)
		{
			return rwctl_fail(RWCTL_EXIT_DATABASE, "database %s is on a read-only file "
							  "system", path);
		}
		return rwctl_fail(RWCTL_EXIT_DATABASE, "cannot %s database %s (mode %04o, owner "
						  "uid %u): %s", mode == RWCTL_DB_READ ? "read" : "change", path,
						  (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
						  strerror(errno));
	}
	/* WAL needs PATH-shm beside the database, even to read */
	if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
	{
		return rwctl_fail(RWCTL_EXIT_DATABASE, "database %s is on a read-only file "
						  "system (SQLite needs to write %s-shm beside it, even to read)",
						  path, path);
	}
	return RWCTL_EXIT_OK;
}

/*
 * /var/lib/strongswan comes with strongswan-starter, which a swanctl-only gateway
 * lacks: create the database's directory (one level, private) so the first
 * "rwctl pool add" works there. A failure shows when the store creates the file.
 */
static void make_parent_directory(const char *path)
{
	char dir[4096], *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
	{
		return;
	}
	*slash = '\0';
	if (stat(dir, &st) != 0 && errno == ENOENT)
	{
		mkdir(dir, 0700);
	}
}

int rwctl_open(const rwctl_opts_t *opts, rwctl_db_mode_t mode, rw_store_t **store)
{
	char path[4096], settings_err[256];
	rw_error_t err;
	rw_status_t status;
	bool exists;
	int flags, rc;

	if (opts->db_path)
	{
		snprintf(path, sizeof(path), "%s", opts->db_path);
	}
	else if (!rwctl_settings_database(path, sizeof(path), settings_err,
									  sizeof(settings_err)))
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "%s (--db names the database directly)",
						  settings_err);
	}
	rc = check_db_file(path, mode, &exists);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (!exists && mode == RWCTL_DB_CREATE)
	{
		make_parent_directory(path);
	}
	/* queries open read-only: they change nothing */
	flags = (mode == RWCTL_DB_CREATE) ? RW_STORE_CREATE :
			(mode == RWCTL_DB_READ) ? RW_STORE_READONLY : 0;
	rw_error_clear(&err);
	status = rw_store_open(path, flags, opts->lock_timeout_ms, store, &err);
	if (status == RW_OK)
	{
		return RWCTL_EXIT_OK;
	}
	*store = NULL;
	if (status == RW_ERR_NOTFOUND)
	{
		/* a missing database (or directory) is a database problem, not a missing user */
		return rwctl_fail(RWCTL_EXIT_DATABASE, "%s", err.msg[0] ? err.msg :
						  "database not found");
	}
	if (status == RW_ERR_BUSY)
	{
		return rwctl_fail(RWCTL_EXIT_BUSY, "database %s is locked by another writer "
						  "(tried for %d s; --lock-timeout waits longer)", path,
						  opts->lock_timeout_ms / 1000);
	}
	if (status == RW_ERR_INVALID || status == RW_ERR_IO)
	{
		/* whatever keeps the store from opening makes the database unusable */
		return rwctl_fail(RWCTL_EXIT_DATABASE, "%s", err.msg[0] ? err.msg :
						  rw_status_name(status));
	}
	return rwctl_fail_store(&err);
}
