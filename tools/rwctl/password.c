/*
 * Passwords and NT hashes: from a no-echo prompt or the first line of stdin, never
 * from argv (other users see argv in ps and /proc). Only the NT hash leaves this
 * file; every buffer that held the password is wiped.
 */

#include "common.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "rw_nthash.h"

/* room for the longest password, its newline and one byte to notice a longer one */
#define LINE_MAX_BYTES (RW_PASSWORD_MAX + 2)

/*
 * The terminal settings to restore when a signal (Ctrl-C at the prompt) ends rwctl
 * while echo is off; a signal handler can only reach them through a static.
 */
static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off;

static void restore_echo_and_die(int sig)
{
	if (echo_is_off)
	{
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
		write(STDERR_FILENO, "\n", 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int echo_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define ECHO_SIGNALS (sizeof(echo_signals) / sizeof(echo_signals[0]))

static bool echo_off(struct sigaction old[ECHO_SIGNALS])
{
	struct sigaction sa = { .sa_handler = restore_echo_and_die };
	struct termios quiet;
	size_t i;

	if (tcgetattr(STDIN_FILENO, &saved_termios) != 0)
	{
		return false;
	}
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ECHO_SIGNALS; i++)
	{
		sigaction(echo_signals[i], &sa, &old[i]);
	}
	quiet = saved_termios;
	/* no echo, but show the newline so the next output starts on its own line */
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	echo_is_off = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
	{
		echo_is_off = 0;
		return false;
	}
	return true;
}

static void echo_on(struct sigaction old[ECHO_SIGNALS])
{
	size_t i;

	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	echo_is_off = 0;
	for (i = 0; i < ECHO_SIGNALS; i++)
	{
		sigaction(echo_signals[i], &old[i], NULL);
	}
}

/*
 * Read one line from stdin with read(2), byte by byte: stdio would keep copies of
 * the password in its buffer, and nothing after the first line is consumed.
 * Returns 1 for a line, 0 for end of input before any byte, -1 for too long / error.
 */
static int read_line(char *buf, size_t len)
{
	size_t used = 0;
	ssize_t got;
	char c;

	for (;;)
	{
		got = read(STDIN_FILENO, &c, 1);
		if (got < 0 && errno == EINTR)
		{
			continue;
		}
		if (got < 0)
		{
			return -1;
		}
		if (got == 0)
		{
			if (!used)
			{
				return 0;
			}
			break;
		}
		if (c == '\n')
		{
			break;
		}
		if (used + 1 >= len)
		{
			/* drain the rest of the line so it does not reach a shell */
			while ((got = read(STDIN_FILENO, &c, 1)) > 0 && c != '\n')
			{
			}
			explicit_bzero(buf, len);
			return -1;
		}
		buf[used++] = c;
	}
	if (used && buf[used - 1] == '\r')
	{
		used--;
	}
	buf[used] = '\0';
	return 1;
}

/* read a line with echo off if stdin is a terminal; prompt may be NULL */
static int read_secret_line(const char *prompt, char *buf, size_t len)
{
	struct sigaction old[ECHO_SIGNALS];
	bool quiet;
	int rc;

	quiet = isatty(STDIN_FILENO) && echo_off(old);
	if (prompt)
	{
		fputs(prompt, stderr);
		fflush(stderr);
	}
	rc = read_line(buf, len);
	if (quiet)
	{
		echo_on(old);
	}
	return rc;
}

bool rwctl_password_to_utf8(const char *in, char *out, size_t outlen)
{
	const char *codeset;
	size_t len = strlen(in), pos = 0, inleft, outleft;
	uint32_t cp;
	char *inp, *outp;
	iconv_t cd;
	int n;
	bool ok;

	while (pos < len)
	{
		n = rw_utf8_decode(in + pos, len - pos, &cp);
		if (n <= 0)
		{
			break;
		}
		pos += n;
	}
	if (pos == len)
	{
		if (len >= outlen)
		{
			return false;
		}
		memcpy(out, in, len + 1);
		return true;
	}
	/* not UTF-8: typed on a terminal in a legacy locale such as ISO-8859-1. The
	 * user's locale is set just for this (rwctl stays in "C"); not with newlocale(),
	 * whose data glibc never frees */
	cd = (iconv_t)-1;
	if (setlocale(LC_CTYPE, ""))
	{
		codeset = nl_langinfo(CODESET);
		if (strcmp(codeset, "UTF-8") && strcmp(codeset, "ANSI_X3.4-1968"))
		{
			cd = iconv_open("UTF-8", codeset);
		}
		setlocale(LC_CTYPE, "C");
	}
	if (cd == (iconv_t)-1)
	{
		return false;
	}
	inp = (char *)in;
	inleft = len;
	outp = out;
	outleft = outlen - 1;
	ok = iconv(cd, &inp, &inleft, &outp, &outleft) != (size_t)-1 && inleft == 0;
	iconv_close(cd);
	if (!ok)
	{
		explicit_bzero(out, outlen);
		return false;
	}
	*outp = '\0';
	return true;
}

/* hash a password as typed; returns an exit status */
static int hash_password(const char *typed, uint8_t hash[16])
{
	char utf8[4 * LINE_MAX_BYTES];
	rw_error_t err;
	int rc = RWCTL_EXIT_OK;

	if (!typed[0])
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "empty password, nothing changed");
	}
	if (!rwctl_password_to_utf8(typed, utf8, sizeof(utf8)))
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "the password is neither UTF-8 nor text of "
						  "the locale's character set, nothing changed");
	}
	if (rw_nthash(utf8, hash, &err) != RW_OK)
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "cannot use that password: %s", err.msg);
	}
	explicit_bzero(utf8, sizeof(utf8));
	return rc;
}

static int secret_from_prompt(const char *name, uint8_t hash[16])
{
	char first[LINE_MAX_BYTES], second[LINE_MAX_BYTES], prompt[RW_NAME_MAX + 64];
	int rc, got;

	if (!isatty(STDIN_FILENO))
	{
		return rwctl_fail(RWCTL_EXIT_USAGE, "no terminal to ask for the password: use "
						  "--password-stdin or --nt-hash-stdin");
	}
	snprintf(prompt, sizeof(prompt), "Password for %s: ", name);
	got = read_secret_line(prompt, first, sizeof(first));
	if (got <= 0)
	{
		explicit_bzero(first, sizeof(first));
		return rwctl_fail(RWCTL_EXIT_ERROR, got < 0 ? "password too long (at most %d "
						  "bytes), nothing changed" : "no password given, nothing changed",
						  RW_PASSWORD_MAX);
	}
	snprintf(prompt, sizeof(prompt), "Retype password for %s: ", name);
	got = read_secret_line(prompt, second, sizeof(second));
	if (got <= 0 || strcmp(first, second) != 0)
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "the passwords do not match, nothing changed");
	}
	else
	{
		rc = hash_password(first, hash);
	}
	explicit_bzero(first, sizeof(first));
	explicit_bzero(second, sizeof(second));
	return rc;
}

static int secret_from_stdin(bool is_hash, uint8_t hash[16])
{
	char line[LINE_MAX_BYTES];
	rw_error_t err;
	size_t start, end;
	int rc, got;

	got = read_secret_line(NULL, line, sizeof(line));
	if (got <= 0)
	{
		explicit_bzero(line, sizeof(line));
		return rwctl_fail(RWCTL_EXIT_ERROR, got < 0 ? "the first line of stdin is too "
						  "long, nothing changed" : "stdin is empty: expected a %s on its "
						  "first line, nothing changed", is_hash ? "NT hash" : "password");
	}
	if (!is_hash)
	{
		/* taken as is: leading and trailing spaces may be part of a password */
		rc = hash_password(line, hash);
		explicit_bzero(line, sizeof(line));
		return rc;
	}
	for (start = 0; line[start] == ' ' || line[start] == '\t'; start++)
	{
	}
	for (end = strlen(line); end > start && (line[end - 1] == ' ' ||
											 line[end - 1] == '\t'); end--)
	{
	}
	line[end] = '\0';
	rc = RWCTL_EXIT_OK;
	if (rw_nthash_parse(line + start, hash, &err) != RW_OK)
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "stdin holds no NT hash (32 hex digits), "
						"nothing changed");
	}
	explicit_bzero(line, sizeof(line));
	return rc;
}

int rwctl_read_secret(rwctl_secret_source_t source, const char *name, uint8_t hash[16])
{
	switch (source)
	{
		case RWCTL_SECRET_PROMPT:
			return secret_from_prompt(name, hash);
		case RWCTL_SECRET_PASSWORD_STDIN:
			return secret_from_stdin(false, hash);
		case RWCTL_SECRET_HASH_STDIN:
			return secret_from_stdin(true, hash);
	}
	return RWCTL_EXIT_ERROR;
}
