/*
 * rwctl classify [--rules FILE] [FILE|-]: the client family of each IKE_SA in charon
 * log text, with the classifier the rw-quirks plugin uses (lib/rw_classify.c) and the
 * log parser of lib/rw_logparse.c. Needs no database.
 */

#include "common.h"

#include "rw_classify.h"
#include "rw_logparse.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_RULES = RWCTL_OPT_LOCAL,
};

/* rule files are a few hundred lines; anything far bigger is a wrong file */
#define MAX_RULES_FILE (1024 * 1024)

static const struct option classify_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "rules", required_argument, NULL, OPT_RULES },
	{ NULL, 0, NULL, 0 },
};

const rwctl_cmd_t rwctl_classify_cmd = {
	.name = "classify", .run = rwctl_classify,
	.usage = "classify [--rules FILE] [FILE|-]",
	.summary = "client family of each IKE_SA in a charon log",
	.description = "Reads charon log text (a file, or standard input without FILE or with\n"
		"'-'): filelog, syslog or journal lines of a gateway (parsed ... request) or of a\n"
		"client (generating ... request). Prints one line per IKE_SA: IKE_SA (conn|N,\n"
		"N, or #I for the I-th without <conn|N> prefix), PEER (the client's address),\n"
		"FAMILY, CONFIDENCE (0-100), LEGACY (offers nothing stronger than MODP_1024,\n"
		"3DES, SHA1), HINT.",
	.options_help = "  --rules FILE           add or replace classifier rules (the syntax of\n"
		"                         charon.plugins.rw-quirks.rules)\n",
};

typedef struct {
	rwctl_list_t *list;
	rw_classifier_t *cl;
} classify_ctx_t;

static void print_sa(void *data, const rw_lp_sa_t *sa)
{
	classify_ctx_t *ctx = data;
	char ike_sa[96], confidence[16];
	rw_cl_result_t r;
	json_object *o;

	rw_classify(ctx->cl, &sa->in, &r);
	if (rwctl_list_is_json(ctx->list))
	{
		o = json_object_new_object();
		json_object_object_add(o, "ike_sa", json_object_new_int64(
							   sa->unique_id ? sa->unique_id : sa->index));
		json_object_object_add(o, "index", json_object_new_int64(sa->index));
		json_object_object_add(o, "unique_id", sa->unique_id ?
							   json_object_new_int64(sa->unique_id) : NULL);
		json_object_object_add(o, "conn", sa->conn[0] ?
							   json_object_new_string(sa->conn) : NULL);
		json_object_object_add(o, "peer", sa->peer[0] ?
							   json_object_new_string(sa->peer) : NULL);
		json_object_object_add(o, "view", json_object_new_string(
							   sa->client_view ? "client" : "gateway"));
		json_object_object_add(o, "family", json_object_new_string(r.family));
		json_object_object_add(o, "hint", r.hint[0] ?
							   json_object_new_string(r.hint) : NULL);
		json_object_object_add(o, "confidence", json_object_new_int(r.confidence));
		json_object_object_add(o, "legacy_only", json_object_new_boolean(r.legacy_only));
		json_object_object_add(o, "alternative", r.alt_family[0] ?
							   json_object_new_string(r.alt_family) : NULL);
		json_object_object_add(o, "ike_sa_init", json_object_new_boolean(
							   sa->in.have_init));
		json_object_object_add(o, "ike_auth", json_object_new_boolean(
							   sa->in.have_auth));
		json_object_object_add(o, "first_line", json_object_new_int64(sa->first_line));
		json_object_object_add(o, "last_line", json_object_new_int64(sa->last_line));
		rwctl_list_json(ctx->list, o);
		return;
	}
	if (sa->unique_id && sa->conn[0])
	{
		snprintf(ike_sa, sizeof(ike_sa), "%s|%u", sa->conn, sa->unique_id);
	}
	else if (sa->unique_id)
	{
		snprintf(ike_sa, sizeof(ike_sa), "%u", sa->unique_id);
	}
	else
	{
		snprintf(ike_sa, sizeof(ike_sa), "#%u", sa->index);
	}
	snprintf(confidence, sizeof(confidence), "%u", r.confidence);
	rwctl_list_row(ctx->list, (const char *[]){
		ike_sa, sa->peer, r.family, confidence, r.legacy_only ? "yes" : "no", r.hint,
	});
}

static int load_rules(rw_classifier_t *cl, const char *path)
{
	rw_error_t err;
	char *text;
	size_t len;
	int failed;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
	{
		return rwctl_fail(errno == ENOENT ? RWCTL_EXIT_NOTFOUND : RWCTL_EXIT_ERROR,
						  "cannot open rules '%s': %s", path, strerror(errno));
	}
	text = malloc(MAX_RULES_FILE + 1);
	if (!text)
	{
		fclose(f);
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	len = fread(text, 1, MAX_RULES_FILE + 1, f);
	failed = ferror(f) ? errno : 0;
	fclose(f);
	if (failed || len > MAX_RULES_FILE || memchr(text, '\0', len))
	{
		free(text);
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot read rules '%s': %s", path,
						  failed ? strerror(failed) : len > MAX_RULES_FILE ?
						  "larger than 1 MiB" : "not text");
	}
	text[len] = '\0';
	if (rw_classifier_add_rules(cl, text, &err) != RW_OK)
	{
		free(text);
		return rwctl_fail(RWCTL_EXIT_ERROR, "%s: %s", path, err.msg);
	}
	free(text);
	return RWCTL_EXIT_OK;
}

/*
 * The rules rw-quirks adds from strongswan.conf, rule by rule as it does (the lines of
 * rules_file, then rules.NAME): a bad rule is skipped with a warning, as charon logs
 * and skips it, so both classify alike.
 */
static int load_conf_rules(rw_classifier_t *cl)
{
	char err[256] = "", *rules, *piece;
	rw_error_t detail;
	int shown;

	if (!rwctl_settings_classifier_rules(&rules, err, sizeof(err)))
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "%s", err);
	}
	for (piece = rules; piece && *piece; piece += strlen(piece) + 1)
	{
		if (rw_classifier_add_rule(cl, piece, strlen(piece), &detail) != RW_OK)
		{
			shown = (int)strcspn(piece, "\r\n");
			fprintf(stderr, "rwctl: warning: ignoring classifier rule '%.*s%s' from "
					"strongswan.conf, as charon does: %s\n", shown > 60 ? 60 : shown,
					piece, shown > 60 || piece[shown] ? "..." : "", detail.msg);
		}
	}
	free(rules);
	return RWCTL_EXIT_OK;
}

int rwctl_classify(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"IKE_SA", "PEER", "FAMILY", "CONFIDENCE", "LEGACY", "HINT",
	};
	const rwctl_cmd_t *cmd = &rwctl_classify_cmd;
	classify_ctx_t ctx = { 0 };
	const char *rules = NULL, *path = "-";
	rw_logparse_t *parser;
	char buf[64 * 1024];
	FILE *in = stdin;
	int opt, rc;
	size_t n;

	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, classify_options,
							  NULL)) != -1)
	{
		if (opt == OPT_RULES)
		{
			rules = optarg;
			continue;
		}
		rc = rwctl_common_option(opts, cmd, opt, argv);
		if (rc != RWCTL_CONTINUE)
		{
			return rc;
		}
	}
	rc = rwctl_positional(cmd, argc, argv, 0, 1);
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	if (optind < argc)
	{
		path = argv[optind];
	}
	ctx.cl = rw_classifier_create();
	if (!ctx.cl)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	rc = load_conf_rules(ctx.cl);
	if (rc != RWCTL_EXIT_OK)
	{
		rw_classifier_destroy(ctx.cl);
		return rc;
	}
	if (rules)
	{
		rc = load_rules(ctx.cl, rules);
		if (rc != RWCTL_EXIT_OK)
		{
			rw_classifier_destroy(ctx.cl);
			return rc;
		}
	}
	if (strcmp(path, "-"))
	{
		in = fopen(path, "r");
		if (!in)
		{
			rw_classifier_destroy(ctx.cl);
			return rwctl_fail(errno == ENOENT ? RWCTL_EXIT_NOTFOUND : RWCTL_EXIT_ERROR,
							  "cannot open '%s': %s", path, strerror(errno));
		}
	}
	parser = rw_logparse_create(print_sa, &ctx);
	if (!parser)
	{
		if (in != stdin)
		{
			fclose(in);
		}
		rw_classifier_destroy(ctx.cl);
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	/* IKE_SAs are printed as the parser completes them: a big log needs no memory */
	ctx.list = rwctl_list_begin(opts, headers, 6);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
	{
		rw_logparse_feed(parser, buf, n);
	}
	rc = ferror(in) ? errno : 0;
	rw_logparse_finish(parser);
	rw_logparse_destroy(parser);
	if (in != stdin)
	{
		fclose(in);
	}
	rw_classifier_destroy(ctx.cl);
	if (rc)
	{
		rwctl_list_end(ctx.list);
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot read '%s': %s", path, strerror(rc));
	}
	return rwctl_list_end(ctx.list);
}
