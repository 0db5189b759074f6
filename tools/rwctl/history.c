/*
 * rwctl history USER: the sessions of one user, oldest first, with how they ended.
 */

#include "common.h"
#include "session.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_LIMIT = RWCTL_OPT_LOCAL,
};

static const struct option history_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ NULL, 0, NULL, 0 },
};

const rwctl_cmd_t rwctl_history_cmd = {
	.name = "history", .run = rwctl_history, .usage = "history USER [--limit N]",
	.summary = "sessions of a user",
	.description = "Sessions of a user, oldest first, also of a deleted user. Columns: ID\n"
		"STARTED ENDED SECONDS REMOTE VIRTUAL_IPS CLIENT BYTES_IN BYTES_OUT END_REASON\n"
		"(ENDED and END_REASON are \"-\" while online). End reasons: client-delete,\n"
		"dpd-timeout, admin-kill, disabled, expired, deleted, replaced, shutdown, crash,\n"
		"error.",
	.options_help = "  --limit N              only the last N sessions\n",
};

typedef struct {
	rw_session_t *sessions;
	size_t count, allocated;
} history_t;

static bool collect_session(const rw_session_t *s, void *ctx)
{
	history_t *history = ctx;

	if (history->count == history->allocated)
	{
		history->allocated = history->allocated ? 2 * history->allocated : 32;
		history->sessions = realloc(history->sessions, history->allocated *
									sizeof(history->sessions[0]));
		if (!history->sessions)
		{
			abort();
		}
	}
	history->sessions[history->count++] = *s;
	return true;
}

/* by start, then id: the store does not promise an order */
static int compare_sessions(const void *a, const void *b)
{
	const rw_session_t *x = a, *y = b;

	if (x->started != y->started)
	{
		return x->started < y->started ? -1 : 1;
	}
	return (x->id > y->id) - (x->id < y->id);
}

static void add_session(rwctl_list_t *list, const rw_session_t *s)
{
	char id[24], started[32], ended[32], seconds[24], remote[96], in[24], out[24];
	int64_t until = s->ended ? s->ended : rwctl_now();

	if (rwctl_list_is_json(list))
	{
		rwctl_list_json(list, rwctl_session_json(s));
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)s->id);
	snprintf(seconds, sizeof(seconds), "%lld", (long long)(s->started &&
			 until > s->started ? until - s->started : 0));
	snprintf(in, sizeof(in), "%llu", (unsigned long long)s->bytes_in);
	snprintf(out, sizeof(out), "%llu", (unsigned long long)s->bytes_out);
	rwctl_list_row(list, (const char *[]){
		id, rwctl_time_local(s->started, started, sizeof(started)),
		rwctl_time_local(s->ended, ended, sizeof(ended)), seconds,
		rwctl_session_remote(s, remote, sizeof(remote)), s->vips, s->family, in, out,
		s->ended ? rw_end_reason_name(s->end_reason) : NULL,
	});
}

int rwctl_history(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"ID", "STARTED", "ENDED", "SECONDS", "REMOTE", "VIRTUAL_IPS", "CLIENT",
		"BYTES_IN", "BYTES_OUT", "END_REASON",
	};
	const rwctl_cmd_t *cmd = &rwctl_history_cmd;
	history_t history = { 0 };
	rwctl_list_t *list;
	rw_store_t *store;
	rw_user_t user;
	rw_error_t err;
	size_t i, first = 0;
	int opt, rc, limit = 0;

	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, history_options,
							  NULL)) != -1)
	{
		if (opt == OPT_LIMIT)
		{
			if (!rwctl_parse_count(optarg, false, &limit) || !limit)
			{
				return rwctl_usage_error(cmd, "--limit takes a positive number, not "
										 "'%s'", optarg);
			}
			continue;
		}
		rc = rwctl_common_option(opts, cmd, opt, argv);
		if (rc != RWCTL_CONTINUE)
		{
			return rc;
		}
	}
	rc = rwctl_positional(cmd, argc, argv, 1, 1);
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_session_list(store, argv[optind], false, collect_session, &history,
							  &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	/* a deleted user keeps his history; only a name never seen is "not found" */
	else if (!history.count &&
			 rw_store_user_get(store, argv[optind], &user, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	rw_store_close(store);
	if (rc != RWCTL_EXIT_OK)
	{
		free(history.sessions);
		return rc;
	}
	if (history.count)
	{
		qsort(history.sessions, history.count, sizeof(history.sessions[0]),
			  compare_sessions);
	}
	if (limit && history.count > (size_t)limit)
	{
		first = history.count - limit;
	}
	list = rwctl_list_begin(opts, headers, 10);
	for (i = first; i < history.count; i++)
	{
		add_session(list, &history.sessions[i]);
	}
	free(history.sessions);
	return rwctl_list_end(list);
}
