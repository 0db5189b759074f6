/*
 * rwctl user import|export: users as CSV (RFC 4180, parsed by libcsv).
 *
 * Import checks every line first and reports each bad one as "FILE:LINE: reason",
 * then adds all users in one transaction, or none at all: half an import would leave
 * the operator guessing which users exist. Export writes the same columns with NT
 * hashes, so an export imports again unchanged (on this or another gateway).
 */

#include "common.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rw_nthash.h"

/* ------------------------------------------------------------------------------ */
/* columns */

typedef enum {
	COL_NAME,
	COL_PASSWORD,
	COL_NT_HASH,
	COL_STATIC_IP,
	COL_POOL,
	COL_EXPIRES,
	COL_SESSION_LIMIT,
	COL_ENABLED,
	COL_COUNT,
} column_t;

/* header names; "user" is accepted for "name" as other tools export it so */
static const char *const column_names[COL_COUNT] = {
	"name", "password", "nt_hash", "static_ip", "pool", "expires", "session_limit",
	"enabled",
};

static int column_for_header(const char *header)
{
	char name[32];
	size_t i;
	int col;

	for (i = 0; header[i] && i < sizeof(name) - 1; i++)
	{
		/* "Static-IP" and "static_ip" alike */
		name[i] = header[i] == '-' ? '_' : (char)tolower((unsigned char)header[i]);
	}
	name[i] = '\0';
	if (header[i])
	{
		return -1;
	}
	if (!strcmp(name, "user") || !strcmp(name, "username"))
	{
		return COL_NAME;
	}
	for (col = 0; col < COL_COUNT; col++)
	{
		if (!strcmp(name, column_names[col]))
		{
			return col;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------------------ */
/* a set of strings with the line they were first seen on (0: in the database) */

typedef struct {
	char *key;
	long line;
} seen_entry_t;

typedef struct {
	seen_entry_t *entries;
	size_t size, used;
} seen_set_t;

static uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
	{
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	}
	return h;
}

static seen_entry_t *seen_slot(seen_entry_t *entries, size_t size, const char *key)
{
	size_t i = hash_string(key) & (size - 1);

	while (entries[i].key && strcmp(entries[i].key, key))
	{
		i = (i + 1) & (size - 1);
	}
	return &entries[i];
}

static void seen_grow(seen_set_t *set)
{
	seen_entry_t *entries, *slot;
	size_t size = set->size ? 2 * set->size : 1024, i;

	entries = calloc(size, sizeof(*entries));
	if (!entries)
	{
		abort();
	}
	for (i = 0; i < set->size; i++)
	{
		if (set->entries[i].key)
		{
			slot = seen_slot(entries, size, set->entries[i].key);
			*slot = set->entries[i];
		}
	}
	free(set->entries);
	set->entries = entries;
	set->size = size;
}

/* line key was seen on, or -1 if new (it is then added with line) */
static long seen_check_add(seen_set_t *set, const char *key, long line)
{
	seen_entry_t *slot;

	if (2 * (set->used + 1) > set->size)
	{
		seen_grow(set);
	}
	slot = seen_slot(set->entries, set->size, key);
	if (slot->key)
	{
		return slot->line;
	}
	slot->key = strdup(key);
	if (!slot->key)
	{
		abort();
	}
	slot->line = line;
	set->used++;
	return -1;
}

static void seen_free(seen_set_t *set)
{
	size_t i;

	for (i = 0; i < set->size; i++)
	{
		free(set->entries[i].key);
	}
	free(set->entries);
}

/* user names are unique ignoring ASCII case, as in the store */
static void fold_name(const char *name, char *out, size_t len)
{
	size_t i;

	for (i = 0; name[i] && i < len - 1; i++)
	{
		out[i] = (char)tolower((unsigned char)name[i]);
	}
	out[i] = '\0';
}

/* key of a static address in the same set as the names: names hold no control
 * characters, so the prefix keeps them apart */
static void address_key(const rw_addr_t *addr, char *out, size_t len)
{
	char buf[RW_ADDR_STRLEN];

	snprintf(out, len, "\001%s", rw_addr_format(addr, buf, sizeof(buf)));
}

/* ------------------------------------------------------------------------------ */
/* import */

typedef struct {
	/* file name for messages */
	const char *file;
	/* physical line being parsed, and the line the current record started on */
	long line, record_line, next_record_line;
	/* fields of the current record */
	char **fields;
	size_t *field_lens;
	size_t field_count, field_allocated;
	/* column index of each column_t, -1 if absent */
	int column_of[COL_COUNT];
	size_t header_fields;
	bool have_header;
	/* the header is unusable: the rest is not checked */
	bool fatal;
	/* users checked so far, with their lines */
	rw_user_t *users;
	long *lines;
	size_t count, allocated;
	/* lines reported bad */
	size_t bad;
	rw_pool_t *pools;
	size_t pool_count;
	seen_set_t seen;
	int64_t now;
	rwctl_progress_t progress;
} import_t;

static void report(import_t *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(import_t *imp, long line, const char *fmt, ...)
{
	char message[1024];
	va_list args;

	rwctl_progress_done(&imp->progress);
	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	/* FILE:LINE: as compilers say it, so editors jump to the line */
	rwctl_fail(RWCTL_EXIT_ERROR, "%s:%ld: %s", imp->file, line, message);
	imp->bad++;
}

/* append one reason to the reasons of a line */
static void add_reason(char *reasons, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_reason(char *reasons, size_t len, const char *fmt, ...)
{
	size_t used = strlen(reasons);
	va_list args;

	if (used && used < len)
	{
		used += snprintf(reasons + used, len - used, "; ");
	}
	if (used < len)
	{
		va_start(args, fmt);
		vsnprintf(reasons + used, len - used, fmt, args);
		va_end(args);
	}
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
	{
		s++;
	}
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
	{
		*--end = '\0';
	}
	return s;
}

/* value of a column in the current record, "" if the file has no such column */
static char *field(import_t *imp, column_t col)
{
	int index = imp->column_of[col];

	return (index >= 0 && (size_t)index < imp->field_count) ? imp->fields[index] :
		(char *)"";
}

static void parse_header(import_t *imp)
{
	size_t i;
	int col;

	imp->have_header = true;
	imp->header_fields = imp->field_count;
	for (col = 0; col < COL_COUNT; col++)
	{
		imp->column_of[col] = -1;
	}
	for (i = 0; i < imp->field_count; i++)
	{
		char *name = trim(imp->fields[i]);

		/* a byte order mark as spreadsheets write it */
		if (i == 0 && !strncmp(name, "\xef\xbb\xbf", 3))
		{
			name += 3;
		}
		col = column_for_header(name);
		if (col < 0)
		{
			report(imp, imp->record_line, "unknown column '%s' in the header (columns: "
				   "name, password or nt_hash, static_ip, pool, expires, session_limit, "
				   "enabled)", name);
			imp->fatal = true;
			return;
		}
		if (imp->column_of[col] >= 0)
		{
			report(imp, imp->record_line, "column '%s' appears twice in the header",
				   column_names[col]);
			imp->fatal = true;
			return;
		}
		imp->column_of[col] = (int)i;
	}
	if (imp->column_of[COL_NAME] < 0 ||
		(imp->column_of[COL_PASSWORD] < 0 && imp->column_of[COL_NT_HASH] < 0))
	{
		report(imp, imp->record_line, "the header needs a 'name' column and a "
			   "'password' or 'nt_hash' column (is the header line missing?)");
		imp->fatal = true;
	}
}

static const rw_pool_t *find_pool(import_t *imp, const char *name)
{
	size_t i;

	for (i = 0; i < imp->pool_count; i++)
	{
		if (!strcmp(imp->pools[i].name, name))
		{
			return &imp->pools[i];
		}
	}
	return NULL;
}

static const rw_pool_t *pool_containing(import_t *imp, const rw_addr_t *addr)
{
	size_t i;

	for (i = 0; i < imp->pool_count; i++)
	{
		if (rw_range_contains(&imp->pools[i].range, addr))
		{
			return &imp->pools[i];
		}
	}
	return NULL;
}

static void check_static_ip(import_t *imp, rw_user_t *user, char *reasons, size_t len)
{
	const char *ip = trim(field(imp, COL_STATIC_IP)), *pool_name;
	const rw_pool_t *pool;
	char key[RW_ADDR_STRLEN + 2];
	long line;

	pool_name = trim(field(imp, COL_POOL));
	if (!ip[0])
	{
		if (pool_name[0])
		{
			add_reason(reasons, len, "pool '%s' without static_ip (pool names the pool of "
					   "the static address)", pool_name);
		}
		return;
	}
	if (rw_addr_parse(ip, &user->static_ip) != RW_OK)
	{
		add_reason(reasons, len, "static_ip '%s' is not an IPv4 or IPv6 address", ip);
		return;
	}
	if (pool_name[0])
	{
		pool = find_pool(imp, pool_name);
		if (!pool)
		{
			add_reason(reasons, len, "no pool '%s'", pool_name);
			return;
		}
		if (!rw_range_contains(&pool->range, &user->static_ip))
		{
			add_reason(reasons, len, "static_ip %s is outside pool '%s'", ip, pool_name);
			return;
		}
	}
	else
	{
		pool = pool_containing(imp, &user->static_ip);
		if (!pool)
		{
			add_reason(reasons, len, "no pool contains static_ip %s", ip);
			return;
		}
	}
	snprintf(user->pool, sizeof(user->pool), "%s", pool->name);
	address_key(&user->static_ip, key, sizeof(key));
	line = seen_check_add(&imp->seen, key, imp->record_line);
	if (line == 0)
	{
		add_reason(reasons, len, "static_ip %s belongs to an existing user", ip);
	}
	else if (line > 0)
	{
		add_reason(reasons, len, "static_ip %s is given on line %ld already", ip, line);
	}
}

static void check_user(import_t *imp)
{
	rw_user_t user = { .enabled = true };
	char reasons[512] = "", folded[RW_NAME_MAX + 1];
	const char *name, *password, *nt_hash, *value;
	rw_error_t err;
	long line;

	if (imp->field_count != imp->header_fields)
	{
		report(imp, imp->record_line, "%zu fields, but the header has %zu",
			   imp->field_count, imp->header_fields);
		return;
	}
	name = trim(field(imp, COL_NAME));
	if (rw_user_name_check(name, &err) != RW_OK)
	{
		add_reason(reasons, sizeof(reasons), "invalid name '%s': %s", name, err.msg);
	}
	else
	{
		snprintf(user.name, sizeof(user.name), "%s", name);
		fold_name(name, folded, sizeof(folded));
		line = seen_check_add(&imp->seen, folded, imp->record_line);
		if (line == 0)
		{
			add_reason(reasons, sizeof(reasons), "user '%s' exists already", name);
		}
		else if (line > 0)
		{
			add_reason(reasons, sizeof(reasons), "user '%s' is on line %ld already", name,
					   line);
		}
	}
	/* a password is taken as is: spaces around it may be part of it */
	password = field(imp, COL_PASSWORD);
	nt_hash = trim(field(imp, COL_NT_HASH));
	if (password[0] && nt_hash[0])
	{
		add_reason(reasons, sizeof(reasons), "both password and nt_hash given");
	}
	else if (password[0])
	{
		if (rw_nthash(password, user.nt_hash, &err) != RW_OK)
		{
			add_reason(reasons, sizeof(reasons), "unusable password: %s", err.msg);
		}
	}
	else if (nt_hash[0])
	{
		if (rw_nthash_parse(nt_hash, user.nt_hash, &err) != RW_OK)
		{
			add_reason(reasons, sizeof(reasons), "nt_hash is not 32 hex digits");
		}
	}
	else
	{
		add_reason(reasons, sizeof(reasons), "no password or nt_hash");
	}
	check_static_ip(imp, &user, reasons, sizeof(reasons));
	value = trim(field(imp, COL_EXPIRES));
	if (value[0] && !rwctl_parse_time(value, imp->now, &user.expires))
	{
		add_reason(reasons, sizeof(reasons), "expires '%s' is no date such as "
				   "2025-12-31 or 2025-12-31T18:00:00Z", value);
	}
	value = trim(field(imp, COL_SESSION_LIMIT));
	if (value[0] && !rwctl_parse_count(value, true, &user.session_limit))
	{
		add_reason(reasons, sizeof(reasons), "session_limit '%s' is no number", value);
	}
	value = trim(field(imp, COL_ENABLED));
	if (value[0] && !rwctl_parse_bool(value, &user.enabled))
	{
		add_reason(reasons, sizeof(reasons), "enabled '%s' is not yes or no", value);
	}
	if (reasons[0])
	{
		report(imp, imp->record_line, "%s", reasons);
		explicit_bzero(user.nt_hash, sizeof(user.nt_hash));
		return;
	}
	if (imp->count == imp->allocated)
	{
		imp->allocated = imp->allocated ? 2 * imp->allocated : 256;
		imp->users = realloc(imp->users, imp->allocated * sizeof(imp->users[0]));
		imp->lines = realloc(imp->lines, imp->allocated * sizeof(imp->lines[0]));
		if (!imp->users || !imp->lines)
		{
			abort();
		}
	}
	imp->users[imp->count] = user;
	imp->lines[imp->count] = imp->record_line;
	imp->count++;
	explicit_bzero(user.nt_hash, sizeof(user.nt_hash));
}

static void clear_fields(import_t *imp)
{
	size_t i;

	for (i = 0; i < imp->field_count; i++)
	{
		/* fields may hold plain passwords */
		explicit_bzero(imp->fields[i], imp->field_lens[i]);
		free(imp->fields[i]);
	}
	imp->field_count = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	import_t *imp = ctx;
	const char *s = data;
	size_t i;

	if (imp->field_count == imp->field_allocated)
	{
		imp->field_allocated = imp->field_allocated ? 2 * imp->field_allocated : 16;
		imp->fields = realloc(imp->fields, imp->field_allocated * sizeof(char *));
		imp->field_lens = realloc(imp->field_lens, imp->field_allocated *
								  sizeof(size_t));
		if (!imp->fields || !imp->field_lens)
		{
			abort();
		}
	}
	if (!imp->field_count)
	{
		/* the record began as many lines up as its first field has newlines */
		imp->record_line = imp->line;
		for (i = 0; i < len; i++)
		{
			if (s[i] == '\n')
			{
				imp->record_line--;
			}
		}
	}
	imp->fields[imp->field_count] = malloc(len + 1);
	if (!imp->fields[imp->field_count])
	{
		abort();
	}
	if (len)
	{
		/* libcsv hands an empty field without a buffer */
		memcpy(imp->fields[imp->field_count], s, len);
	}
	imp->fields[imp->field_count][len] = '\0';
	imp->field_lens[imp->field_count] = len;
	imp->field_count++;
}

static void on_record(int terminator, void *ctx)
{
	import_t *imp = ctx;
	size_t i;
	bool blank = true;

	imp->next_record_line = imp->line + 1;
	for (i = 0; i < imp->field_count && blank; i++)
	{
		blank = !trim(imp->fields[i])[0] || !strcmp(trim(imp->fields[i]), "\xef\xbb\xbf");
	}
	/* a line of spaces, or of commas only, as spreadsheets leave at the end */
	if (!blank && !imp->fatal)
	{
		if (!imp->have_header)
		{
			parse_header(imp);
		}
		else
		{
			check_user(imp);
		}
	}
	clear_fields(imp);
}

/* libcsv trims spaces around unquoted fields by default; passwords keep theirs */
static int no_space(unsigned char c)
{
	return 0;
}

static bool collect_pool(const rw_pool_t *pool, void *ctx)
{
	import_t *imp = ctx;

	imp->pools = realloc(imp->pools, (imp->pool_count + 1) * sizeof(rw_pool_t));
	if (!imp->pools)
	{
		abort();
	}
	imp->pools[imp->pool_count++] = *pool;
	return true;
}

static bool collect_existing_user(const rw_user_t *user, void *ctx)
{
	import_t *imp = ctx;
	char key[RW_NAME_MAX + 2];

	fold_name(user->name, key, sizeof(key));
	seen_check_add(&imp->seen, key, 0);
	if (user->static_ip.family)
	{
		address_key(&user->static_ip, key, sizeof(key));
		seen_check_add(&imp->seen, key, 0);
	}
	return true;
}

/* read and check the whole file; returns an exit status */
static int parse_file(import_t *imp, FILE *in, uint64_t size)
{
	struct csv_parser parser;
	char *buf = NULL;
	size_t buflen = 0;
	uint64_t done = 0;
	ssize_t got;
	int rc = RWCTL_EXIT_OK;

	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	csv_set_space_func(&parser, no_space);
	imp->next_record_line = 1;
	/* line by line, so the callbacks know the line they are on */
	while (!imp->fatal && (got = getline(&buf, &buflen, in)) > 0)
	{
		imp->line++;
		if (csv_parse(&parser, buf, (size_t)got, on_field, on_record, imp) !=
			(size_t)got)
		{
			report(imp, imp->line, "malformed CSV: %s (a field with '\"' must be "
				   "quoted, and its '\"' doubled)", csv_strerror(csv_error(&parser)));
			imp->fatal = true;
		}
		done += (uint64_t)got;
		rwctl_progress_update(&imp->progress, done, size);
	}
	if (ferror(in))
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "cannot read %s: %s", imp->file,
						strerror(errno));
	}
	else if (!imp->fatal && csv_fini(&parser, on_field, on_record, imp) != 0)
	{
		report(imp, imp->next_record_line, "malformed CSV: a quoted field is not "
			   "closed");
	}
	clear_fields(imp);
	/* libcsv's buffer held the last fields, passwords among them */
	if (parser.entry_buf)
	{
		explicit_bzero(parser.entry_buf, parser.entry_size);
	}
	csv_free(&parser);
	if (buf)
	{
		explicit_bzero(buf, buflen);
		free(buf);
	}
	rwctl_progress_done(&imp->progress);
	if (rc == RWCTL_EXIT_OK && !imp->have_header && !imp->bad)
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "%s is empty: expected a header line such as "
						"'name,password'", imp->file);
	}
	return rc;
}

static void import_progress(size_t done, size_t count, void *ctx)
{
	import_t *imp = ctx;

	rwctl_progress_update(&imp->progress, done, count);
}

enum {
	OPT_DRY_RUN = RWCTL_OPT_LOCAL,
};

static const rwctl_cmd_t *find_user_cmd(const char *name)
{
	const rwctl_cmd_t *cmd;

	for (cmd = rwctl_user_cmds; cmd->name; cmd++)
	{
		if (!strcmp(cmd->name, name))
		{
			return cmd;
		}
	}
	abort();
}

/* open FILE or stdin ("-" or none); returns an exit status */
static int open_input(const rwctl_cmd_t *cmd, const char *path, FILE **in,
					  const char **name, uint64_t *size)
{
	struct stat st;

	*size = 0;
	if (!path || !strcmp(path, "-"))
	{
		if (isatty(STDIN_FILENO))
		{
			return rwctl_usage_error(cmd, "give a FILE, or the CSV on stdin");
		}
		*in = stdin;
		*name = "<stdin>";
	}
	else
	{
		*in = fopen(path, "r");
		if (!*in)
		{
			return rwctl_fail(errno == ENOENT ? RWCTL_EXIT_NOTFOUND : RWCTL_EXIT_ERROR,
							  "cannot open %s: %s", path, strerror(errno));
		}
		*name = path;
	}
	if (fstat(fileno(*in), &st) == 0 && S_ISREG(st.st_mode))
	{
		*size = (uint64_t)st.st_size;
	}
	return RWCTL_EXIT_OK;
}

int rwctl_user_import(rwctl_opts_t *opts, int argc, char **argv)
{
	static const struct option options[] = {
		RWCTL_COMMON_OPTIONS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ NULL, 0, NULL, 0 },
	};
	const rwctl_cmd_t *cmd = find_user_cmd("import");
	import_t imp = { .now = rwctl_now() };
	rw_store_t *store = NULL;
	rw_error_t err;
	uint64_t size;
	bool dry_run = false;
	FILE *in = NULL;
	size_t i;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, options, NULL)) != -1)
	{
		if (opt == OPT_DRY_RUN)
		{
			dry_run = true;
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
	rc = open_input(cmd, optind < argc ? argv[optind] : NULL, &in, &imp.file, &size);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	rc = rwctl_open(opts, dry_run ? RWCTL_DB_READ : RWCTL_DB_CREATE, &store);
	/* the pools and the users there already, to check every line up front */
	if (rc == RWCTL_EXIT_OK &&
		(rw_store_pool_list(store, collect_pool, &imp, &err) != RW_OK ||
		 rw_store_user_list(store, collect_existing_user, &imp, &err) != RW_OK))
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		rwctl_progress_init(&imp.progress, "checking ");
		rc = parse_file(&imp, in, size);
	}
	if (rc == RWCTL_EXIT_OK && imp.bad)
	{
		rc = rwctl_fail(RWCTL_EXIT_ERROR, "%s: %zu bad line%s, nothing imported",
						imp.file, imp.bad, imp.bad == 1 ? "" : "s");
	}
	if (rc == RWCTL_EXIT_OK && !dry_run)
	{
		rwctl_progress_init(&imp.progress, "importing");
		rw_error_clear(&err);
		if (rw_store_user_import(store, imp.users, imp.count, import_progress, &imp,
								 &err) != RW_OK)
		{
			rwctl_progress_done(&imp.progress);
			/* what only the store can see: an address leased to somebody else ... */
			if (err.index >= 0 && (size_t)err.index < imp.count)
			{
				rc = rwctl_fail(rwctl_exit_for(err.status), "%s:%ld: %s; nothing imported",
								imp.file, imp.lines[err.index], err.msg);
			}
			else
			{
				rc = rwctl_fail(rwctl_exit_for(err.status), "%s; nothing imported",
								err.msg[0] ? err.msg : rw_status_name(err.status));
			}
		}
		rwctl_progress_done(&imp.progress);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		printf("%s %zu user%s from %s\n", dry_run ? "would import" : "imported",
			   imp.count, imp.count == 1 ? "" : "s", imp.file);
		rc = rwctl_flush_stdout();
	}
	for (i = 0; i < imp.count; i++)
	{
		explicit_bzero(imp.users[i].nt_hash, sizeof(imp.users[i].nt_hash));
	}
	free(imp.users);
	free(imp.lines);
	free(imp.fields);
	free(imp.field_lens);
	free(imp.pools);
	seen_free(&imp.seen);
	rw_store_close(store);
	if (in && in != stdin)
	{
		fclose(in);
	}
	return rc;
}

/* ------------------------------------------------------------------------------ */
/* export */

/* write one CSV field, quoted only where RFC 4180 needs it (or spaces would be lost) */
static void write_field(FILE *out, const char *s, bool last)
{
	size_t len = strlen(s);
	bool quote;

	quote = strpbrk(s, ",\"\r\n") || (len && (s[0] == ' ' || s[len - 1] == ' '));
	if (quote)
	{
		fputc('"', out);
		for (; *s; s++)
		{
			if (*s == '"')
			{
				fputc('"', out);
			}
			fputc(*s, out);
		}
		fputc('"', out);
	}
	else
	{
		fputs(s, out);
	}
	fputc(last ? '\n' : ',', out);
}

static bool export_user(const rw_user_t *user, void *ctx)
{
	FILE *out = ctx;
	char hash[33], addr[RW_ADDR_STRLEN], when[32], limit[16];

	snprintf(limit, sizeof(limit), "%d", user->session_limit);
	write_field(out, user->name, false);
	write_field(out, rw_nthash_format(user->nt_hash, hash), false);
	write_field(out, user->static_ip.family ?
				rw_addr_format(&user->static_ip, addr, sizeof(addr)) : "", false);
	write_field(out, user->pool, false);
	/* UTC, so the file means the same on a gateway in another time zone */
	write_field(out, rwctl_time_utc(user->expires, when, sizeof(when)), false);
	write_field(out, user->session_limit ? limit : "", false);
	write_field(out, user->enabled ? "yes" : "no", true);
	explicit_bzero(hash, sizeof(hash));
	return !ferror(out);
}

/* create FILE for NT hashes: mode 0600, also when it existed with a looser one */
static int open_output(const char *path, FILE **out)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot create %s: %s", path,
						  strerror(errno));
	}
	if (fchmod(fd, 0600) != 0 && errno != EPERM)
	{
		close(fd);
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot make %s private: %s", path,
						  strerror(errno));
	}
	*out = fdopen(fd, "w");
	if (!*out)
	{
		close(fd);
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot write %s: %s", path, strerror(errno));
	}
	return RWCTL_EXIT_OK;
}

int rwctl_user_export(rwctl_opts_t *opts, int argc, char **argv)
{
	static const struct option options[] = {
		RWCTL_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const rwctl_cmd_t *cmd = find_user_cmd("export");
	const char *path = NULL;
	rw_store_t *store;
	rw_error_t err;
	FILE *out = stdout;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, options, NULL)) != -1)
	{
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
	if (opts->json)
	{
		return rwctl_usage_error(cmd, "export writes CSV; 'rwctl user list --json' "
								 "lists users as JSON");
	}
	if (optind < argc && strcmp(argv[optind], "-"))
	{
		path = argv[optind];
	}
	/* open the database first: a failure must not leave an empty file behind */
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (path)
	{
		rc = open_output(path, &out);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		fputs("name,nt_hash,static_ip,pool,expires,session_limit,enabled\n", out);
		/* export_user() stops the listing at a write error, reported below */
		if (rw_store_user_list(store, export_user, out, &err) != RW_OK)
		{
			rc = rwctl_fail_store(&err);
		}
		else if (fflush(out) != 0 || ferror(out))
		{
			rc = rwctl_fail(RWCTL_EXIT_ERROR, "cannot write %s: %s", path ? path :
							"output", strerror(errno));
		}
		if (path)
		{
			fclose(out);
		}
	}
	rw_store_close(store);
	return rc;
}
