/*
 * Tests of the rwctl binary: each test runs the built tools/rwctl/rwctl (RWCTL_BIN)
 * against a database in a fresh temporary directory and checks its exit status,
 * stdout and stderr. Sessions and online leases, which only charon creates, are
 * set up through librw directly.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include <rw_nthash.h>
#include <rw_store.h>

#ifndef RWCTL_BIN
#error RWCTL_BIN must name the built rwctl
#endif

#define MAX_ARGS 32

/* the temporary directory of the running test and the database in it */
static char dir[64], db[128];

/* run rwctl as this user (when the tests run as root), 0 for as is */
static uid_t run_as;

/* what the last run printed and returned */
static struct {
	int status;
	char *out;
	char *err;
} last;

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rw-test-rwctl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/rw.db", dir);
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

static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
	{
		if (len)
		{
			*len = 0;
		}
		return strdup("");
	}
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	if (len)
	{
		*len = st.st_size;
	}
	return buf;
}

static void write_file(const char *path, const char *content, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

/*
 * Run rwctl with argv (NULL-terminated), input on stdin (NULL: /dev/null) and env
 * ("NAME=value" entries, NULL-terminated, may be NULL). Returns the exit status.
 */
static int run_argv(const char *input, const char *const *env, const char **argv)
{
	char in_path[128], out_path[128], err_path[128];
	int status, fd;
	pid_t pid;

	snprintf(in_path, sizeof(in_path), "%s/.stdin", dir);
	snprintf(out_path, sizeof(out_path), "%s/.stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/.stderr", dir);
	if (input)
	{
		write_file(in_path, input, 0600);
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
	{
		fd = open(input ? in_path : "/dev/null", O_RDONLY);
		dup2(fd, STDIN_FILENO);
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDOUT_FILENO);
		fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDERR_FILENO);
		/* only what a test sets: the host's strongswan.conf must not matter */
		unsetenv("STRONGSWAN_CONF");
		for (; env && *env; env++)
		{
			putenv((char *)*env);
		}
		if (run_as && (setgroups(0, NULL) || setgid(run_as) || setuid(run_as)))
		{
			_exit(126);
		}
		execv(RWCTL_BIN, (char **)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	free(last.out);
	free(last.err);
	last.out = read_file(out_path, NULL);
	last.err = read_file(err_path, NULL);
	last.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return last.status;
}

/* rwctl ARGS... NULL, without --db */
static int run_env(const char *input, const char *const *env, ...)
{
	const char *argv[MAX_ARGS];
	va_list args;
	int argc = 0;

	argv[argc++] = "rwctl";
	va_start(args, env);
	while ((argv[argc] = va_arg(args, const char *)))
	{
		ck_assert_int_lt(++argc, MAX_ARGS - 1);
	}
	va_end(args);
	return run_argv(input, env, argv);
}

/* rwctl --db DB ARGS... NULL */
static int run(const char *input, ...)
{
	const char *argv[MAX_ARGS];
	va_list args;
	int argc = 0;

	argv[argc++] = "rwctl";
	argv[argc++] = "--db";
	argv[argc++] = db;
	va_start(args, input);
	while ((argv[argc] = va_arg(args, const char *)))
	{
		ck_assert_int_lt(++argc, MAX_ARGS - 1);
	}
	va_end(args);
	return run_argv(input, NULL, argv);
}

static int count_lines(const char *s)
{
	int lines = 0;

	for (; *s; s++)
	{
		lines += *s == '\n';
	}
	return lines;
}

/* a failure is reported as exactly one line "rwctl: ..." */
static void assert_one_error_line(void)
{
	ck_assert_msg(!strncmp(last.err, "rwctl: ", 7), "stderr: %s", last.err);
	ck_assert_msg(count_lines(last.err) == 1, "not one line on stderr: %s", last.err);
}

#define assert_run(expected, ...) do { \
	int rc_ = (__VA_ARGS__); \
	ck_assert_msg(rc_ == (expected), "exit %d, expected %d; stdout: %s; stderr: %s", \
				  rc_, (expected), last.out, last.err); \
} while (0)

static void add_user(const char *name, const char *password)
{
	char input[256];

	snprintf(input, sizeof(input), "%s\n", password);
	assert_run(0, run(input, "user", "add", name, "--password-stdin", NULL));
	ck_assert_str_eq(last.err, "");
}

static rw_store_t *open_store(void)
{
	rw_store_t *store;
	rw_error_t err;

	ck_assert_msg(rw_store_open(db, 0, 2000, &store, &err) == RW_OK, "%s", err.msg);
	return store;
}

/* the nt_hash column of a user in "user export" */
static void exported_hash(const char *name, char hash[33])
{
	char *line, *save = NULL, prefix[300];

	assert_run(0, run(NULL, "user", "export", NULL));
	snprintf(prefix, sizeof(prefix), "%s,", name);
	for (line = strtok_r(last.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
	{
		if (!strncmp(line, prefix, strlen(prefix)))
		{
			memcpy(hash, line + strlen(prefix), 32);
			hash[32] = '\0';
			return;
		}
	}
	ck_abort_msg("%s not exported", name);
}

static void expected_hash(const char *password, char hash[33])
{
	uint8_t raw[16];

	ck_assert_int_eq(rw_nthash(password, raw, NULL), RW_OK);
	rw_nthash_format(raw, hash);
}

/* ------------------------------------------------------------------------------ */
/* help and usage */

START_TEST(test_help)
{
	static const char *commands[] = {
		"user add", "user del", "user set", "user passwd", "user list", "user show",
		"user import", "user export", "pool add", "pool del", "pool set", "pool list",
		"pool show", "lease list", "lease release", "session list", "session kill",
		"history",
	};
	size_t i;

	assert_run(0, run_env(NULL, NULL, "help", NULL));
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
	{
		ck_assert_msg(strstr(last.out, commands[i]), "help lacks %s", commands[i]);
	}
	/* the exit statuses are documented */
	ck_assert_ptr_nonnull(strstr(last.out, "exit status"));
	ck_assert_ptr_nonnull(strstr(last.out, "6  database unusable"));

	assert_run(0, run_env(NULL, NULL, "user", "--help", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "user passwd"));
	assert_run(0, run_env(NULL, NULL, "user", "add", "--help", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "--password-stdin"));
	ck_assert_ptr_nonnull(strstr(last.out, "--static-ip"));
	assert_run(0, run_env(NULL, NULL, "help", "pool", "add", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "usage: rwctl pool add NAME RANGE"));
	assert_run(0, run_env(NULL, NULL, "history", "-h", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "--limit"));
}
END_TEST

START_TEST(test_usage_errors)
{
	/* nothing was created by any of them */
	struct stat st;

	assert_run(2, run_env(NULL, NULL, NULL));
	assert_run(2, run(NULL, "frobnicate", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", "frob", NULL));
	assert_one_error_line();
	assert_run(2, run("pw\n", "user", "add", "--password-stdin", NULL));
	assert_one_error_line();
	assert_run(2, run("pw\n", "user", "add", "a", "b", "--password-stdin", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", "list", "--bogus", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", "show", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "--db", NULL));
	assert_one_error_line();
	/* there is no way to give a password in argv */
	assert_run(2, run(NULL, "user", "add", "alice", "--password", "secret", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", "add", "alice", "--password=secret", NULL));
	assert_one_error_line();
	assert_run(2, run("pw\n", "user", "add", "alice", "--password-stdin", "--expires",
					  "soon", NULL));
	assert_one_error_line();
	assert_run(2, run("pw\n", "user", "add", "alice", "--password-stdin",
					  "--session-limit", "-1", NULL));
	assert_run(2, run("pw\n", "user", "add", "alice", "--password-stdin", "--static-ip",
					  "10.0.0.300", NULL));
	assert_run(2, run("pw\n", "user", "add", "alice", "--password-stdin", "--pool", "p",
					  NULL));
	assert_run(2, run(NULL, "pool", "add", "p", "10.0.0.0/33", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "pool", "add", "p", "10.0.0.1/24", NULL));
	assert_run(2, run(NULL, "pool", "add", "bad,name", "10.0.0.0/24", NULL));
	assert_run(2, run(NULL, "session", "kill", "abc", NULL));
	assert_run(2, run(NULL, "session", "kill", NULL));
	assert_run(2, run(NULL, "lease", "release", "not-an-ip", NULL));
	assert_run(2, run(NULL, "user", "set", "alice", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "history", "alice", "--limit", "0", NULL));
	ck_assert_int_ne(stat(db, &st), 0);
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* users */

START_TEST(test_user_add_list_show_del)
{
	struct stat st;

	add_user("alice", "secret");
	ck_assert_int_eq(stat(db, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	add_user("bob", "other");

	/* not a terminal: tab-separated, no header, "-" for empty cells */
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_str_eq(last.out, "alice\tenabled\tnever\t-\t-\tnone\t0\n"
					 "bob\tenabled\tnever\t-\t-\tnone\t0\n");
	ck_assert_str_eq(last.err, "");

	assert_run(0, run(NULL, "user", "show", "ALICE", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "name:           alice\n"));
	ck_assert_ptr_nonnull(strstr(last.out, "state:          enabled\n"));
	/* the hash is no business of "show" */
	ck_assert_ptr_null(strstr(last.out, "hash"));

	assert_run(0, run(NULL, "user", "del", "alice", NULL));
	assert_run(3, run(NULL, "user", "show", "alice", NULL));
	assert_one_error_line();
	assert_run(3, run(NULL, "user", "del", "alice", NULL));
	assert_one_error_line();
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_str_eq(last.out, "bob\tenabled\tnever\t-\t-\tnone\t0\n");
}
END_TEST

START_TEST(test_duplicate_and_empty_names)
{
	add_user("alice", "secret");
	assert_run(4, run("pw\n", "user", "add", "alice", "--password-stdin", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "exists"));
	/* names are unique regardless of case */
	assert_run(4, run("pw\n", "user", "add", "ALICE", "--password-stdin", NULL));
	assert_one_error_line();

	assert_run(2, run("pw\n", "user", "add", "", "--password-stdin", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "empty"));
	assert_run(2, run("pw\n", "user", "add", " alice", "--password-stdin", NULL));
	assert_run(2, run("pw\n", "user", "add", "CORP\\alice", "--password-stdin", NULL));
	assert_run(2, run("pw\n", "user", "add", "a\tb", "--password-stdin", NULL));
	assert_run(2, run("pw\n", "user", "add", "bad\xff", "--password-stdin", NULL));

	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_int_eq(count_lines(last.out), 1);
}
END_TEST

START_TEST(test_non_ascii_names_and_passwords)
{
	/* Latin, Greek, CJK and a character outside the BMP (a surrogate pair in UTF-16) */
	const char *name = "J\xc3\xbcrgen-\xce\xb1\xce\xb2-\xe5\xbc\xa0";
	const char *password = "p\xc3\xa4ssw\xc3\xb6rd \xe2\x82\xac \xf0\x9f\x98\x80";
	char got[33], want[33], input[128];

	snprintf(input, sizeof(input), "%s\n", password);
	assert_run(0, run(input, "user", "add", name, "--password-stdin", NULL));
	assert_run(0, run(NULL, "user", "show", name, NULL));
	ck_assert_ptr_nonnull(strstr(last.out, name));
	assert_run(0, run(NULL, "user", "list", "--json", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, name));

	exported_hash(name, got);
	expected_hash(password, want);
	ck_assert_str_eq(got, want);

	/* a password that is not UTF-8 (C locale: nothing to convert from) is refused */
	assert_run(1, run("caf\xe9\n", "user", "passwd", name, "--password-stdin", NULL));
	assert_one_error_line();
	exported_hash(name, got);
	ck_assert_str_eq(got, want);
}
END_TEST

/* search the database file and its WAL for the bytes of needle */
static bool db_contains(const void *needle, size_t len)
{
	static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[160], *data;
	size_t i, size;
	bool found = false;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
	{
		snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
		data = read_file(path, &size);
		found = found || memmem(data, size, needle, len);
		free(data);
	}
	return found;
}

START_TEST(test_legacy_locale_password)
{
	char cmd[300], locpath[200], lang[] = "LC_ALL=de_DE.ISO-8859-1";
	const char *env[] = { locpath, lang, NULL };
	char got[33], want[33];

	/* typed in an ISO-8859-1 terminal: converted, not refused and not mangled */
	snprintf(cmd, sizeof(cmd), "localedef -f ISO-8859-1 -i de_DE '%s/de_DE.ISO-8859-1' "
			 ">/dev/null 2>&1", dir);
	if (system(cmd) != 0)
	{
		/* no locale sources on this machine: nothing to test with */
		return;
	}
	snprintf(locpath, sizeof(locpath), "LOCPATH=%s", dir);
	assert_run(0, run_env("caf\xe9\n", env, "--db", db, "user", "add", "alice",
						  "--password-stdin", NULL));
	exported_hash("alice", got);
	expected_hash("caf\xc3\xa9", want);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_password_never_stored)
{
	const char *password = "CorrectHorseBatteryStaple-\xc3\xbc";
	/* the same password in UTF-16LE, as Windows and MD4 see it */
	const char utf16[] = "C\0o\0r\0r\0e\0c\0t\0H\0o\0r\0s\0e\0";
	uint8_t hash[16];
	char input[64];

	snprintf(input, sizeof(input), "%s\n", password);
	assert_run(0, run(input, "user", "add", "alice", "--password-stdin", NULL));
	assert_run(0, run("NewPassword-Zebra\n", "user", "passwd", "alice",
					  "--password-stdin", NULL));
	assert_run(0, run(input, "user", "passwd", "alice", "--password-stdin", NULL));

	ck_assert(!db_contains(password, strlen(password)));
	ck_assert(!db_contains("CorrectHorse", 12));
	ck_assert(!db_contains("NewPassword-Zebra", 17));
	ck_assert(!db_contains(utf16, sizeof(utf16) - 1));
	/* the hash is there: the search does read the data */
	ck_assert_int_eq(rw_nthash(password, hash, NULL), RW_OK);
	ck_assert(db_contains(hash, sizeof(hash)));
	/* and the password never shows in any output */
	ck_assert_ptr_null(strstr(last.out, "CorrectHorse"));
	ck_assert_ptr_null(strstr(last.err, "CorrectHorse"));
}
END_TEST

START_TEST(test_nt_hash_stdin)
{
	char want[33], got[33], input[40];

	expected_hash("imported", want);
	snprintf(input, sizeof(input), "%s\n", want);
	assert_run(0, run(input, "user", "add", "carol", "--nt-hash-stdin", NULL));
	exported_hash("carol", got);
	ck_assert_str_eq(got, want);
	assert_run(1, run("xyz\n", "user", "add", "dave", "--nt-hash-stdin", NULL));
	assert_one_error_line();
	assert_run(3, run(NULL, "user", "show", "dave", NULL));
	assert_run(2, run("pw\n", "user", "add", "erin", "--nt-hash-stdin",
					  "--password-stdin", NULL));
}
END_TEST

START_TEST(test_no_terminal_no_password)
{
	/* no --password-stdin and no terminal to ask: refused, nothing added */
	assert_run(0, run(NULL, "pool", "add", "p", "10.0.0.0/24", NULL));
	assert_run(2, run(NULL, "user", "add", "alice", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "--password-stdin"));
	assert_run(3, run(NULL, "user", "show", "alice", NULL));
	/* an empty stdin is no password either */
	assert_run(1, run("", "user", "add", "alice", "--password-stdin", NULL));
	assert_one_error_line();
	assert_run(1, run("\n", "user", "add", "alice", "--password-stdin", NULL));
	assert_run(3, run(NULL, "user", "show", "alice", NULL));
}
END_TEST

/* run rwctl on a terminal, answering its prompts; returns the exit status */
static int run_on_pty(const char **argv, const char *const *answers, char *out,
					  size_t outlen)
{
	struct pollfd pfd;
	size_t used = 0, answered = 0;
	int status, fd;
	ssize_t got;
	pid_t pid;

	pid = forkpty(&fd, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
	{
		unsetenv("STRONGSWAN_CONF");
		execv(RWCTL_BIN, (char **)argv);
		_exit(127);
	}
	out[0] = '\0';
	for (;;)
	{
		pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 10000) <= 0)
		{
			break;
		}
		got = read(fd, out + used, outlen - used - 1);
		if (got <= 0)
		{
			break;
		}
		used += got;
		out[used] = '\0';
		/* answer each prompt once it shows ("...: " at the end) */
		if (answers[answered] && used >= 2 && !strcmp(out + used - 2, ": "))
		{
			ck_assert_int_gt(write(fd, answers[answered], strlen(answers[answered])), 0);
			answered++;
		}
	}
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(test_password_prompt)
{
	const char *argv[] = { "rwctl", "--db", db, "user", "add", "bob", NULL };
	const char *same[] = { "Sunny-Day-42\n", "Sunny-Day-42\n", NULL };
	const char *differ[] = { "Sunny-Day-42\n", "Rainy-Day-43\n", NULL };
	char out[4096], got[33], want[33];

	ck_assert_int_eq(run_on_pty(argv, same, out, sizeof(out)), 0);
	/* asked twice, echo off: the password never shows on the terminal */
	ck_assert_ptr_nonnull(strstr(out, "Password for bob: "));
	ck_assert_ptr_nonnull(strstr(out, "Retype password for bob: "));
	ck_assert_msg(!strstr(out, "Sunny"), "password echoed: %s", out);
	exported_hash("bob", got);
	expected_hash("Sunny-Day-42", want);
	ck_assert_str_eq(got, want);

	argv[4] = "add";
	argv[5] = "carol";
	ck_assert_int_eq(run_on_pty(argv, differ, out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "do not match"));
	assert_run(3, run(NULL, "user", "show", "carol", NULL));

	argv[4] = "passwd";
	argv[5] = "bob";
	ck_assert_int_eq(run_on_pty(argv, differ, out, sizeof(out)), 1);
	exported_hash("bob", got);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_user_set)
{
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	add_user("alice", "secret");
	assert_run(0, run(NULL, "user", "set", "alice", "--disable", "--session-limit", "2",
					  "--static-ip", "198.18.0.7", NULL));
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_str_eq(last.out, "alice\tdisabled\tnever\t198.18.0.7\tcorp\t2\t0\n");
	assert_run(0, run(NULL, "lease", "list", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "corp\t198.18.0.7\talice\tstatic\t0\t"));

	assert_run(0, run(NULL, "user", "set", "alice", "--enable", "--expires",
					  "2000-01-01T00:00:00Z", "--static-ip", "none", "--session-limit",
					  "none", NULL));
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_msg(!strncmp(last.out, "alice\texpired\t", 14), "%s", last.out);
	ck_assert_msg(strstr(last.out, "\t-\t-\tnone\t0\n"), "%s", last.out);
	/* it is not shown as static any more */
	assert_run(0, run(NULL, "lease", "list", NULL));
	ck_assert_ptr_null(strstr(last.out, "static"));

	assert_run(0, run(NULL, "user", "set", "alice", "--expires", "never", NULL));
	assert_run(0, run(NULL, "user", "show", "alice", "--json", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "\"expires\": null"));
	assert_run(3, run(NULL, "user", "set", "nobody", "--disable", NULL));
	assert_one_error_line();
}
END_TEST

START_TEST(test_static_ip)
{
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "pool", "add", "other", "198.19.0.0/24", NULL));
	/* the pool is found from the address */
	assert_run(0, run("pw\n", "user", "add", "alice", "--password-stdin", "--static-ip",
					  "198.18.0.10", NULL));
	assert_run(0, run(NULL, "user", "show", "alice", "--json", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "\"pool\": \"corp\""));
	/* taken */
	assert_run(4, run("pw\n", "user", "add", "bob", "--password-stdin", "--static-ip",
					  "198.18.0.10", NULL));
	assert_one_error_line();
	/* in no pool */
	assert_run(3, run("pw\n", "user", "add", "bob", "--password-stdin", "--static-ip",
					  "10.1.1.1", NULL));
	assert_one_error_line();
	/* outside the pool named */
	assert_run(1, run("pw\n", "user", "add", "bob", "--password-stdin", "--static-ip",
					  "198.18.0.11", "--pool", "other", NULL));
	assert_one_error_line();
	/* unknown pool */
	assert_run(3, run("pw\n", "user", "add", "bob", "--password-stdin", "--static-ip",
					  "198.18.0.11", "--pool", "nope", NULL));
	assert_one_error_line();
	assert_run(3, run(NULL, "user", "show", "bob", NULL));
}
END_TEST

START_TEST(test_dns_settings)
{
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	add_user("alice", "secret");
	add_user("bob", "secret");
	assert_run(0, run(NULL, "user", "set", "bob", "--static-ip", "198.18.0.9", NULL));
	assert_run(0, run(NULL, "pool", "set", "corp", "--dns", "198.51.100.53",
					  "--dns", "2001:db8::53", "--domain", "corp.example,lab.example",
					  "--split", "198.51.100.0/24,2001:db8::/64", NULL));
	assert_run(0, run(NULL, "pool", "show", "corp", NULL));
	ck_assert_msg(strstr(last.out, "dns:            198.51.100.53, 2001:db8::53 (pool corp)\n"
						 "domains:        corp.example, lab.example (pool corp)\n"
						 "split:          198.51.100.0/24, 2001:db8::/64 (pool corp)\n"),
				  "%s", last.out);

	/* bob's own domain beats his pool's; the rest comes from the pool */
	assert_run(0, run(NULL, "user", "set", "bob", "--domain", "bob.example", NULL));
	assert_run(0, run(NULL, "--json", "user", "show", "bob", NULL));
	ck_assert_msg(strstr(last.out, "\"domains\": {\n    \"value\": \"bob.example\",\n"
						 "    \"from\": \"user\""), "%s", last.out);
	ck_assert_msg(strstr(last.out, "\"dns\": {\n    \"value\": \"198.51.100.53, "
						 "2001:db8::53\",\n    \"from\": \"pool corp\""), "%s", last.out);
	/* alice has no pool of her own: rwctl cannot tell where the rest comes from */
	assert_run(0, run(NULL, "user", "show", "alice", NULL));
	ck_assert_msg(strstr(last.out, "dns:            - (from the pool of his address or "
						 "the connection)\n"), "%s", last.out);

	/* "none" overrides with an empty list, --no-... inherits again */
	assert_run(0, run(NULL, "user", "set", "bob", "--split", "none", NULL));
	assert_run(0, run(NULL, "user", "show", "bob", NULL));
	ck_assert_msg(strstr(last.out, "split:          none (user)\n"), "%s", last.out);
	assert_run(0, run(NULL, "user", "set", "bob", "--no-split", "--no-domain", NULL));
	assert_run(0, run(NULL, "user", "show", "bob", NULL));
	ck_assert_msg(strstr(last.out, "split:          198.51.100.0/24, 2001:db8::/64 (pool "
						 "corp)\n"), "%s", last.out);
	ck_assert_msg(strstr(last.out, "domains:        corp.example, lab.example (pool "
						 "corp)\n"), "%s", last.out);

	/* bad values: usage errors, one line, nothing changed */
	assert_run(2, run(NULL, "pool", "set", "corp", "--dns", "198.51.100.300", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "invalid DNS server '198.51.100.300'"));
	assert_run(2, run(NULL, "pool", "set", "corp", "--domain", "a_b.-x.example", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "pool", "set", "corp", "--split", "198.51.100.7/24", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "host bits set"));
	assert_run(2, run(NULL, "user", "set", "alice", "--dns", "1.1.1.1,1.1.1.2,1.1.1.3",
					  "--dns", "1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "too many DNS servers: at most 8"));
	assert_run(2, run(NULL, "user", "set", "alice", "--dns", "1.1.1.1", "--no-dns", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "user", "add", "carol", "--dns", "1.1.1.1", NULL));
	assert_one_error_line();
	/* bob's DNS server outside his pool's split networks */
	assert_run(1, run(NULL, "user", "set", "bob", "--dns", "192.0.2.53", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "DNS server 192.0.2.53 lies outside the split "
								 "networks"));
	/* a pool split network that would leave the pool's DNS server out */
	assert_run(1, run(NULL, "pool", "set", "corp", "--split", "198.51.100.0/26", NULL));
	assert_one_error_line();
	assert_run(0, run(NULL, "pool", "show", "corp", NULL));
	ck_assert_msg(strstr(last.out, "dns:            198.51.100.53, 2001:db8::53 (pool corp)\n"
						 "domains:        corp.example, lab.example (pool corp)\n"
						 "split:          198.51.100.0/24, 2001:db8::/64 (pool corp)\n"),
				  "%s", last.out);
	assert_run(0, run(NULL, "user", "show", "bob", NULL));
	ck_assert_msg(strstr(last.out, "dns:            198.51.100.53, 2001:db8::53 (pool corp)"),
				  "%s", last.out);
	assert_run(3, run(NULL, "pool", "set", "nope", "--dns", "198.51.100.53", NULL));
	assert_one_error_line();
	assert_run(2, run(NULL, "pool", "set", "corp", NULL));
	assert_one_error_line();
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* import and export */

static const char good_csv[] =
	"name,password,nt_hash,static_ip,pool,expires,session_limit,enabled\n"
	"alice,secret,,,,,,\n"
	"\"bob, jr\",\" spaces \"\"quoted\"\" \",,198.18.0.20,,2030-01-01T00:00:00Z,2,no\n"
	"J\xc3\xbcrgen,p\xc3\xa4ss,,2001:db8::5,v6,,,yes\n"
	"carol,,0123456789abcdef0123456789ABCDEF,,,,none,1\n"
	"\n";

START_TEST(test_import_good_csv)
{
	char path[160], got[33], want[33];
	char *first;

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "pool", "add", "v6", "2001:db8::/64", NULL));
	snprintf(path, sizeof(path), "%s/users.csv", dir);
	write_file(path, good_csv, 0600);
	assert_run(0, run(NULL, "user", "import", path, NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "imported 4 users"));
	/* no progress bar when stderr is no terminal */
	ck_assert_str_eq(last.err, "");

	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_int_eq(count_lines(last.out), 4);
	ck_assert_ptr_nonnull(strstr(last.out, "alice\tenabled\tnever\t-\t-\tnone\t0\n"));
	ck_assert_ptr_nonnull(strstr(last.out, "bob, jr\tdisabled\t"));
	ck_assert_ptr_nonnull(strstr(last.out, "\t198.18.0.20\tcorp\t2\t0\n"));
	ck_assert_ptr_nonnull(strstr(last.out, "J\xc3\xbcrgen\tenabled\tnever\t2001:db8::5\tv6"));
	exported_hash("alice", got);
	expected_hash("secret", want);
	ck_assert_str_eq(got, want);
	/* the quoted password keeps its spaces and quotes */
	exported_hash("\"bob, jr\"", got);
	expected_hash(" spaces \"quoted\" ", want);
	ck_assert_str_eq(got, want);
	exported_hash("carol", got);
	ck_assert_str_eq(got, "0123456789abcdef0123456789abcdef");

	/* an export imports again unchanged, from stdin */
	assert_run(0, run(NULL, "user", "export", NULL));
	first = strdup(last.out);
	ck_assert_ptr_null(strstr(first, "secret"));
	snprintf(db, sizeof(db), "%s/second.db", dir);
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "pool", "add", "v6", "2001:db8::/64", NULL));
	assert_run(0, run(first, "user", "import", "-", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "imported 4 users"));
	assert_run(0, run(NULL, "user", "export", NULL));
	ck_assert_str_eq(last.out, first);
	free(first);
}
END_TEST

START_TEST(test_import_broken_csv)
{
	static const char broken_csv[] =
		"name,password,static_ip\n"                /* 1 */
		"alice,secret,\n"                          /* 2 */
		"bob,,\n"                                  /* 3: no password */
		"carol,pw,198.18.0.5\n"                    /* 4 */
		"\"dave\nsecond line\",pw,10.0.0.300\n"    /* 5-6: bad address (and name) */
		"erin,pw,198.18.0.6\n"                     /* 7 */
		"Alice,pw,\n"                              /* 8: alice again */
		"frank,pw\n"                               /* 9: a field short */
		"gina,pw,198.18.0.5\n";                    /* 10: carol's address */
	char path[160], expect[200];
	static const int bad_lines[] = { 3, 5, 8, 9, 10 };
	static const int good_lines[] = { 1, 2, 4, 6, 7 };
	size_t i;

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	add_user("existing", "pw");
	snprintf(path, sizeof(path), "%s/users.csv", dir);
	write_file(path, broken_csv, 0600);
	assert_run(1, run(NULL, "user", "import", path, NULL));
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++)
	{
		snprintf(expect, sizeof(expect), "rwctl: %s:%d: ", path, bad_lines[i]);
		ck_assert_msg(strstr(last.err, expect), "line %d not reported: %s", bad_lines[i],
					  last.err);
	}
	for (i = 0; i < sizeof(good_lines) / sizeof(good_lines[0]); i++)
	{
		snprintf(expect, sizeof(expect), "%s:%d:", path, good_lines[i]);
		ck_assert_msg(!strstr(last.err, expect), "line %d reported: %s", good_lines[i],
					  last.err);
	}
	ck_assert_ptr_nonnull(strstr(last.err, "5 bad lines, nothing imported"));
	ck_assert_int_eq(count_lines(last.err), 6);
	ck_assert_str_eq(last.out, "");
	/* nothing of it went in, not even the good lines */
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_str_eq(last.out, "existing\tenabled\tnever\t-\t-\tnone\t0\n");
	assert_run(0, run(NULL, "lease", "list", NULL));
	ck_assert_str_eq(last.out, "");

	/* a broken header, and a missing one */
	assert_run(1, run("name,pasword\nx,y\n", "user", "import", NULL));
	ck_assert_ptr_nonnull(strstr(last.err, "<stdin>:1: unknown column 'pasword'"));
	assert_run(1, run("alice,secret\n", "user", "import", NULL));
	ck_assert_ptr_nonnull(strstr(last.err, "<stdin>:1:"));
	/* malformed quoting */
	assert_run(1, run("name,password\nx,\"open\n", "user", "import", NULL));
	ck_assert_ptr_nonnull(strstr(last.err, "<stdin>:2: malformed CSV"));
	assert_run(1, run("", "user", "import", NULL));
	assert_one_error_line();
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_int_eq(count_lines(last.out), 1);
	/* a missing file */
	assert_run(3, run(NULL, "user", "import", "/nonexistent.csv", NULL));
	assert_one_error_line();
}
END_TEST

START_TEST(test_import_conflict_only_the_store_sees)
{
	char path[160], address[RW_ADDR_STRLEN], csv[300];
	rw_store_t *store;
	rw_addr_t addr;
	rw_error_t err;

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	add_user("holder", "pw");
	/* holder is online with a dynamic lease: nobody may get it as static address */
	store = open_store();
	ck_assert_msg(rw_store_lease_acquire(store, "corp", "holder", "gw", &addr, NULL,
										 &err) == RW_OK, "%s", err.msg);
	rw_store_close(store);
	rw_addr_format(&addr, address, sizeof(address));
	snprintf(csv, sizeof(csv), "name,password,static_ip\nfirst,pw,\n\nsecond,pw,%s\n"
			 "third,pw,\n", address);
	snprintf(path, sizeof(path), "%s/users.csv", dir);
	write_file(path, csv, 0600);
	assert_run(4, run(NULL, "user", "import", path, NULL));
	assert_one_error_line();
	/* the line of the user the store refused, counting the blank line */
	snprintf(csv, sizeof(csv), "rwctl: %s:4: ", path);
	ck_assert_msg(!strncmp(last.err, csv, strlen(csv)), "%s", last.err);
	ck_assert_ptr_nonnull(strstr(last.err, "nothing imported"));
	assert_run(3, run(NULL, "user", "show", "first", NULL));
}
END_TEST

START_TEST(test_import_progress_on_terminal)
{
	char path[160], out[8192];
	const char *argv[] = { "rwctl", "--db", db, "user", "import", path, NULL };
	const char *no_answers[] = { NULL };

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "pool", "add", "v6", "2001:db8::/64", NULL));
	snprintf(path, sizeof(path), "%s/users.csv", dir);
	write_file(path, good_csv, 0600);
	ck_assert_int_eq(run_on_pty(argv, no_answers, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "importing [##############################] 100% 4/4"),
				  "no progress bar: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "imported 4 users"));
}
END_TEST

START_TEST(test_export_file_is_private)
{
	char path[160], *content;
	struct stat st;

	add_user("alice", "secret");
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	/* also when it existed readable for everybody */
	write_file(path, "old\n", 0644);
	chmod(path, 0644);
	assert_run(0, run(NULL, "user", "export", path, NULL));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	content = read_file(path, NULL);
	ck_assert(!strncmp(content, "name,nt_hash,static_ip,pool,expires,session_limit,"
					   "enabled\nalice,", 64));
	free(content);
	assert_run(2, run(NULL, "user", "export", "--json", NULL));
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* JSON */

static json_object *parse_json(json_type expected)
{
	json_object *o = json_tokener_parse(last.out);

	ck_assert_msg(o != NULL, "not JSON: %s", last.out);
	ck_assert_msg(json_object_get_type(o) == expected, "wrong JSON type: %s", last.out);
	return o;
}

static void assert_fields(json_object *o, const char *const *fields)
{
	json_object *value;

	for (; *fields; fields++)
	{
		ck_assert_msg(json_object_object_get_ex(o, *fields, &value), "no field %s in %s",
					  *fields, json_object_to_json_string(o));
	}
}

static const char *json_str(json_object *o, const char *field)
{
	json_object *value;

	ck_assert(json_object_object_get_ex(o, field, &value));
	return json_object_get_string(value);
}

START_TEST(test_json)
{
	static const char *user_fields[] = {
		"name", "state", "enabled", "expires", "static_ip", "pool", "session_limit",
		"online", "created", "updated", NULL,
	};
	static const char *pool_fields[] = {
		"name", "first", "last", "size", "online", "leases", "usage_percent", "created",
		NULL,
	};
	static const char *lease_fields[] = {
		"pool", "address", "user", "state", "online", "static", "acquired", "released",
		"gateway", NULL,
	};
	static const char *session_fields[] = {
		"id", "user", "ike_id", "eap_id", "remote", "remote_port", "virtual_ips",
		"client", "gateway", "started", "ended", "bytes_in", "bytes_out", "end_reason",
		NULL,
	};
	rw_session_t session = {
		.user = "alice", .ike_id = "192.0.2.7", .eap_id = "CORP\\alice",
		.remote = "192.0.2.7", .remote_port = 4500, .vips = "198.18.0.1",
		.family = "windows", .gateway = "gw1", .ike_sa_id = 3,
	};
	json_object *o, *item, *value;
	rw_store_t *store;
	rw_error_t err;
	rw_addr_t addr;

	/* empty lists are empty arrays */
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "user", "list", "--json", NULL));
	o = parse_json(json_type_array);
	ck_assert_int_eq(json_object_array_length(o), 0);
	json_object_put(o);

	add_user("alice", "secret");
	assert_run(0, run("pw\n", "user", "add", "bob", "--password-stdin", "--static-ip",
					  "198.18.0.9", "--expires", "2030-06-01T12:00:00Z", NULL));
	store = open_store();
	ck_assert(rw_store_lease_acquire(store, "corp", "alice", "gw1", &addr, NULL, &err) ==
			  RW_OK);
	ck_assert(rw_store_session_start(store, &session, &err) == RW_OK);
	rw_store_close(store);

	/* --json before the command works as well as after it */
	assert_run(0, run(NULL, "--json", "user", "list", NULL));
	o = parse_json(json_type_array);
	ck_assert_int_eq(json_object_array_length(o), 2);
	item = json_object_array_get_idx(o, 1);
	assert_fields(item, user_fields);
	ck_assert_str_eq(json_str(item, "name"), "bob");
	ck_assert_str_eq(json_str(item, "static_ip"), "198.18.0.9");
	ck_assert_str_eq(json_str(item, "expires"), "2030-06-01T12:00:00Z");
	item = json_object_array_get_idx(o, 0);
	ck_assert(json_object_object_get_ex(item, "online", &value));
	ck_assert_int_eq(json_object_get_int(value), 1);
	ck_assert(json_object_object_get_ex(item, "static_ip", &value) && !value);
	json_object_put(o);

	assert_run(0, run(NULL, "user", "show", "bob", "--json", NULL));
	o = parse_json(json_type_object);
	assert_fields(o, user_fields);
	json_object_put(o);

	assert_run(0, run(NULL, "pool", "list", "--json", NULL));
	o = parse_json(json_type_array);
	item = json_object_array_get_idx(o, 0);
	assert_fields(item, pool_fields);
	ck_assert(json_object_object_get_ex(item, "size", &value));
	ck_assert_int_eq(json_object_get_int64(value), 254);
	ck_assert(json_object_object_get_ex(item, "online", &value));
	ck_assert_int_eq(json_object_get_int64(value), 1);
	json_object_put(o);
	assert_run(0, run(NULL, "pool", "show", "corp", "--json", NULL));
	o = parse_json(json_type_object);
	assert_fields(o, pool_fields);
	json_object_put(o);

	assert_run(0, run(NULL, "lease", "list", "--json", NULL));
	o = parse_json(json_type_array);
	ck_assert_int_eq(json_object_array_length(o), 2);
	assert_fields(json_object_array_get_idx(o, 0), lease_fields);
	json_object_put(o);

	assert_run(0, run(NULL, "session", "list", "--json", NULL));
	o = parse_json(json_type_array);
	ck_assert_int_eq(json_object_array_length(o), 1);
	item = json_object_array_get_idx(o, 0);
	assert_fields(item, session_fields);
	ck_assert_str_eq(json_str(item, "eap_id"), "CORP\\alice");
	ck_assert(json_object_object_get_ex(item, "virtual_ips", &value));
	ck_assert_int_eq(json_object_array_length(value), 1);
	json_object_put(o);

	assert_run(0, run(NULL, "history", "alice", "--json", NULL));
	o = parse_json(json_type_array);
	ck_assert_int_eq(json_object_array_length(o), 1);
	assert_fields(json_object_array_get_idx(o, 0), session_fields);
	json_object_put(o);
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* pools, leases, sessions */

START_TEST(test_pools)
{
	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(4, run(NULL, "pool", "add", "corp", "198.19.0.0/24", NULL));
	assert_one_error_line();
	assert_run(4, run(NULL, "pool", "add", "other", "198.18.0.200-198.18.1.10", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "overlaps"));
	assert_run(0, run(NULL, "pool", "add", "v6", "2001:db8:1::/64", NULL));
	assert_run(0, run(NULL, "pool", "list", NULL));
	ck_assert_str_eq(last.out, "corp\t198.18.0.1-198.18.0.254\t254\t0\t0\t0.0%\n"
					 "v6\t2001:db8:1::1-2001:db8:1:0:ffff:ffff:ffff:ffff\t"
					 "18446744073709551615\t0\t0\t0.0%\n");
	assert_run(0, run(NULL, "pool", "show", "corp", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "size:           254\n"));
	assert_run(3, run(NULL, "pool", "show", "nope", NULL));
	assert_one_error_line();

	/* a static address keeps the range from shrinking past it */
	assert_run(0, run("pw\n", "user", "add", "alice", "--password-stdin", "--static-ip",
					  "198.18.0.100", NULL));
	assert_run(4, run(NULL, "pool", "set", "corp", "198.18.0.1-198.18.0.50", NULL));
	assert_one_error_line();
	assert_run(0, run(NULL, "pool", "set", "corp", "198.18.0.0/25", NULL));
	assert_run(0, run(NULL, "pool", "show", "corp", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "last:           198.18.0.126\n"));
	assert_run(3, run(NULL, "pool", "set", "nope", "10.0.0.0/24", NULL));

	assert_run(0, run(NULL, "pool", "del", "v6", NULL));
	assert_run(3, run(NULL, "pool", "del", "v6", NULL));
	assert_one_error_line();
}
END_TEST

START_TEST(test_pool_in_use)
{
	rw_store_t *store;
	rw_addr_t addr;
	rw_error_t err;

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	add_user("alice", "pw");
	store = open_store();
	ck_assert(rw_store_lease_acquire(store, "corp", "alice", "gw", &addr, NULL, &err) ==
			  RW_OK);
	rw_store_close(store);
	/* in use is a conflict (4), not a locked database (5) */
	assert_run(4, run(NULL, "pool", "del", "corp", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "has 1 online leases"));
	assert_run(0, run(NULL, "pool", "del", "corp", "--force", NULL));
	assert_run(0, run(NULL, "pool", "list", NULL));
	ck_assert_str_eq(last.out, "");
}
END_TEST

START_TEST(test_leases)
{
	char address[RW_ADDR_STRLEN], expect[200];
	rw_store_t *store;
	rw_addr_t addr;
	rw_error_t err;

	assert_run(0, run(NULL, "pool", "add", "corp", "198.18.0.0/24", NULL));
	assert_run(0, run(NULL, "pool", "add", "spare", "198.19.0.0/24", NULL));
	add_user("alice", "pw");
	store = open_store();
	ck_assert(rw_store_lease_acquire(store, "corp", "alice", "gw1", &addr, NULL, &err) ==
			  RW_OK);
	rw_addr_format(&addr, address, sizeof(address));

	assert_run(0, run(NULL, "lease", "list", "--online", NULL));
	snprintf(expect, sizeof(expect), "corp\t%s\talice\tonline\t1\t", address);
	ck_assert_msg(!strncmp(last.out, expect, strlen(expect)), "%s", last.out);
	assert_run(0, run(NULL, "lease", "list", "spare", NULL));
	ck_assert_str_eq(last.out, "");
	assert_run(3, run(NULL, "lease", "list", "nope", NULL));
	assert_one_error_line();

	/* online: refused without --force */
	assert_run(4, run(NULL, "lease", "release", address, NULL));
	assert_one_error_line();
	/* offline it stays alice's, until released */
	ck_assert(rw_store_lease_release(store, "corp", &addr, &err) == RW_OK);
	assert_run(0, run(NULL, "lease", "list", NULL));
	snprintf(expect, sizeof(expect), "corp\t%s\talice\toffline\t0\t", address);
	ck_assert_msg(!strncmp(last.out, expect, strlen(expect)), "%s", last.out);
	assert_run(0, run(NULL, "lease", "release", address, NULL));
	assert_run(0, run(NULL, "lease", "list", NULL));
	snprintf(expect, sizeof(expect), "corp\t%s\t-\toffline\t0\t", address);
	ck_assert_msg(!strncmp(last.out, expect, strlen(expect)), "%s", last.out);
	assert_run(3, run(NULL, "lease", "release", "198.18.0.77", NULL));
	assert_one_error_line();
	assert_run(3, run(NULL, "lease", "release", "10.9.9.9", NULL));
	rw_store_close(store);
}
END_TEST

START_TEST(test_sessions_and_history)
{
	rw_session_t one = {
		.user = "alice", .eap_id = "alice", .remote = "2001:db8::7", .remote_port = 4500,
		.vips = "198.18.0.1", .gateway = "gw1",
	}, two = one;
	char id[24], expect[100];
	rw_store_t *store;
	rw_error_t err;

	add_user("alice", "pw");
	add_user("bob", "pw");
	store = open_store();
	ck_assert(rw_store_session_start(store, &one, &err) == RW_OK);
	ck_assert(rw_store_session_start(store, &two, &err) == RW_OK);
	ck_assert(rw_store_session_end(store, &two, RW_END_DPD_TIMEOUT, &err) == RW_OK);

	assert_run(0, run(NULL, "session", "list", NULL));
	snprintf(expect, sizeof(expect), "%lld\talice\t[2001:db8::7]:4500\t198.18.0.1\t-\t",
			 (long long)one.id);
	ck_assert_msg(!strncmp(last.out, expect, strlen(expect)), "%s", last.out);
	ck_assert_int_eq(count_lines(last.out), 1);
	assert_run(0, run(NULL, "session", "list", "--user", "bob", NULL));
	ck_assert_str_eq(last.out, "");

	assert_run(0, run(NULL, "history", "alice", NULL));
	ck_assert_int_eq(count_lines(last.out), 2);
	ck_assert_ptr_nonnull(strstr(last.out, "\tdpd-timeout\n"));
	assert_run(0, run(NULL, "history", "alice", "--limit", "1", NULL));
	ck_assert_int_eq(count_lines(last.out), 1);
	assert_run(0, run(NULL, "history", "bob", NULL));
	ck_assert_str_eq(last.out, "");
	assert_run(3, run(NULL, "history", "nobody", NULL));
	assert_one_error_line();

	snprintf(id, sizeof(id), "%lld", (long long)one.id);
	assert_run(0, run(NULL, "session", "kill", id, NULL));
	assert_run(0, run(NULL, "session", "list", "--json", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "\"kill_requested\":true"));
	/* nobody (no charon here) ends it: --wait gives up */
	assert_run(1, run(NULL, "session", "kill", "--user", "alice", "--wait", "0", NULL));
	assert_one_error_line();
	assert_run(3, run(NULL, "session", "kill", "--user", "bob", NULL));
	assert_one_error_line();
	snprintf(id, sizeof(id), "%lld", (long long)two.id);
	assert_run(3, run(NULL, "session", "kill", id, NULL));

	/* once ended, --wait is satisfied */
	ck_assert(rw_store_session_end(store, &one, RW_END_ADMIN_KILL, &err) == RW_OK);
	rw_store_close(store);
	assert_run(0, run(NULL, "session", "list", NULL));
	ck_assert_str_eq(last.out, "");
	/* a deleted user keeps his history */
	assert_run(0, run(NULL, "user", "del", "alice", NULL));
	assert_run(0, run(NULL, "history", "alice", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "\tadmin-kill\n"));
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* the database */

START_TEST(test_missing_database)
{
	struct stat st;

	assert_run(6, run(NULL, "user", "list", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, db));
	ck_assert_ptr_nonnull(strstr(last.err, "does not exist"));
	assert_run(6, run(NULL, "user", "del", "alice", NULL));
	assert_run(6, run(NULL, "history", "alice", NULL));
	assert_run(6, run("pw\n", "user", "passwd", "alice", "--password-stdin", NULL));
	/* commands that do not create it left nothing behind */
	ck_assert_int_ne(stat(db, &st), 0);
	/* nor where directories are missing; one missing level is created (0700), as
	 * /var/lib/strongswan may be missing on a gateway */
	snprintf(db, sizeof(db), "%s/no/such/dir/rw.db", dir);
	assert_run(6, run(NULL, "pool", "add", "p", "10.0.0.0/24", NULL));
	assert_one_error_line();
	snprintf(db, sizeof(db), "%s/strongswan/rw.db", dir);
	assert_run(0, run(NULL, "pool", "add", "p", "10.0.0.0/24", NULL));
	snprintf(db, sizeof(db), "%s/strongswan", dir);
	ck_assert_int_eq(stat(db, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
}
END_TEST

START_TEST(test_world_readable_database)
{
	add_user("alice", "pw");
	ck_assert_int_eq(chmod(db, 0644), 0);
	assert_run(6, run(NULL, "user", "list", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "chmod"));
	ck_assert_str_eq(last.out, "");
	assert_run(6, run("pw\n", "user", "add", "bob", "--password-stdin", NULL));
	ck_assert_int_eq(chmod(db, 0602), 0);
	assert_run(6, run(NULL, "user", "list", NULL));
	/* group access is the administrator's business */
	ck_assert_int_eq(chmod(db, 0640), 0);
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_int_eq(chmod(db, 0600), 0);
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_int_eq(count_lines(last.out), 1);
}
END_TEST

START_TEST(test_database_of_another_user)
{
	if (getuid() != 0)
	{
		/* needs root to create a database another user cannot open */
		return;
	}
	add_user("alice", "pw");
	ck_assert_int_eq(chmod(dir, 0755), 0);
	run_as = 65534;
	assert_run(6, run(NULL, "user", "list", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "Permission denied"));
	assert_run(6, run(NULL, "user", "del", "alice", NULL));
	assert_one_error_line();
	run_as = 0;
	assert_run(0, run(NULL, "user", "show", "alice", NULL));
}
END_TEST

START_TEST(test_unusable_database)
{
	sqlite3 *sql;

	write_file(db, "this is not an SQLite database, just some text in a file\n", 0600);
	assert_run(6, run(NULL, "user", "list", NULL));
	assert_one_error_line();
	assert_run(6, run("pw\n", "user", "add", "alice", "--password-stdin", NULL));
	assert_one_error_line();

	/* a schema newer than this rwctl knows */
	unlink(db);
	assert_run(0, run(NULL, "pool", "add", "p", "10.0.0.0/24", NULL));
	ck_assert_int_eq(sqlite3_open(db, &sql), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sql, "PRAGMA user_version = 99", NULL, NULL, NULL),
					 SQLITE_OK);
	sqlite3_close(sql);
	assert_run(6, run(NULL, "pool", "list", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, "schema"));
	assert_run(6, run(NULL, "pool", "add", "q", "10.1.0.0/24", NULL));

	/* a directory is no database */
	snprintf(db, sizeof(db), "%s", dir);
	assert_run(6, run(NULL, "user", "list", NULL));
	assert_one_error_line();
}
END_TEST

START_TEST(test_locked_database)
{
	sqlite3 *sql;

	add_user("alice", "pw");
	ck_assert_int_eq(sqlite3_open(db, &sql), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sql, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	/* another writer holds it: changes give up after the lock timeout ... */
	assert_run(5, run("pw\n", "user", "add", "bob", "--password-stdin", "--lock-timeout",
					  "0", NULL));
	assert_one_error_line();
	assert_run(5, run(NULL, "--lock-timeout", "1", "user", "set", "alice", "--disable",
					  NULL));
	assert_one_error_line();
	/* ... while queries still read (WAL) */
	assert_run(0, run(NULL, "user", "list", NULL));
	ck_assert_str_eq(last.out, "alice\tenabled\tnever\t-\t-\tnone\t0\n");
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(sql);
	assert_run(0, run("pw\n", "user", "add", "bob", "--password-stdin", NULL));
}
END_TEST

START_TEST(test_database_from_strongswan_conf)
{
	char conf[160], env[200], content[400], confdb[160];
	const char *envp[] = { env, NULL };
	struct stat st;

	snprintf(conf, sizeof(conf), "%s/strongswan.conf", dir);
	snprintf(confdb, sizeof(confdb), "%s/from-conf.db", dir);
	snprintf(env, sizeof(env), "STRONGSWAN_CONF=%s", conf);
	snprintf(content, sizeof(content),
			 "charon {\n  plugins {\n    rw-sqlite {\n      database = %s\n    }\n"
			 "  }\n}\n", confdb);
	write_file(conf, content, 0644);

	assert_run(0, run_env(NULL, envp, "pool", "add", "corp", "198.18.0.0/24", NULL));
	ck_assert_int_eq(stat(confdb, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	assert_run(0, run_env(NULL, envp, "pool", "list", NULL));
	ck_assert_ptr_nonnull(strstr(last.out, "corp\t"));
	/* --db wins */
	assert_run(6, run_env(NULL, envp, "--db", db, "pool", "list", NULL));

	/* a broken strongswan.conf is one clear error */
	write_file(conf, "charon {\n  plugins {\n", 0644);
	assert_run(1, run_env(NULL, envp, "pool", "list", NULL));
	assert_one_error_line();
	ck_assert_ptr_nonnull(strstr(last.err, conf));
	/* not needed with --db */
	assert_run(0, run_env(NULL, envp, "--db", confdb, "pool", "list", NULL));
}
END_TEST

static Suite *rwctl_suite(void)
{
	Suite *s = suite_create("rwctl");
	TCase *tc;

	tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_user_add_list_show_del);
	tcase_add_test(tc, test_duplicate_and_empty_names);
	tcase_add_test(tc, test_non_ascii_names_and_passwords);
	tcase_add_test(tc, test_legacy_locale_password);
	tcase_add_test(tc, test_password_never_stored);
	tcase_add_test(tc, test_nt_hash_stdin);
	tcase_add_test(tc, test_no_terminal_no_password);
	tcase_add_test(tc, test_password_prompt);
	tcase_add_test(tc, test_user_set);
	tcase_add_test(tc, test_static_ip);
	tcase_add_test(tc, test_dns_settings);
	tcase_add_test(tc, test_import_good_csv);
	tcase_add_test(tc, test_import_broken_csv);
	tcase_add_test(tc, test_import_conflict_only_the_store_sees);
	tcase_add_test(tc, test_import_progress_on_terminal);
	tcase_add_test(tc, test_export_file_is_private);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_pools);
	tcase_add_test(tc, test_pool_in_use);
	tcase_add_test(tc, test_leases);
	tcase_add_test(tc, test_sessions_and_history);
	tcase_add_test(tc, test_missing_database);
	tcase_add_test(tc, test_world_readable_database);
	tcase_add_test(tc, test_database_of_another_user);
	tcase_add_test(tc, test_unusable_database);
	tcase_add_test(tc, test_locked_database);
	tcase_add_test(tc, test_database_from_strongswan_conf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(rwctl_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
