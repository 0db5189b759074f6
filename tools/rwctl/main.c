/*
 * rwctl: manage the users, pools, leases and sessions that charon's rw-sqlite plugin
 * serves. main() parses the options in front of the command and dispatches to the
 * command groups (user.c, pool.c, lease.c, session.c, history.c).
 */

#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* from configure (AC_INIT) through DEFS */
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

typedef struct {
	const char *name;
	int (*run)(rwctl_opts_t *opts, int argc, char **argv);
	/* subcommands for the overview, NULL for a single command */
	const rwctl_cmd_t *cmds;
	const rwctl_cmd_t *single;
} rwctl_group_t;

static const rwctl_group_t groups[] = {
	{ "user", rwctl_user, rwctl_user_cmds, NULL },
	{ "pool", rwctl_pool, rwctl_pool_cmds, NULL },
	{ "lease", rwctl_lease, rwctl_lease_cmds, NULL },
	{ "session", rwctl_session, rwctl_session_cmds, NULL },
	{ "history", rwctl_history, NULL, &rwctl_history_cmd },
	{ "classify", rwctl_classify, NULL, &rwctl_classify_cmd },
	{ NULL, NULL, NULL, NULL },
};

static const char exit_status_help[] =
	"exit status:\n"
	"  0  success\n"
	"  1  error: rejected data (bad CSV, address outside its pool ...), I/O\n"
	"  2  usage: unknown command or option, missing or malformed argument\n"
	"  3  not found: no such user, pool, lease or session\n"
	"  4  conflict: exists already, overlaps, or is in use\n"
	"  5  busy: the database stayed locked by another writer (see --lock-timeout)\n"
	"  6  database unusable: missing, corrupt, newer schema, read-only, no permission,\n"
	"     or readable by other users\n";

static int print_help(FILE *out)
{
	const rwctl_group_t *group;
	const rwctl_cmd_t *cmd;

	fputs("usage: rwctl [--db PATH] [--json] [--lock-timeout SECONDS] COMMAND "
		  "[ARGS]\n"
		  "Manage users, address pools, leases and sessions of charon's rw-sqlite "
		  "plugin.\n\ncommands:\n", out);
	for (group = groups; group->name; group++)
	{
		if (group->single)
		{
			fprintf(out, "  %-40s %s\n", group->single->usage, group->single->summary);
			continue;
		}
		for (cmd = group->cmds; cmd->name; cmd++)
		{
			fprintf(out, "  %-40s %s\n", cmd->usage, cmd->summary);
		}
	}
	fputs("\nThe database is " RWCTL_DB_OPTION " from strongswan.conf\n"
		  "($STRONGSWAN_CONF or /etc/strongswan.conf), else " RWCTL_DEFAULT_DB ";\n"
		  "--db names another. Listings print tab-separated columns (with a header and\n"
		  "aligned on a terminal); --json prints JSON instead. Passwords are read from\n"
		  "a prompt or, with --password-stdin, from stdin; never from the command line.\n"
		  "'rwctl COMMAND --help' describes a command.\n\n", out);
	fputs(exit_status_help, out);
	return fflush(out) == 0 ? RWCTL_EXIT_OK : RWCTL_EXIT_ERROR;
}

static const rwctl_group_t *find_group(const char *name)
{
	const rwctl_group_t *group;

	for (group = groups; group->name; group++)
	{
		if (!strcmp(group->name, name))
		{
			return group;
		}
	}
	return NULL;
}

/* "rwctl help [GROUP [COMMAND]]" */
static int help_command(int argc, char **argv)
{
	const rwctl_group_t *group;
	const rwctl_cmd_t *cmd;

	if (argc < 2)
	{
		return print_help(stdout);
	}
	group = find_group(argv[1]);
	if (!group)
	{
		return rwctl_fail(RWCTL_EXIT_USAGE, "no help on '%s': unknown command; see "
						  "'rwctl help'", argv[1]);
	}
	if (group->single)
	{
		return rwctl_cmd_help(group->single);
	}
	if (argc < 3)
	{
		return rwctl_group_help(group->name, group->cmds);
	}
	for (cmd = group->cmds; cmd->name; cmd++)
	{
		if (!strcmp(cmd->name, argv[2]))
		{
			return rwctl_cmd_help(cmd);
		}
	}
	return rwctl_fail(RWCTL_EXIT_USAGE, "no help on '%s %s': unknown command; see "
					  "'rwctl help %s'", argv[1], argv[2], argv[1]);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		RWCTL_COMMON_OPTIONS,
		{ "version", no_argument, NULL, RWCTL_OPT_LOCAL },
		{ NULL, 0, NULL, 0 },
	};
	static const rwctl_cmd_t top = {
		.name = "rwctl",
		.usage = "[--db PATH] [--json] [--lock-timeout SECONDS] COMMAND [ARGS]",
		.summary = "",
	};
	rwctl_opts_t opts = {
		.lock_timeout_ms = RWCTL_DEFAULT_LOCK_TIMEOUT_MS,
	};
	const rwctl_group_t *group;
	int opt, rc;

	/* the process stays in the C locale: case folding of names is ASCII as in the
	 * store, numbers print with a '.'; password.c asks the user's locale itself */
	tzset();

	rwctl_getopt_reset();
	/* '+': stop at the command; its options are parsed by the command */
	while ((opt = getopt_long(argc, argv, "+" RWCTL_SHORT_OPTIONS, options,
							  NULL)) != -1)
	{
		switch (opt)
		{
			case RWCTL_OPT_HELP:
			case 'h':
				return print_help(stdout);
			case RWCTL_OPT_LOCAL:
				puts("rwctl " PACKAGE_VERSION);
				return rwctl_flush_stdout();
			default:
				rc = rwctl_common_option(&opts, &top, opt, argv);
				if (rc != RWCTL_CONTINUE)
				{
					return rc;
				}
		}
	}
	if (optind >= argc)
	{
		print_help(stderr);
		return RWCTL_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "help"))
	{
		return help_command(argc, argv);
	}
	group = find_group(argv[0]);
	if (!group)
	{
		return rwctl_fail(RWCTL_EXIT_USAGE, "unknown command '%s'; see 'rwctl help'",
						  argv[0]);
	}
	rwctl_getopt_reset();
	return group->run(&opts, argc, argv);
}
