/*
 * Tests of "rwctl classify": run the built rwctl (RWCTL_BIN) on the samples of
 * client-fingerprints.md (SAMPLES_DIR), on standard input, with rule files and on
 * garbage, and check its exit status, stdout and stderr.
 */

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#ifndef RWCTL_BIN
#error RWCTL_BIN must name the built rwctl
#endif
#ifndef SAMPLES_DIR
#error SAMPLES_DIR must name tests/samples
#endif

#define MAX_ARGS 16

static char dir[64];

static struct {
	int status;
	char *out;
	char *err;
} last;

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rw-test-classify-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[160];

	free(last.out);
	free(last.err);
	last.out = last.err = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *read_all(const char *path)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	return buf;
}

static void write_all(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static const char *tmp_path(const char *name)
{
	static char path[4][128];
	static int next;

	next = (next + 1) % 4;
	snprintf(path[next], sizeof(path[next]), "%s/%s", dir, name);
	return path[next];
}

static const char *sample(const char *name)
{
	static char path[2][512];
	static int next;

	next = (next + 1) % 2;
	snprintf(path[next], sizeof(path[next]), "%s/%s", SAMPLES_DIR, name);
	return path[next];
}

/* rwctl ARGS... NULL with stdin from the file stdin_path (NULL: /dev/null) */
/* strongswan.conf for the next runs, NULL for none */
static const char *conf_env;

static int run(const char *stdin_path, ...)
{
	const char *argv[MAX_ARGS];
	char out_path[128], err_path[128];
	va_list args;
	int argc = 0, status, fd;
	pid_t pid;

	argv[argc++] = "rwctl";
	va_start(args, stdin_path);
	while ((argv[argc] = va_arg(args, const char *)))
	{
		ck_assert_int_lt(++argc, MAX_ARGS - 1);
	}
	va_end(args);
	snprintf(out_path, sizeof(out_path), "%s/.stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/.stderr", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
	{
		fd = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
		dup2(fd, STDIN_FILENO);
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDOUT_FILENO);
		fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDERR_FILENO);
		if (conf_env)
		{
			setenv("STRONGSWAN_CONF", conf_env, 1);
		}
		else
		{
			unsetenv("STRONGSWAN_CONF");
		}
		execv(RWCTL_BIN, (char **)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	free(last.out);
	free(last.err);
	last.out = read_all(out_path);
	last.err = read_all(err_path);
	last.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return last.status;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
	{
		n += *s == '\n';
	}
	return n;
}

static void assert_one_error(const char *contains)
{
	ck_assert_int_eq(count_lines(last.err), 1);
	ck_assert_msg(!strncmp(last.err, "rwctl: ", 7), "stderr: %s", last.err);
	ck_assert_msg(strstr(last.err, contains), "stderr: %s", last.err);
	ck_assert_str_eq(last.out, "");
}

/* the family column (3rd) of line n (0-based) of the output */
static const char *column(int line, int col)
{
	static char buf[256];
	const char *p = last.out;
	size_t len;
	int i;

	for (i = 0; i < line && p; i++)
	{
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < col && p; i++)
	{
		p = strchr(p, '\t');
		p = p ? p + 1 : NULL;
	}
	ck_assert_ptr_nonnull(p);
	len = strcspn(p, "\t\n");
	ck_assert_int_lt(len, sizeof(buf));
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

START_TEST(test_help)
{
	ck_assert_int_eq(run(NULL, "classify", "--help", NULL), 0);
	ck_assert(strstr(last.out, "usage: rwctl classify [--rules FILE] [FILE|-]"));
	ck_assert(strstr(last.out, "--rules FILE"));
	ck_assert_int_eq(run(NULL, "help", "classify", NULL), 0);
	ck_assert(strstr(last.out, "usage: rwctl classify"));
	ck_assert_int_eq(run(NULL, "help", NULL), 0);
	ck_assert(strstr(last.out, "classify [--rules FILE] [FILE|-]"));
}
END_TEST

START_TEST(test_sample_line)
{
	ck_assert_int_eq(run(NULL, "classify", sample("C01.log"), NULL), 0);
	ck_assert_str_eq(last.out, "#1\t14.212.8.132\tapple\t100\tno\t"
					 "iOS 17+/macOS 14+ (GCM/ECP_256 first)\n");
	ck_assert_str_eq(last.err, "");

	/* legacy-only Windows defaults, no address in the excerpt */
	ck_assert_int_eq(run(NULL, "classify", sample("C11.log"), NULL), 0);
	ck_assert_str_eq(last.out, "#1\t-\twindows\t45\tyes\t"
					 "Windows default proposals (3DES/MODP_1024)\n");

	/* <conn|N> ids */
	ck_assert_int_eq(run(NULL, "classify", sample("C18.log"), NULL), 0);
	ck_assert_str_eq(column(0, 0), "1");
}
END_TEST

static const struct {
	const char *file;
	int lines;
	const char *family;
} samples[] = {
	{ "C01.log", 1, "apple" }, { "C02.log", 1, "apple" }, { "C03.log", 1, "apple" },
	{ "C04.log", 1, "apple" }, { "C05.log", 1, "apple" }, { "C06.log", 1, "apple" },
	{ "C07.log", 1, "unknown" }, { "C08.log", 1, "apple" }, { "C09.log", 1, "apple" },
	{ "C10.log", 1, "apple" }, { "C11.log", 1, "windows" }, { "C12.log", 1, "windows" },
	{ "C13.log", 0, NULL }, { "C14.log", 1, "windows" }, { "C15.log", 1, "windows" },
	{ "C16.log", 1, "windows" }, { "C17.log", 1, "windows" },
	{ "C18.log", 1, "windows" }, { "C19.log", 0, NULL },
	{ "C20.log", 1, "android-native" }, { "C21.log", 1, "android-native" },
	{ "C22.log", 1, "strongswan" }, { "C23.log", 1, "strongswan" },
	{ "C24.log", 1, "strongswan" }, { "C25.log", 1, "strongswan" },
	{ "C26.log", 1, "strongswan" }, { "C27.log", 1, "strongswan" },
	{ "C28.log", 0, NULL }, { "C29.log", 1, "strongswan" }, { "X01.log", 0, NULL },
	{ "X02.log", 0, NULL }, { "X03.log", 0, NULL }, { "X04.log", 0, NULL },
	{ "X05.log", 0, NULL }, { "X06.log", 0, NULL },
};

START_TEST(test_samples)
{
	ck_assert_int_eq(run(NULL, "classify", sample(samples[_i].file), NULL), 0);
	ck_assert_str_eq(last.err, "");
	ck_assert_int_eq(count_lines(last.out), samples[_i].lines);
	if (samples[_i].lines)
	{
		ck_assert_str_eq(column(0, 2), samples[_i].family);
	}
}
END_TEST

START_TEST(test_stdin)
{
	ck_assert_int_eq(run(sample("C16.log"), "classify", NULL), 0);
	ck_assert_str_eq(column(0, 2), "windows");
	ck_assert_int_eq(run(sample("C20.log"), "classify", "-", NULL), 0);
	ck_assert_str_eq(column(0, 2), "android-native");
	/* no database needed, whatever --db says */
	ck_assert_int_eq(run(sample("C20.log"), "--db", tmp_path("none/rw.db"),
						 "classify", NULL), 0);
	ck_assert_str_eq(column(0, 2), "android-native");
}
END_TEST

START_TEST(test_json)
{
	json_object *arr, *o, *v;
	char *all;
	size_t len = 0, i;
	const char *files[] = { "C14.log", "C11.log", "C22.log" };

	/* three samples in one input */
	all = calloc(1, 64 * 1024);
	ck_assert_ptr_nonnull(all);
	for (i = 0; i < 3; i++)
	{
		char *text = read_all(sample(files[i]));

		ck_assert_int_lt(len + strlen(text), 64 * 1024);
		strcat(all, text);
		len += strlen(text);
		free(text);
	}
	write_all(tmp_path("all.log"), all, len);
	free(all);
	ck_assert_int_eq(run(NULL, "--json", "classify", tmp_path("all.log"), NULL), 0);
	arr = json_tokener_parse(last.out);
	ck_assert_ptr_nonnull(arr);
	ck_assert(json_object_is_type(arr, json_type_array));
	ck_assert_int_eq(json_object_array_length(arr), 3);

	o = json_object_array_get_idx(arr, 0);
	ck_assert(json_object_object_get_ex(o, "family", &v));
	ck_assert_str_eq(json_object_get_string(v), "windows");
	ck_assert(json_object_object_get_ex(o, "confidence", &v));
	ck_assert_int_eq(json_object_get_int(v), 100);
	ck_assert(json_object_object_get_ex(o, "hint", &v));
	ck_assert_str_eq(json_object_get_string(v),
					 "Windows custom proposal (PowerShell/profile)");
	ck_assert(json_object_object_get_ex(o, "peer", &v));
	ck_assert_str_eq(json_object_get_string(v), "136.62.77.151");
	ck_assert(json_object_object_get_ex(o, "ike_sa", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(o, "unique_id", &v));
	ck_assert_ptr_null(v);
	ck_assert(json_object_object_get_ex(o, "legacy_only", &v));
	ck_assert(!json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "view", &v));
	ck_assert_str_eq(json_object_get_string(v), "gateway");
	ck_assert(json_object_object_get_ex(o, "ike_auth", &v));
	ck_assert(json_object_get_boolean(v));

	o = json_object_array_get_idx(arr, 1);
	ck_assert(json_object_object_get_ex(o, "legacy_only", &v));
	ck_assert(json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "peer", &v));
	ck_assert_ptr_null(v);
	ck_assert(json_object_object_get_ex(o, "index", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);

	o = json_object_array_get_idx(arr, 2);
	ck_assert(json_object_object_get_ex(o, "family", &v));
	ck_assert_str_eq(json_object_get_string(v), "strongswan");
	ck_assert(json_object_object_get_ex(o, "alternative", &v));
	ck_assert_str_eq(json_object_get_string(v), "android-native");
	ck_assert(json_object_object_get_ex(o, "view", &v));
	ck_assert_str_eq(json_object_get_string(v), "client");
	json_object_put(arr);

	/* nothing found: an empty array */
	ck_assert_int_eq(run(NULL, "classify", "--json", sample("C13.log"), NULL), 0);
	ck_assert_str_eq(last.out, "[]\n");
}
END_TEST

START_TEST(test_rules)
{
	const char *rules = "# Android native by the notify order alone\n"
		"charon-init-order off\n"
		"android-init-order family=android-native weight=40 hint=\"ours\" "
		"init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,REDIR_SUP\n";

	write_all(tmp_path("rules"), rules, strlen(rules));
	ck_assert_int_eq(run(NULL, "classify", sample("C23.log"), NULL), 0);
	ck_assert_str_eq(column(0, 2), "strongswan");
	ck_assert_int_eq(run(NULL, "classify", "--rules", tmp_path("rules"),
						 sample("C23.log"), NULL), 0);
	ck_assert_str_eq(column(0, 2), "android-native");
	ck_assert_str_eq(column(0, 5), "ours");

	/* a bad rule: one error line naming the file and the line, nothing printed */
	write_all(tmp_path("bad"), "x family=apple weight=1\n", 24);
	ck_assert_int_eq(run(NULL, "classify", "--rules", tmp_path("bad"),
						 sample("C01.log"), NULL), 1);
	assert_one_error("rule line 1: a rule needs at least one condition");
	ck_assert(strstr(last.err, tmp_path("bad")));

	write_all(tmp_path("nul"), "x\0y", 3);
	ck_assert_int_eq(run(NULL, "classify", "--rules", tmp_path("nul"),
						 sample("C01.log"), NULL), 1);
	assert_one_error("not text");

	ck_assert_int_eq(run(NULL, "classify", "--rules", tmp_path("missing"),
						 sample("C01.log"), NULL), 3);
	assert_one_error("cannot open rules");

	ck_assert_int_eq(run(NULL, "classify", "--rules", NULL), 2);
	assert_one_error("needs a value");
}
END_TEST

/* the rules rw-quirks reads from strongswan.conf apply to rwctl classify too; a bad
 * one is skipped with a warning, as charon skips it: in rules_file that line only */
START_TEST(test_conf_rules)
{
	static const char with_bad[] = "# Android native by the notify order alone\n"
		"android-init-order family=android-native weight=40 "
		"init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,REDIR_SUP\r\n"
		"bad-rule family=android-native weight=banana cp_has=ADDR\n"
		"\n"
		"  \t# indented comment\n"
		"# comment with a \0 NUL\n"
		"charon-init-order off";
	const char *rules;
	char conf[1024];
	int len;

	len = snprintf(conf, sizeof(conf), "charon {\n plugins {\n  rw-quirks {\n"
				   "   rules_file = %s\n   rules {\n"
				   "    broken = family=x weight=many init_notify_first=REDIR_SUP\n"
				   "   }\n  }\n }\n}\n", tmp_path("rules"));
	write_all(tmp_path("strongswan.conf"), conf, len);
	rules = "android-init-order family=android-native weight=40 "
			"init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,REDIR_SUP\n"
			"charon-init-order off\n";
	write_all(tmp_path("rules"), rules, strlen(rules));
	conf_env = tmp_path("strongswan.conf");
	ck_assert_int_eq(run(NULL, "classify", sample("C23.log"), NULL), 0);
	conf_env = NULL;
	ck_assert_str_eq(column(0, 2), "android-native");
	ck_assert_msg(strstr(last.err, "rwctl: warning: ignoring classifier rule 'broken "
						 "family=x weight=many init_notify_first=REDIR_SUP' from "
						 "strongswan.conf, as charon does: weight takes a number"),
				  "%s", last.err);
	ck_assert_int_eq(count_lines(last.err), 1);

	/* a bad line in rules_file: the good lines around it stay, as in charon;
	 * comments, blank lines and CRLF line ends are no rules, a line with a NUL byte
	 * is not text */
	write_all(tmp_path("rules"), with_bad, sizeof(with_bad) - 1);
	conf_env = tmp_path("strongswan.conf");
	ck_assert_int_eq(run(NULL, "classify", sample("C23.log"), NULL), 0);
	conf_env = NULL;
	ck_assert_str_eq(column(0, 2), "android-native");
	ck_assert_msg(strstr(last.err, "rwctl: warning: ignoring classifier rule 'bad-rule "
						 "family=android-native weight=banana cp_has=ADDR' from "
						 "strongswan.conf, as charon does: weight takes a number"),
				  "%s", last.err);
	ck_assert_msg(strstr(last.err, "rwctl: warning: ignoring classifier rule '# "
						 "comment with a ...' from strongswan.conf, as charon does: "),
				  "%s", last.err);
	ck_assert_int_eq(count_lines(last.err), 3);

	/* an unreadable rules file is an error, as nothing could be classified alike */
	len = snprintf(conf, sizeof(conf), "charon {\n plugins {\n  rw-quirks {\n"
				   "   rules_file = %s\n  }\n }\n}\n", tmp_path("missing"));
	write_all(tmp_path("strongswan.conf"), conf, len);
	conf_env = tmp_path("strongswan.conf");
	ck_assert_int_eq(run(NULL, "classify", sample("C23.log"), NULL), 1);
	conf_env = NULL;
	assert_one_error("cannot read charon.plugins.rw-quirks.rules_file");
}
END_TEST

START_TEST(test_errors)
{
	ck_assert_int_eq(run(NULL, "classify", tmp_path("missing.log"), NULL), 3);
	assert_one_error("cannot open");
	ck_assert_int_eq(run(NULL, "classify", dir, NULL), 1);
	ck_assert(strstr(last.err, "cannot read"));
	ck_assert_int_eq(run(NULL, "classify", sample("C01.log"), sample("C02.log"), NULL),
					 2);
	assert_one_error("unexpected argument");
	ck_assert_int_eq(run(NULL, "classify", "--bogus", NULL), 2);
	assert_one_error("unknown option");
}
END_TEST

START_TEST(test_garbage)
{
	char *junk;
	size_t i;

	/* binary junk: no crash, nothing printed */
	junk = malloc(200 * 1024);
	ck_assert_ptr_nonnull(junk);
	for (i = 0; i < 200 * 1024; i++)
	{
		junk[i] = (char)(i * 2654435761u >> 13);
	}
	write_all(tmp_path("junk"), junk, 200 * 1024);
	ck_assert_int_eq(run(NULL, "classify", tmp_path("junk"), NULL), 0);
	ck_assert_str_eq(last.out, "");
	ck_assert_str_eq(last.err, "");

	/* text that is almost charon's: "unknown" for the IKE_SA it saw */
	snprintf(junk, 1024, "%s",
			 "09[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(((( N(X) V(1) ]\n"
			 "09[IKE] received unknown vendor ID: zz:zz\n"
			 "09[CFG] received proposals: IKE:FOO/BAR, ESP:\n"
			 "\x01\x02\x03 parsed IKE_AUTH request 1 [ \xff\xfe ]\n");
	write_all(tmp_path("junk"), junk, strlen(junk));
	ck_assert_int_eq(run(NULL, "classify", tmp_path("junk"), NULL), 0);
	ck_assert_str_eq(column(0, 2), "unknown");
	ck_assert_str_eq(last.err, "");
	free(junk);
}
END_TEST

START_TEST(test_many)
{
	char *text, line[512];
	size_t len = 0, cap = 4 * 1024 * 1024;
	int i;

	/* thousands of IKE_SAs: printed as they complete */
	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (i = 0; i < 5000; i++)
	{
		int n = snprintf(line, sizeof(line),
			"%02d[NET] <rw|%d> received packet: from 192.0.2.%d[500] to 198.51.100.1[500] (300 bytes)\n"
			"%02d[ENC] <rw|%d> parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V ]\n"
			"%02d[IKE] <rw|%d> received MS NT5 ISAKMPOAKLEY v9 vendor ID\n",
			i % 16, i + 1, i % 250, i % 16, i + 1, i % 16, i + 1);
		ck_assert_int_lt(len + n, cap);
		memcpy(text + len, line, n);
		len += n;
	}
	write_all(tmp_path("many.log"), text, len);
	free(text);
	ck_assert_int_eq(run(NULL, "classify", tmp_path("many.log"), NULL), 0);
	ck_assert_int_eq(count_lines(last.out), 5000);
	ck_assert_str_eq(column(0, 0), "rw|1");
	ck_assert_str_eq(column(4999, 2), "windows");
}
END_TEST

int main(void)
{
	SRunner *sr;
	Suite *s;
	TCase *tc;
	int failed;

	s = suite_create("rwctl classify");
	tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_sample_line);
	tcase_add_loop_test(tc, test_samples, 0, sizeof(samples) / sizeof(samples[0]));
	tcase_add_test(tc, test_stdin);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_conf_rules);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_many);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
