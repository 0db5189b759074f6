/*
 * rwctl session list|kill: who is connected now, and cutting them off. A kill is a
 * request in the database; charon's rw-sqlite plugin notices it and deletes the
 * IKE_SA within about two seconds (--wait waits for that).
 */

#include "common.h"
#include "session.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	OPT_USER = RWCTL_OPT_LOCAL,
	OPT_WAIT,
};

static const struct option session_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "user", required_argument, NULL, OPT_USER },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 },
};

static int session_list(rwctl_opts_t *opts, int argc, char **argv);
static int session_kill(rwctl_opts_t *opts, int argc, char **argv);

const rwctl_cmd_t rwctl_session_cmds[] = {
	{ .name = "list", .run = session_list, .usage = "session list [--user NAME]",
	  .summary = "list online sessions",
	  .description = "List online sessions. Columns: ID USER REMOTE VIRTUAL_IPS CLIENT STARTED\n"
		"BYTES_IN BYTES_OUT GATEWAY (bytes as of charon's last interim update).",
	  .options_help = "  --user NAME            only this user's sessions\n" },
	{ .name = "kill", .run = session_kill, .usage = "session kill ID|--user NAME",
	  .summary = "end sessions",
	  .description = "End a session, or all sessions of a user. charon deletes the IKE_SAs\n"
		"within about two seconds; the client may connect again unless the user is\n"
		"disabled ('rwctl user set NAME --disable').",
	  .options_help = "  --user NAME            all online sessions of this user\n"
		"  --wait SECONDS         wait until charon has ended them (exit 1 if not)\n" },
	{ .name = NULL },
};

int rwctl_session(rwctl_opts_t *opts, int argc, char **argv)
{
	return rwctl_group_run(opts, "session", rwctl_session_cmds, argc, argv);
}

/* ------------------------------------------------------------------------------ */
/* shown by session list and history */

json_object *rwctl_session_json(const rw_session_t *s)
{
	json_object *o = json_object_new_object(), *vips = json_object_new_array();
	char buf[sizeof(s->vips)], when[32], *vip, *save = NULL;
	int64_t until = s->ended ? s->ended : rwctl_now();

	json_object_object_add(o, "id", json_object_new_int64(s->id));
	json_object_object_add(o, "user", json_object_new_string(s->user));
	json_object_object_add(o, "ike_id", json_object_new_string(s->ike_id));
	json_object_object_add(o, "eap_id", json_object_new_string(s->eap_id));
	json_object_object_add(o, "remote", json_object_new_string(s->remote));
	json_object_object_add(o, "remote_port", json_object_new_int(s->remote_port));
	snprintf(buf, sizeof(buf), "%s", s->vips);
	for (vip = strtok_r(buf, ", ", &save); vip; vip = strtok_r(NULL, ", ", &save))
	{
		json_object_array_add(vips, json_object_new_string(vip));
	}
	json_object_object_add(o, "virtual_ips", vips);
	json_object_object_add(o, "client", s->family[0] ?
						   json_object_new_string(s->family) : NULL);
	json_object_object_add(o, "gateway", json_object_new_string(s->gateway));
	json_object_object_add(o, "ike_sa_id", json_object_new_int64(s->ike_sa_id));
	json_object_object_add(o, "started", s->started ? json_object_new_string(
		rwctl_time_utc(s->started, when, sizeof(when))) : NULL);
	json_object_object_add(o, "updated", s->updated ? json_object_new_string(
		rwctl_time_utc(s->updated, when, sizeof(when))) : NULL);
	json_object_object_add(o, "ended", s->ended ? json_object_new_string(
		rwctl_time_utc(s->ended, when, sizeof(when))) : NULL);
	json_object_object_add(o, "duration_seconds", json_object_new_int64(
		s->started && until > s->started ? until - s->started : 0));
	json_object_object_add(o, "bytes_in", json_object_new_uint64(s->bytes_in));
	json_object_object_add(o, "bytes_out", json_object_new_uint64(s->bytes_out));
	json_object_object_add(o, "packets_in", json_object_new_uint64(s->packets_in));
	json_object_object_add(o, "packets_out", json_object_new_uint64(s->packets_out));
	json_object_object_add(o, "end_reason", s->ended ?
		json_object_new_string(rw_end_reason_name(s->end_reason)) : NULL);
	json_object_object_add(o, "kill_requested",
						   json_object_new_boolean(s->kill_requested));
	return o;
}

const char *rwctl_session_remote(const rw_session_t *s, char *buf, size_t len)
{
	if (!s->remote[0])
	{
		return "";
	}
	/* [v6]:port as in URLs, so the port is never mistaken for part of the address */
	snprintf(buf, len, strchr(s->remote, ':') ? "[%s]:%d" : "%s:%d", s->remote,
			 s->remote_port);
	return buf;
}

/* ------------------------------------------------------------------------------ */

typedef struct {
	const char *user;
	int64_t id;
	int wait_seconds;
} session_options_t;

static int parse_session_options(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, int argc,
								 char **argv, session_options_t *so)
{
	bool is_list = cmd->run == session_list;
	int opt, rc;

	*so = (session_options_t){ .wait_seconds = -1 };
	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, session_options,
							  NULL)) != -1)
	{
		switch (opt)
		{
			case OPT_USER:
				so->user = optarg;
				break;
			case OPT_WAIT:
				if (is_list)
				{
					return rwctl_usage_error(cmd, "option --wait does not apply here");
				}
				if (!rwctl_parse_count(optarg, false, &so->wait_seconds) ||
					so->wait_seconds > 3600)
				{
					return rwctl_usage_error(cmd, "--wait takes seconds (0 to 3600), not "
											 "'%s'", optarg);
				}
				break;
			default:
				rc = rwctl_common_option(opts, cmd, opt, argv);
				if (rc != RWCTL_CONTINUE)
				{
					return rc;
				}
		}
	}
	return RWCTL_CONTINUE;
}

static bool list_one_session(const rw_session_t *s, void *ctx)
{
	rwctl_list_t *list = ctx;
	char id[24], remote[96], started[32], in[24], out[24];

	if (s->ended)
	{
		return true;
	}
	if (rwctl_list_is_json(list))
	{
		rwctl_list_json(list, rwctl_session_json(s));
		return true;
	}
	snprintf(id, sizeof(id), "%lld", (long long)s->id);
	snprintf(in, sizeof(in), "%llu", (unsigned long long)s->bytes_in);
	snprintf(out, sizeof(out), "%llu", (unsigned long long)s->bytes_out);
	rwctl_list_row(list, (const char *[]){
		id, s->user, rwctl_session_remote(s, remote, sizeof(remote)), s->vips, s->family,
		rwctl_time_local(s->started, started, sizeof(started)), in, out, s->gateway,
	});
	return true;
}

static int session_list(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"ID", "USER", "REMOTE", "VIRTUAL_IPS", "CLIENT", "STARTED", "BYTES_IN",
		"BYTES_OUT", "GATEWAY",
	};
	const rwctl_cmd_t *cmd = &rwctl_session_cmds[0];
	session_options_t so;
	rwctl_list_t *list;
	rw_store_t *store;
	rw_error_t err;
	int rc;

	rc = parse_session_options(opts, cmd, argc, argv, &so);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 0, 0);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	list = rwctl_list_begin(opts, headers, 9);
	if (rw_store_session_list(store, so.user, true, list_one_session, list,
							  &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rwctl_list_end(list) != RWCTL_EXIT_OK && rc == RWCTL_EXIT_OK)
	{
		rc = RWCTL_EXIT_ERROR;
	}
	rw_store_close(store);
	return rc;
}

/* ------------------------------------------------------------------------------ */
/* kill */

/* the sessions a kill is waiting for: one id, or all of a user (id 0) */
typedef struct {
	int64_t id;
	int online;
} kill_target_t;

static bool count_target(const rw_session_t *s, void *ctx)
{
	kill_target_t *target = ctx;

	if (!s->ended && (!target->id || s->id == target->id))
	{
		target->online++;
	}
	return true;
}

/* online sessions of the target now; -1 (message printed) on a database error */
static int still_online(rw_store_t *store, const char *user, int64_t id)
{
	kill_target_t target = { .id = id };
	rw_error_t err;

	if (rw_store_session_list(store, user, true, count_target, &target, &err) != RW_OK)
	{
		rwctl_fail_store(&err);
		return -1;
	}
	return target.online;
}

static int wait_for_end(rw_store_t *store, const char *user, int64_t id, int seconds)
{
	struct timespec pause = { .tv_nsec = 200 * 1000 * 1000 };
	int rounds, online = 0;

	for (rounds = 0; rounds <= seconds * 5; rounds++)
	{
		online = still_online(store, user, id);
		if (online < 0)
		{
			return RWCTL_EXIT_ERROR;
		}
		if (!online)
		{
			return RWCTL_EXIT_OK;
		}
		nanosleep(&pause, NULL);
	}
	return rwctl_fail(RWCTL_EXIT_ERROR, "%d session%s still online after %d s: is "
					  "charon running with the rw-sqlite plugin?", online,
					  online == 1 ? "" : "s", seconds);
}

static int session_kill(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = &rwctl_session_cmds[1];
	session_options_t so;
	rw_store_t *store;
	rw_error_t err;
	long long id = 0;
	char *end;
	int rc, count = 0;

	rc = parse_session_options(opts, cmd, argc, argv, &so);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, so.user ? 0 : 1, so.user ? 0 : 1);
	}
	if (rc == RWCTL_CONTINUE && !so.user)
	{
		id = strtoll(argv[optind], &end, 10);
		if (*end || id <= 0 || argv[optind][0] < '0' || argv[optind][0] > '9')
		{
			rc = rwctl_usage_error(cmd, "'%s' is not a session ID (see 'rwctl session "
								   "list')", argv[optind]);
		}
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_CHANGE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_session_kill(store, id, so.user, &count, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	else if (!count)
	{
		rc = so.user ?
			rwctl_fail(RWCTL_EXIT_NOTFOUND, "user '%s' has no online session", so.user) :
			rwctl_fail(RWCTL_EXIT_NOTFOUND, "no online session %lld", id);
	}
	else if (so.wait_seconds >= 0)
	{
		rc = wait_for_end(store, so.user, id, so.wait_seconds);
	}
	rw_store_close(store);
	return rc;
}
