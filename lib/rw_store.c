#include "rw_store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rw_nthash.h"

/* Forward migrations: schema[i] brings a database from user_version i to i + 1. */
static const char *const schema[] = {
	/* 0 -> 1 */
	"CREATE TABLE pools ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  family INTEGER NOT NULL,"
	"  first BLOB NOT NULL,"
	"  last BLOB NOT NULL,"
	/* next address never handed out; NULL once the range is used up */
	"  cursor BLOB,"
	"  online INTEGER NOT NULL DEFAULT 0,"
	"  leases INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL"
	");"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  nt_hash BLOB NOT NULL CHECK (length(nt_hash) = 16),"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  expires INTEGER NOT NULL DEFAULT 0,"
	"  session_limit INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	/* covers the lookup at every EAP authentication: one B-tree descent */
	"CREATE INDEX users_auth ON users (name COLLATE NOCASE, id, nt_hash, enabled, "
	"  expires, session_limit);"
	"CREATE TABLE leases ("
	"  pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,"
	"  address BLOB NOT NULL,"
	"  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  is_static INTEGER NOT NULL DEFAULT 0,"
	"  online INTEGER NOT NULL DEFAULT 0,"
	"  acquired INTEGER NOT NULL DEFAULT 0,"
	"  released INTEGER NOT NULL DEFAULT 0,"
	"  gateway TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (pool_id, address)"
	") WITHOUT ROWID;"
	"CREATE INDEX leases_by_user ON leases (user_id, pool_id);"
	"CREATE INDEX leases_reusable ON leases (pool_id, released)"
	"  WHERE online = 0 AND is_static = 0;"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  user_name TEXT NOT NULL,"
	"  ike_id TEXT NOT NULL DEFAULT '',"
	"  eap_id TEXT NOT NULL DEFAULT '',"
	"  remote TEXT NOT NULL DEFAULT '',"
	"  remote_port INTEGER NOT NULL DEFAULT 0,"
	"  vips TEXT NOT NULL DEFAULT '',"
	"  family TEXT NOT NULL DEFAULT '',"
	"  gateway TEXT NOT NULL DEFAULT '',"
	"  ike_sa_id INTEGER NOT NULL DEFAULT 0,"
	"  started INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  ended INTEGER NOT NULL DEFAULT 0,"
	"  bytes_in INTEGER NOT NULL DEFAULT 0,"
	"  bytes_out INTEGER NOT NULL DEFAULT 0,"
	"  packets_in INTEGER NOT NULL DEFAULT 0,"
	"  packets_out INTEGER NOT NULL DEFAULT 0,"
	"  end_reason TEXT NOT NULL DEFAULT '',"
	"  kill_requested INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX sessions_online ON sessions (gateway, user_id) WHERE ended = 0;"
	"CREATE INDEX sessions_user_online ON sessions (user_id) WHERE ended = 0;"
	"CREATE INDEX sessions_by_user ON sessions (user_name COLLATE NOCASE, started);",
	/* 1 -> 2: DNS settings (rw_dns.h) per pool and user, canonical text; NULL
	 * inherits from the level below, '' is an explicit "none" */
	"ALTER TABLE pools ADD COLUMN dns TEXT;"
	"ALTER TABLE pools ADD COLUMN domains TEXT;"
	"ALTER TABLE pools ADD COLUMN split TEXT;"
	"ALTER TABLE users ADD COLUMN dns TEXT;"
	"ALTER TABLE users ADD COLUMN domains TEXT;"
	"ALTER TABLE users ADD COLUMN split TEXT;",
};

#define SCHEMA_STEPS ((int)(sizeof(schema) / sizeof(schema[0])))

/** Prepared statements kept per connection, found by the address of their SQL text */
#define STMT_CACHE 64

struct rw_store {
	sqlite3 *db;
	char *path;
	rw_clock_t clock;
	void *clock_ctx;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	int cached;
	/* inside rw_store_batch_begin() */
	bool batch;
};

static int64_t system_clock(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

static int64_t now(rw_store_t *store)
{
	return store->clock(store->clock_ctx);
}

void rw_store_set_clock(rw_store_t *store, rw_clock_t clock, void *ctx)
{
	store->clock = clock ? clock : system_clock;
	store->clock_ctx = ctx;
}

const char *rw_store_path(rw_store_t *store)
{
	return store->path;
}

/* ------------------------------------------------------------------------------ */
/* SQLite plumbing */

static rw_status_t status_of(int rc)
{
	switch (rc & 0xff)
	{
		case SQLITE_OK:
		case SQLITE_DONE:
		case SQLITE_ROW:
			return RW_OK;
		case SQLITE_BUSY:
		case SQLITE_LOCKED:
			return RW_ERR_BUSY;
		case SQLITE_READONLY:
		case SQLITE_PERM:
		case SQLITE_AUTH:
			return RW_ERR_PERM;
		case SQLITE_CORRUPT:
		case SQLITE_NOTADB:
			return RW_ERR_CORRUPT;
		case SQLITE_NOMEM:
			return RW_ERR_NOMEM;
		case SQLITE_CONSTRAINT:
			return RW_ERR_EXISTS;
		case SQLITE_CANTOPEN:
			/* the file exists (rw_store_open() checks first): no permission, or
			 * SQLite cannot create its -wal/-shm files beside it */
			return RW_ERR_PERM;
		default:
			return RW_ERR_IO;
	}
}

/* error from the last SQLite call on this connection */
static rw_status_t db_error(rw_store_t *store, int rc, rw_error_t *err)
{
	rw_status_t status = status_of(rc);

	switch (status)
	{
		case RW_ERR_BUSY:
			return rw_error_set(err, status, "database '%s' is locked by another "
								"writer", store->path);
		case RW_ERR_PERM:
			return rw_error_set(err, status, "database '%s' is read-only or not "
								"accessible: %s", store->path, sqlite3_errmsg(store->db));
		case RW_ERR_CORRUPT:
			return rw_error_set(err, status, "database '%s' is corrupt or not a "
								"database: %s", store->path, sqlite3_errmsg(store->db));
		default:
			return rw_error_set(err, status == RW_OK ? RW_ERR_IO : status,
								"database '%s': %s", store->path,
								sqlite3_errmsg(store->db));
	}
}

static rw_status_t prepare(rw_store_t *store, const char *sql, sqlite3_stmt **stmt,
						   rw_error_t *err)
{
	int rc, i;

	/* every statement is a string literal: its address identifies it, and parsing
	 * it again costs more than running it */
	for (i = 0; i < store->cached; i++)
	{
		if (store->cache[i].sql == sql)
		{
			*stmt = store->cache[i].stmt;
			return RW_OK;
		}
	}
	rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
	if (rc != SQLITE_OK)
	{
		*stmt = NULL;
		return db_error(store, rc, err);
	}
	if (store->cached < STMT_CACHE)
	{
		store->cache[store->cached].sql = sql;
		store->cache[store->cached].stmt = *stmt;
		store->cached++;
	}
	return RW_OK;
}

/* done with a statement from prepare(): reset a cached one for its next use */
static void done(rw_store_t *store, sqlite3_stmt *stmt)
{
	int i;

	if (!stmt)
	{
		return;
	}
	for (i = 0; i < store->cached; i++)
	{
		if (store->cache[i].stmt == stmt)
		{
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return;
		}
	}
	sqlite3_finalize(stmt);
}

/* execute a statement without results, binding nothing */
static rw_status_t exec(rw_store_t *store, const char *sql, rw_error_t *err)
{
	int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? RW_OK : db_error(store, rc, err);
}

static rw_status_t begin(rw_store_t *store, rw_error_t *err)
{
	/* inside a batch each operation is a savepoint: it succeeds or leaves no trace,
	 * and the batch goes on */
	if (store->batch)
	{
		return exec(store, "SAVEPOINT rw_op", err);
	}
	/* IMMEDIATE: take the write lock now, so the busy timeout applies here and not
	 * in the middle of a read-modify-write */
	return exec(store, "BEGIN IMMEDIATE", err);
}

static rw_status_t commit(rw_store_t *store, rw_error_t *err)
{
	rw_status_t status;

	if (store->batch)
	{
		return exec(store, "RELEASE rw_op", err);
	}
	status = exec(store, "COMMIT", err);
	if (status != RW_OK)
	{
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return status;
}

static rw_status_t finish(rw_store_t *store, rw_status_t status, rw_error_t *err)
{
	if (status == RW_OK)
	{
		return commit(store, err);
	}
	if (store->batch)
	{
		sqlite3_exec(store->db, "ROLLBACK TO rw_op; RELEASE rw_op", NULL, NULL, NULL);
	}
	else if (sqlite3_get_autocommit(store->db) == 0)
	{
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return status;
}

rw_status_t rw_store_batch_begin(rw_store_t *store, rw_error_t *err)
{
	rw_status_t status;

	rw_error_clear(err);
	if (store->batch)
	{
		return rw_error_set(err, RW_ERR_INVALID, "a batch is open already");
	}
	status = exec(store, "BEGIN IMMEDIATE", err);
	store->batch = status == RW_OK;
	return status;
}

rw_status_t rw_store_batch_end(rw_store_t *store, bool commit_it, rw_error_t *err)
{
	rw_status_t status = RW_OK;

	rw_error_clear(err);
	if (!store->batch)
	{
		return rw_error_set(err, RW_ERR_INVALID, "no batch is open");
	}
	store->batch = false;
	if (commit_it)
	{
		status = commit(store, err);
	}
	else
	{
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return status;
}

/* one-shot statement helpers: bind by a tiny format ("i" int64, "t" text,
 * "b" rw_addr_t*, "h" 16-byte hash, "n" NULL), then step once */
static rw_status_t bind_args(sqlite3_stmt *stmt, const char *fmt, va_list args)
{
	int i, rc = SQLITE_OK;
	const rw_addr_t *addr;

	for (i = 1; *fmt && rc == SQLITE_OK; fmt++, i++)
	{
		switch (*fmt)
		{
			case 'i':
				rc = sqlite3_bind_int64(stmt, i, va_arg(args, int64_t));
				break;
			case 't':
				rc = sqlite3_bind_text(stmt, i, va_arg(args, const char*), -1,
									   SQLITE_TRANSIENT);
				break;
			case 'b':
				addr = va_arg(args, const rw_addr_t*);
				rc = sqlite3_bind_blob(stmt, i, addr->b, (int)rw_addr_len(addr),
									   SQLITE_TRANSIENT);
				break;
			case 'h':
				rc = sqlite3_bind_blob(stmt, i, va_arg(args, const uint8_t*), 16,
									   SQLITE_TRANSIENT);
				break;
			case 'n':
				rc = sqlite3_bind_null(stmt, i);
				break;
			default:
				return RW_ERR_INVALID;
		}
	}
	return rc == SQLITE_OK ? RW_OK : RW_ERR_IO;
}

/* prepare + bind; the caller steps and finalizes */
static rw_status_t query(rw_store_t *store, sqlite3_stmt **stmt, rw_error_t *err,
						 const char *sql, const char *fmt, ...)
{
	rw_status_t status;
	va_list args;

	status = prepare(store, sql, stmt, err);
	if (status != RW_OK)
	{
		return status;
	}
	va_start(args, fmt);
	status = bind_args(*stmt, fmt, args);
	va_end(args);
	if (status != RW_OK)
	{
		done(store, *stmt);
		*stmt = NULL;
		return db_error(store, SQLITE_ERROR, err);
	}
	return RW_OK;
}

/* run a statement that returns no rows; *changes gets the number of rows changed */
static rw_status_t run(rw_store_t *store, int *changes, rw_error_t *err,
					   const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	va_list args;
	int rc;

	status = prepare(store, sql, &stmt, err);
	if (status != RW_OK)
	{
		return status;
	}
	va_start(args, fmt);
	status = bind_args(stmt, fmt, args);
	va_end(args);
	if (status == RW_OK)
	{
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		{
			status = db_error(store, rc, err);
		}
		else if (changes)
		{
			*changes = sqlite3_changes(store->db);
		}
	}
	else
	{
		status = db_error(store, SQLITE_ERROR, err);
	}
	done(store, stmt);
	return status;
}

/* step a prepared query: RW_OK with a row, RW_ERR_NOTFOUND without */
static rw_status_t step(rw_store_t *store, sqlite3_stmt *stmt, rw_error_t *err)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
	{
		return RW_OK;
	}
	if (rc == SQLITE_DONE)
	{
		return RW_ERR_NOTFOUND;
	}
	return db_error(store, rc, err);
}

static void column_text(sqlite3_stmt *stmt, int col, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	snprintf(out, len, "%s", t ? (const char*)t : "");
}

static void column_addr(sqlite3_stmt *stmt, int col, int family, rw_addr_t *a)
{
	const void *blob = sqlite3_column_blob(stmt, col);
	int len = sqlite3_column_bytes(stmt, col);

	memset(a, 0, sizeof(*a));
	if (blob && (len == 4 || len == 16) && (!family || len == (family == 4 ? 4 : 16)))
	{
		rw_addr_from_bytes(blob, len, a);
	}
}

/* ------------------------------------------------------------------------------ */
/* open and migrate */

static rw_status_t migrate(rw_store_t *store, bool readonly, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	int version, target;
	char sql[64];

	status = prepare(store, "PRAGMA user_version", &stmt, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	version = status == RW_OK ? sqlite3_column_int(stmt, 0) : 0;
	done(store, stmt);
	if (status != RW_OK)
	{
		return status == RW_ERR_NOTFOUND ? db_error(store, SQLITE_CORRUPT, err) : status;
	}
	if (version > RW_STORE_SCHEMA_VERSION)
	{
		return rw_error_set(err, RW_ERR_SCHEMA, "database '%s' has schema version %d, "
							"newer than %d: update this software", store->path, version,
							RW_STORE_SCHEMA_VERSION);
	}
	if (version == RW_STORE_SCHEMA_VERSION)
	{
		return RW_OK;
	}
	if (readonly)
	{
		return rw_error_set(err, RW_ERR_SCHEMA, "database '%s' has schema version %d "
							"and needs migrating to %d, but is opened read-only",
							store->path, version, RW_STORE_SCHEMA_VERSION);
	}
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	/* re-read inside the write lock: another process may have migrated meanwhile */
	status = prepare(store, "PRAGMA user_version", &stmt, err);
	if (status == RW_OK)
	{
		status = step(store, stmt, err);
		version = status == RW_OK ? sqlite3_column_int(stmt, 0) : 0;
		done(store, stmt);
	}
	for (target = version + 1; status == RW_OK && target <= SCHEMA_STEPS; target++)
	{
		status = exec(store, schema[target - 1], err);
		if (status == RW_OK)
		{
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", target);
			status = exec(store, sql, err);
		}
	}
	return finish(store, status, err);
}

/* create the file with 0600 before SQLite does (it would use the umask) */
static rw_status_t create_file(const char *path, rw_error_t *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
	{
		if (errno == EEXIST)
		{
			return RW_OK;
		}
		return rw_error_set(err, errno == EACCES || errno == EROFS ? RW_ERR_PERM
							: errno == ENOENT ? RW_ERR_NOTFOUND : RW_ERR_IO,
							"cannot create database '%s': %s", path, strerror(errno));
	}
	close(fd);
	return RW_OK;
}

rw_status_t rw_store_open(const char *path, int flags, int busy_ms, rw_store_t **out,
						  rw_error_t *err)
{
	bool readonly = flags & RW_STORE_READONLY;
	rw_store_t *store;
	rw_status_t status;
	struct stat st;
	int rc, oflags;

	*out = NULL;
	rw_error_clear(err);
	if (!path || !*path)
	{
		return rw_error_set(err, RW_ERR_INVALID, "no database path given");
	}
	if (stat(path, &st) != 0)
	{
		if (errno != ENOENT || !(flags & RW_STORE_CREATE) || readonly)
		{
			return rw_error_set(err, errno == ENOENT ? RW_ERR_NOTFOUND : RW_ERR_IO,
								"database '%s': %s", path, strerror(errno));
		}
		status = create_file(path, err);
		if (status != RW_OK)
		{
			return status;
		}
	}
	else if (!S_ISREG(st.st_mode))
	{
		return rw_error_set(err, RW_ERR_INVALID, "database '%s' is not a regular file",
							path);
	}

	store = calloc(1, sizeof(*store));
	if (!store || !(store->path = strdup(path)))
	{
		free(store);
		return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
	}
	store->clock = system_clock;
	oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
			 SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(path, &store->db, oflags, NULL);
	if (rc != SQLITE_OK)
	{
		status = store->db ? db_error(store, rc, err)
						   : rw_error_set(err, RW_ERR_NOMEM, "out of memory");
		rw_store_close(store);
		return status;
	}
	sqlite3_extended_result_codes(store->db, 1);
	sqlite3_busy_timeout(store->db, busy_ms > 0 ? busy_ms : 0);

	status = exec(store, "PRAGMA foreign_keys = ON", err);
	if (status == RW_OK && !readonly && !sqlite3_db_readonly(store->db, "main"))
	{
		/* WAL: readers never block the writer and the other way round */
		status = exec(store, "PRAGMA journal_mode = WAL", err);
		if (status == RW_OK)
		{
			status = exec(store, "PRAGMA synchronous = NORMAL", err);
		}
	}
	if (status == RW_OK)
	{
		status = migrate(store, readonly || sqlite3_db_readonly(store->db, "main"), err);
	}
	if (status != RW_OK)
	{
		rw_store_close(store);
		return status;
	}
	*out = store;
	return RW_OK;
}

void rw_store_close(rw_store_t *store)
{
	int i;

	if (store)
	{
		for (i = 0; i < store->cached; i++)
		{
			sqlite3_finalize(store->cache[i].stmt);
		}
		sqlite3_close_v2(store->db);
		free(store->path);
		free(store);
	}
}

rw_status_t rw_store_data_version(rw_store_t *store, int64_t *version, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	status = prepare(store, "PRAGMA data_version", &stmt, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		*version = sqlite3_column_int64(stmt, 0);
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? db_error(store, SQLITE_ERROR, err) : status;
}

/* ------------------------------------------------------------------------------ */
/* identities and names */

rw_status_t rw_identity_normalize(const char *identity, rw_match_t rule, char *out,
								  size_t outlen)
{
	const char *start = identity, *end, *p;
	size_t len;

	if (!identity)
	{
		return RW_ERR_INVALID;
	}
	end = identity + strlen(identity);
	if (rule.strip_domain && (p = strrchr(identity, '\\')))
	{
		start = p + 1;
	}
	if (rule.strip_realm)
	{
		for (p = end; p > start; p--)
		{
			if (p[-1] == '@')
			{
				end = p - 1;
				break;
			}
		}
	}
	len = end - start;
	if (!len || len >= outlen || len > RW_NAME_MAX)
	{
		return RW_ERR_INVALID;
	}
	memcpy(out, start, len);
	out[len] = '\0';
	return RW_OK;
}

rw_status_t rw_user_name_check(const char *name, rw_error_t *err)
{
	size_t len, pos = 0;
	uint32_t cp;
	int n;

	len = name ? strlen(name) : 0;
	if (!len)
	{
		return rw_error_set(err, RW_ERR_INVALID, "empty user name");
	}
	if (len > RW_NAME_MAX)
	{
		return rw_error_set(err, RW_ERR_INVALID, "user name longer than %d bytes",
							RW_NAME_MAX);
	}
	while (pos < len)
	{
		n = rw_utf8_decode(name + pos, len - pos, &cp);
		if (n < 0)
		{
			return rw_error_set(err, RW_ERR_INVALID, "user name is not valid UTF-8");
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		{
			return rw_error_set(err, RW_ERR_INVALID, "user name contains a control "
								"character");
		}
		if (cp == '\\')
		{
			return rw_error_set(err, RW_ERR_INVALID, "user name contains '\\' (the "
								"domain separator of Windows identities)");
		}
		pos += n;
	}
	if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[len - 1]))
	{
		return rw_error_set(err, RW_ERR_INVALID, "user name starts or ends with a space");
	}
	return RW_OK;
}

static rw_status_t pool_name_check(const char *name, rw_error_t *err)
{
	size_t len = name ? strlen(name) : 0, i;

	if (!len || len > RW_POOL_NAME_MAX)
	{
		return rw_error_set(err, RW_ERR_INVALID, "pool name must have 1 to %d "
							"characters", RW_POOL_NAME_MAX);
	}
	for (i = 0; i < len; i++)
	{
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
		{
			return rw_error_set(err, RW_ERR_INVALID, "pool name '%s': only letters, "
								"digits and - _ . are allowed", name);
		}
	}
	return RW_OK;
}

/* ------------------------------------------------------------------------------ */
/* pools */

#define POOL_COLUMNS "id, name, family, first, last, online, leases, created"

static void pool_from_row(sqlite3_stmt *stmt, rw_pool_t *pool)
{
	int family;

	memset(pool, 0, sizeof(*pool));
	pool->id = sqlite3_column_int64(stmt, 0);
	column_text(stmt, 1, pool->name, sizeof(pool->name));
	family = sqlite3_column_int(stmt, 2);
	column_addr(stmt, 3, family, &pool->range.start);
	column_addr(stmt, 4, family, &pool->range.end);
	pool->online = (uint64_t)sqlite3_column_int64(stmt, 5);
	pool->leases = (uint64_t)sqlite3_column_int64(stmt, 6);
	pool->created = sqlite3_column_int64(stmt, 7);
	pool->size = rw_range_size(&pool->range);
}

static rw_status_t pool_by_name(rw_store_t *store, const char *name, rw_pool_t *pool,
								rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	status = query(store, &stmt, err, "SELECT " POOL_COLUMNS " FROM pools "
				   "WHERE name = ?", "t", name);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		pool_from_row(stmt, pool);
	}
	done(store, stmt);
	if (status == RW_ERR_NOTFOUND)
	{
		return rw_error_set(err, status, "no pool '%s'", name);
	}
	return status;
}

/* another pool (not except_id) overlapping range */
static rw_status_t check_overlap(rw_store_t *store, const rw_range_t *range,
								 int64_t except_id, rw_error_t *err)
{
	char a[RW_RANGE_STRLEN], b[RW_RANGE_STRLEN];
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_pool_t other;

	status = query(store, &stmt, err, "SELECT " POOL_COLUMNS " FROM pools "
				   "WHERE family = ? AND id != ?", "ii", (int64_t)range->start.family,
				   except_id);
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		pool_from_row(stmt, &other);
		if (rw_range_overlaps(range, &other.range))
		{
			status = rw_error_set(err, RW_ERR_EXISTS, "range %s overlaps pool '%s' "
								  "(%s)", rw_range_format(range, a, sizeof(a)),
								  other.name, rw_range_format(&other.range, b, sizeof(b)));
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

rw_status_t rw_store_pool_add(rw_store_t *store, const char *name, const char *spec,
							  rw_error_t *err)
{
	rw_status_t status;
	rw_range_t range;
	rw_pool_t pool;

	rw_error_clear(err);
	status = pool_name_check(name, err);
	if (status == RW_OK)
	{
		status = rw_range_parse(spec, &range, err);
	}
	if (status != RW_OK)
	{
		return status;
	}
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	if (pool_by_name(store, name, &pool, NULL) == RW_OK)
	{
		status = rw_error_set(err, RW_ERR_EXISTS, "pool '%s' exists already", name);
	}
	if (status == RW_OK)
	{
		status = check_overlap(store, &range, -1, err);
	}
	if (status == RW_OK)
	{
		status = run(store, NULL, err, "INSERT INTO pools (name, family, first, last, "
					 "cursor, created) VALUES (?, ?, ?, ?, ?, ?)", "tibbbi", name,
					 (int64_t)range.start.family, &range.start, &range.end, &range.start,
					 now(store));
	}
	return finish(store, status, err);
}

rw_status_t rw_store_pool_del(rw_store_t *store, const char *name, bool force,
							  rw_error_t *err)
{
	rw_status_t status;
	rw_pool_t pool;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = pool_by_name(store, name, &pool, err);
	if (status == RW_OK && pool.online && !force)
	{
		status = rw_error_set(err, RW_ERR_INUSE, "pool '%s' has %llu online leases "
							  "(force to delete anyway)", name,
							  (unsigned long long)pool.online);
	}
	if (status == RW_OK)
	{
		status = run(store, NULL, err, "DELETE FROM pools WHERE id = ?", "i", pool.id);
	}
	return finish(store, status, err);
}

rw_status_t rw_store_pool_set_range(rw_store_t *store, const char *name,
									const char *spec, rw_error_t *err)
{
	char buf[RW_RANGE_STRLEN];
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_range_t range;
	rw_addr_t cursor;
	rw_pool_t pool;
	int64_t outside = 0;

	rw_error_clear(err);
	status = rw_range_parse(spec, &range, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = pool_by_name(store, name, &pool, err);
	if (status == RW_OK && range.start.family != pool.range.start.family)
	{
		status = rw_error_set(err, RW_ERR_INVALID, "pool '%s' is IPv%d, '%s' is not",
							  name, pool.range.start.family, spec);
	}
	if (status == RW_OK)
	{
		status = check_overlap(store, &range, pool.id, err);
	}
	if (status == RW_OK)
	{
		status = query(store, &stmt, err, "SELECT count(*) FROM leases WHERE "
					   "pool_id = ? AND (address < ? OR address > ?)", "ibb", pool.id,
					   &range.start, &range.end);
		if (status == RW_OK)
		{
			status = step(store, stmt, err);
			outside = status == RW_OK ? sqlite3_column_int64(stmt, 0) : 0;
			done(store, stmt);
		}
		if (status == RW_OK && outside)
		{
			status = rw_error_set(err, RW_ERR_INUSE, "%lld leases or static addresses "
								  "of pool '%s' lie outside %s", (long long)outside, name,
								  rw_range_format(&range, buf, sizeof(buf)));
		}
	}
	if (status == RW_OK)
	{
		/* keep the cursor where it was when it is still inside; past the old end
		 * (used up) continue right behind the old end */
		status = query(store, &stmt, err, "SELECT cursor FROM pools WHERE id = ?", "i",
					   pool.id);
		if (status == RW_OK)
		{
			status = step(store, stmt, err);
			if (status == RW_OK)
			{
				column_addr(stmt, 0, pool.range.start.family, &cursor);
			}
			done(store, stmt);
		}
		if (status == RW_OK)
		{
			if (!cursor.family)
			{
				cursor = pool.range.end;
				if (!rw_addr_inc(&cursor))
				{
					cursor.family = 0;
				}
			}
			/* new addresses in front: start over there, the rows already handed out
			 * are skipped once */
			if (rw_addr_cmp(&range.start, &pool.range.start) < 0 ||
				(cursor.family && rw_addr_cmp(&cursor, &range.start) < 0))
			{
				cursor = range.start;
			}
			if (cursor.family && rw_range_contains(&range, &cursor))
			{
				status = run(store, NULL, err, "UPDATE pools SET first = ?, last = ?, "
							 "cursor = ? WHERE id = ?", "bbbi", &range.start, &range.end,
							 &cursor, pool.id);
			}
			else
			{
				status = run(store, NULL, err, "UPDATE pools SET first = ?, last = ?, "
							 "cursor = NULL WHERE id = ?", "bbi", &range.start,
							 &range.end, pool.id);
			}
		}
	}
	return finish(store, status, err);
}

rw_status_t rw_store_pool_get(rw_store_t *store, const char *name, rw_pool_t *pool,
							  rw_error_t *err)
{
	rw_error_clear(err);
	return pool_by_name(store, name, pool, err);
}

rw_status_t rw_store_pool_list(rw_store_t *store,
							   bool (*cb)(const rw_pool_t *pool, void *ctx), void *ctx,
							   rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_pool_t pool;

	rw_error_clear(err);
	status = query(store, &stmt, err, "SELECT " POOL_COLUMNS " FROM pools "
				   "ORDER BY name", "");
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		pool_from_row(stmt, &pool);
		if (!cb(&pool, ctx))
		{
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

/* ------------------------------------------------------------------------------ */
/* users */

#define USER_COLUMNS \
	"u.id, u.name, u.nt_hash, u.enabled, u.expires, u.session_limit, u.created, " \
	"u.updated, p.name, p.family, l.address"
#define USER_FROM \
	"users u LEFT JOIN leases l ON l.user_id = u.id AND l.is_static = 1 " \
	"LEFT JOIN pools p ON p.id = l.pool_id"

static void user_from_row(sqlite3_stmt *stmt, rw_user_t *user)
{
	const void *hash;

	memset(user, 0, sizeof(*user));
	user->id = sqlite3_column_int64(stmt, 0);
	column_text(stmt, 1, user->name, sizeof(user->name));
	hash = sqlite3_column_blob(stmt, 2);
	if (hash && sqlite3_column_bytes(stmt, 2) == 16)
	{
		memcpy(user->nt_hash, hash, 16);
	}
	user->enabled = sqlite3_column_int(stmt, 3) != 0;
	user->expires = sqlite3_column_int64(stmt, 4);
	user->session_limit = sqlite3_column_int(stmt, 5);
	user->created = sqlite3_column_int64(stmt, 6);
	user->updated = sqlite3_column_int64(stmt, 7);
	column_text(stmt, 8, user->pool, sizeof(user->pool));
	if (user->pool[0])
	{
		column_addr(stmt, 10, sqlite3_column_int(stmt, 9), &user->static_ip);
	}
}

static rw_status_t user_by_name(rw_store_t *store, const char *name, bool ignore_case,
								rw_user_t *user, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	status = query(store, &stmt, err, ignore_case
				   ? "SELECT " USER_COLUMNS " FROM " USER_FROM " WHERE u.name = ?"
				   : "SELECT " USER_COLUMNS " FROM " USER_FROM " WHERE u.name = ?1 "
					 "AND u.name = ?1 COLLATE BINARY", "t", name);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		user_from_row(stmt, user);
	}
	done(store, stmt);
	if (status == RW_ERR_NOTFOUND)
	{
		return rw_error_set(err, status, "no user '%s'", name);
	}
	return status;
}

/* drop a user's static reservation: it becomes an ordinary lease, free for anybody
 * once offline (rows behind the cursor are never deleted, or their address would be
 * lost to the pool) */
static rw_status_t static_clear(rw_store_t *store, int64_t user_id, rw_error_t *err)
{
	return run(store, NULL, err, "UPDATE leases SET is_static = 0, released = CASE "
			   "WHEN online = 0 THEN 0 ELSE released END WHERE user_id = ? AND "
			   "is_static = 1", "i", user_id);
}

/* reserve address in pool for a user (inside a transaction) */
static rw_status_t static_set(rw_store_t *store, int64_t user_id, const char *user_name,
							  const char *pool_name, const rw_addr_t *address,
							  rw_error_t *err)
{
	char buf[RW_ADDR_STRLEN], owner[RW_NAME_MAX + 1];
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_pool_t pool;
	int64_t owner_id;
	int online, is_static;

	status = pool_by_name(store, pool_name, &pool, err);
	if (status != RW_OK)
	{
		return status;
	}
	if (!rw_range_contains(&pool.range, address))
	{
		return rw_error_set(err, RW_ERR_INVALID, "static address %s of '%s' is not "
							"inside pool '%s'", rw_addr_format(address, buf, sizeof(buf)),
							user_name, pool_name);
	}
	status = query(store, &stmt, err, "SELECT l.user_id, l.online, l.is_static, "
				   "coalesce(u.name, '') FROM leases l LEFT JOIN users u ON "
				   "u.id = l.user_id WHERE l.pool_id = ? AND l.address = ?", "ib",
				   pool.id, address);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_ERR_NOTFOUND)
	{
		done(store, stmt);
		status = run(store, NULL, err, "INSERT INTO leases (pool_id, address, user_id, "
					 "is_static) VALUES (?, ?, ?, 1)", "ibi", pool.id, address, user_id);
		if (status == RW_OK)
		{
			status = run(store, NULL, err, "UPDATE pools SET leases = leases + 1 "
						 "WHERE id = ?", "i", pool.id);
		}
		return status;
	}
	if (status != RW_OK)
	{
		done(store, stmt);
		return status;
	}
	owner_id = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? -1
			   : sqlite3_column_int64(stmt, 0);
	online = sqlite3_column_int(stmt, 1);
	is_static = sqlite3_column_int(stmt, 2);
	column_text(stmt, 3, owner, sizeof(owner));
	done(store, stmt);
	if (owner_id != user_id && (is_static || online))
	{
		return rw_error_set(err, RW_ERR_EXISTS, "address %s in pool '%s' is %s '%s'",
							rw_addr_format(address, buf, sizeof(buf)), pool_name,
							is_static ? "the static address of" : "in use by", owner);
	}
	/* free or remembered for someone offline, or ours already: it is ours now */
	return run(store, NULL, err, "UPDATE leases SET user_id = ?, is_static = 1 "
			   "WHERE pool_id = ? AND address = ?", "iib", user_id, pool.id, address);
}

static rw_status_t user_insert(rw_store_t *store, const rw_user_t *user, rw_error_t *err)
{
	rw_status_t status;
	rw_user_t existing;
	int64_t t = now(store), id;

	status = rw_user_name_check(user->name, err);
	if (status != RW_OK)
	{
		return status;
	}
	if (user->session_limit < 0)
	{
		return rw_error_set(err, RW_ERR_INVALID, "negative session limit");
	}
	if (user->static_ip.family && !user->pool[0])
	{
		return rw_error_set(err, RW_ERR_INVALID, "static address of '%s' needs a pool",
							user->name);
	}
	if (user_by_name(store, user->name, true, &existing, NULL) == RW_OK)
	{
		return rw_error_set(err, RW_ERR_EXISTS, "user '%s' exists already%s%s%s",
							user->name, strcmp(existing.name, user->name) ? " as '" : "",
							strcmp(existing.name, user->name) ? existing.name : "",
							strcmp(existing.name, user->name) ? "'" : "");
	}
	status = run(store, NULL, err, "INSERT INTO users (name, nt_hash, enabled, expires, "
				 "session_limit, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
				 "thiiiii", user->name, user->nt_hash, (int64_t)user->enabled,
				 user->expires, (int64_t)user->session_limit, t, t);
	if (status != RW_OK || !user->static_ip.family)
	{
		return status;
	}
	id = sqlite3_last_insert_rowid(store->db);
	return static_set(store, id, user->name, user->pool, &user->static_ip, err);
}

rw_status_t rw_store_user_add(rw_store_t *store, const rw_user_t *user, rw_error_t *err)
{
	rw_status_t status;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	return finish(store, user_insert(store, user, err), err);
}

rw_status_t rw_store_user_import(rw_store_t *store, const rw_user_t *users, size_t count,
								 void (*progress)(size_t done, size_t count, void *ctx),
								 void *ctx, rw_error_t *err)
{
	rw_status_t status;
	size_t i;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	for (i = 0; i < count && status == RW_OK; i++)
	{
		status = user_insert(store, &users[i], err);
		if (status != RW_OK && err)
		{
			err->index = (long)i;
		}
		if (progress && (i % 512 == 511 || i + 1 == count))
		{
			progress(i + 1, count, ctx);
		}
	}
	return finish(store, status, err);
}

rw_status_t rw_store_user_set(rw_store_t *store, const rw_user_t *user, int mask,
							  rw_error_t *err)
{
	rw_status_t status;
	rw_user_t current;
	int64_t t = now(store);

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = user_by_name(store, user->name, true, &current, err);
	if (status == RW_OK && (mask & RW_USER_NT_HASH))
	{
		status = run(store, NULL, err, "UPDATE users SET nt_hash = ? WHERE id = ?",
					 "hi", user->nt_hash, current.id);
	}
	if (status == RW_OK && (mask & RW_USER_ENABLED))
	{
		status = run(store, NULL, err, "UPDATE users SET enabled = ? WHERE id = ?",
					 "ii", (int64_t)user->enabled, current.id);
	}
	if (status == RW_OK && (mask & RW_USER_EXPIRES))
	{
		status = run(store, NULL, err, "UPDATE users SET expires = ? WHERE id = ?",
					 "ii", user->expires, current.id);
	}
	if (status == RW_OK && (mask & RW_USER_LIMIT))
	{
		status = user->session_limit < 0
				 ? rw_error_set(err, RW_ERR_INVALID, "negative session limit")
				 : run(store, NULL, err, "UPDATE users SET session_limit = ? WHERE "
					   "id = ?", "ii", (int64_t)user->session_limit, current.id);
	}
	if (status == RW_OK && (mask & RW_USER_STATIC))
	{
		status = static_clear(store, current.id, err);
		if (status == RW_OK && user->static_ip.family)
		{
			status = user->pool[0]
					 ? static_set(store, current.id, current.name, user->pool,
								  &user->static_ip, err)
					 : rw_error_set(err, RW_ERR_INVALID, "static address of '%s' "
									"needs a pool", current.name);
		}
	}
	if (status == RW_OK)
	{
		status = run(store, NULL, err, "UPDATE users SET updated = ? WHERE id = ?",
					 "ii", t, current.id);
	}
	return finish(store, status, err);
}

rw_status_t rw_store_user_del(rw_store_t *store, const char *name, rw_error_t *err)
{
	rw_status_t status;
	rw_user_t user;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = user_by_name(store, name, true, &user, err);
	if (status == RW_OK)
	{
		status = static_clear(store, user.id, err);
	}
	if (status == RW_OK)
	{
		/* leases and sessions keep their rows without owner (ON DELETE SET NULL) */
		status = run(store, NULL, err, "DELETE FROM users WHERE id = ?", "i", user.id);
	}
	return finish(store, status, err);
}

rw_status_t rw_store_user_get(rw_store_t *store, const char *name, rw_user_t *user,
							  rw_error_t *err)
{
	rw_error_clear(err);
	return user_by_name(store, name, true, user, err);
}

rw_status_t rw_store_user_list(rw_store_t *store,
							   bool (*cb)(const rw_user_t *user, void *ctx), void *ctx,
							   rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_user_t user;

	rw_error_clear(err);
	status = query(store, &stmt, err, "SELECT " USER_COLUMNS " FROM " USER_FROM
				   " ORDER BY u.name", "");
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		user_from_row(stmt, &user);
		if (!cb(&user, ctx))
		{
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

rw_status_t rw_store_user_auth(rw_store_t *store, const char *identity, rw_match_t rule,
							   rw_user_t *user, rw_error_t *err)
{
	char name[RW_NAME_MAX + 1];
	sqlite3_stmt *stmt;
	rw_status_t status;
	const void *hash;

	rw_error_clear(err);
	memset(user, 0, sizeof(*user));
	if (rw_identity_normalize(identity, rule, name, sizeof(name)) != RW_OK)
	{
		return rw_error_set(err, RW_ERR_NOTFOUND, "identity '%s' names no user",
							identity ? identity : "");
	}
	/* the hot path of every authentication: only what it needs, from users_auth */
	status = query(store, &stmt, err, rule.ignore_case
				   ? "SELECT id, name, nt_hash, enabled, expires, session_limit FROM "
					 "users INDEXED BY users_auth WHERE name = ?1"
				   : "SELECT id, name, nt_hash, enabled, expires, session_limit FROM "
					 "users INDEXED BY users_auth WHERE name = ?1 AND "
					 "name = ?1 COLLATE BINARY", "t", name);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		user->id = sqlite3_column_int64(stmt, 0);
		column_text(stmt, 1, user->name, sizeof(user->name));
		hash = sqlite3_column_blob(stmt, 2);
		if (hash && sqlite3_column_bytes(stmt, 2) == 16)
		{
			memcpy(user->nt_hash, hash, 16);
		}
		user->enabled = sqlite3_column_int(stmt, 3) != 0;
		user->expires = sqlite3_column_int64(stmt, 4);
		user->session_limit = sqlite3_column_int(stmt, 5);
	}
	done(store, stmt);
	if (status == RW_ERR_NOTFOUND)
	{
		return rw_error_set(err, status, "no user '%s'", name);
	}
	if (status != RW_OK)
	{
		return status;
	}
	if (!user->enabled)
	{
		return rw_error_set(err, RW_ERR_DISABLED, "user '%s' is disabled", user->name);
	}
	if (user->expires && user->expires <= now(store))
	{
		return rw_error_set(err, RW_ERR_EXPIRED, "user '%s' expired", user->name);
	}
	return RW_OK;
}

/* ------------------------------------------------------------------------------ */
/* leases */

/* the id of a user, through the covering index of the authentication lookup */
static rw_status_t user_id_by_name(rw_store_t *store, const char *name, int64_t *id,
								   rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	status = query(store, &stmt, err, "SELECT id FROM users INDEXED BY users_auth "
				   "WHERE name = ?", "t", name);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		*id = sqlite3_column_int64(stmt, 0);
	}
	done(store, stmt);
	if (status == RW_ERR_NOTFOUND)
	{
		return rw_error_set(err, status, "no user '%s'", name);
	}
	return status;
}

/* take one more hold on a lease row of the pool */
static rw_status_t lease_hold(rw_store_t *store, const rw_pool_t *pool,
							  const rw_addr_t *address, int64_t user_id,
							  const char *gateway, int online, rw_error_t *err)
{
	rw_status_t status;

	status = run(store, NULL, err, "UPDATE leases SET user_id = ?, online = online + 1, "
				 "acquired = ?, gateway = ? WHERE pool_id = ? AND address = ?", "iitib",
				 user_id, now(store), gateway, pool->id, address);
	if (status == RW_OK && online == 0)
	{
		status = run(store, NULL, err, "UPDATE pools SET online = online + 1 "
					 "WHERE id = ?", "i", pool->id);
	}
	return status;
}

/* the user's own lease in this pool: static first, then the one online or most
 * recently acquired */
static rw_status_t lease_of_user(rw_store_t *store, const rw_pool_t *pool,
								 int64_t user_id, rw_addr_t *address, int *online,
								 rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	/* without statistics the planner would walk the pool's primary key instead */
	status = query(store, &stmt, err, "SELECT address, online FROM leases INDEXED BY "
				   "leases_by_user WHERE user_id = ? AND pool_id = ? ORDER BY is_static "
				   "DESC, online DESC, acquired DESC LIMIT 1", "ii", user_id, pool->id);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		column_addr(stmt, 0, pool->range.start.family, address);
		*online = sqlite3_column_int(stmt, 1);
	}
	done(store, stmt);
	return status;
}

/* a never used address from the cursor; RW_ERR_NOTFOUND when used up */
static rw_status_t lease_from_cursor(rw_store_t *store, const rw_pool_t *pool,
									 int64_t user_id, const char *gateway,
									 rw_addr_t *address, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_addr_t cursor, next;
	bool taken, more;

	status = query(store, &stmt, err, "SELECT cursor FROM pools WHERE id = ?", "i",
				   pool->id);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		column_addr(stmt, 0, pool->range.start.family, &cursor);
	}
	done(store, stmt);
	if (status != RW_OK)
	{
		return status;
	}
	while (cursor.family && rw_range_contains(&pool->range, &cursor))
	{
		next = cursor;
		more = rw_addr_inc(&next) && rw_range_contains(&pool->range, &next);
		/* rows ahead of the cursor are static reservations: skip them */
		status = query(store, &stmt, err, "SELECT 1 FROM leases WHERE pool_id = ? "
					   "AND address = ?", "ib", pool->id, &cursor);
		if (status != RW_OK)
		{
			return status;
		}
		status = step(store, stmt, err);
		done(store, stmt);
		if (status != RW_OK && status != RW_ERR_NOTFOUND)
		{
			return status;
		}
		taken = status == RW_OK;
		status = more ? run(store, NULL, err, "UPDATE pools SET cursor = ? WHERE id = ?",
							"bi", &next, pool->id)
					  : run(store, NULL, err, "UPDATE pools SET cursor = NULL WHERE "
							"id = ?", "i", pool->id);
		if (status != RW_OK)
		{
			return status;
		}
		if (!taken)
		{
			status = run(store, NULL, err, "INSERT INTO leases (pool_id, address, "
						 "user_id, online, acquired, gateway) VALUES (?, ?, ?, 1, ?, ?)",
						 "ibiit", pool->id, &cursor, user_id, now(store), gateway);
			if (status == RW_OK)
			{
				status = run(store, NULL, err, "UPDATE pools SET online = online + 1, "
							 "leases = leases + 1 WHERE id = ?", "i", pool->id);
			}
			*address = cursor;
			return status;
		}
		if (!more)
		{
			break;
		}
		cursor = next;
	}
	return RW_ERR_NOTFOUND;
}

/* the offline lease released longest ago, of whoever held it */
static rw_status_t lease_reuse(rw_store_t *store, const rw_pool_t *pool, int64_t user_id,
							   const char *gateway, rw_addr_t *address, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	status = query(store, &stmt, err, "SELECT address FROM leases WHERE pool_id = ? AND "
				   "online = 0 AND is_static = 0 ORDER BY released LIMIT 1", "i",
				   pool->id);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	if (status == RW_OK)
	{
		column_addr(stmt, 0, pool->range.start.family, address);
	}
	done(store, stmt);
	if (status != RW_OK)
	{
		return status;
	}
	return lease_hold(store, pool, address, user_id, gateway, 0, err);
}

rw_status_t rw_store_lease_acquire(rw_store_t *store, const char *pool_name,
								   const char *user_name, const char *gateway,
								   rw_addr_t *address, double *usage, rw_error_t *err)
{
	rw_status_t status;
	rw_pool_t pool;
	int64_t user_id = 0;
	bool already_online = false;
	int online = 0;

	rw_error_clear(err);
	memset(address, 0, sizeof(*address));
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = pool_by_name(store, pool_name, &pool, err);
	if (status == RW_OK)
	{
		status = user_id_by_name(store, user_name, &user_id, err);
	}
	if (status == RW_OK)
	{
		status = lease_of_user(store, &pool, user_id, address, &online, err);
		if (status == RW_OK)
		{
			/* sticky, static, or the same address again for a reconnect */
			status = lease_hold(store, &pool, address, user_id, gateway ?: "", online,
								err);
			already_online = online > 0;
		}
		else if (status == RW_ERR_NOTFOUND)
		{
			status = lease_from_cursor(store, &pool, user_id, gateway ?: "", address,
									   err);
			if (status == RW_ERR_NOTFOUND)
			{
				status = lease_reuse(store, &pool, user_id, gateway ?: "", address, err);
			}
			if (status == RW_ERR_NOTFOUND)
			{
				status = rw_error_set(err, RW_ERR_FULL, "pool '%s' is full (%llu "
									  "addresses online or reserved)", pool_name,
									  (unsigned long long)pool.size);
			}
		}
	}
	if (status == RW_OK && usage)
	{
		/* the pool's counter went up unless the lease was online already */
		*usage = pool.size ? (double)(pool.online + !already_online) / (double)pool.size
						   : 1.0;
	}
	return finish(store, status, err);
}

static rw_status_t lease_change(rw_store_t *store, const char *pool_name,
								const rw_addr_t *address, bool free_it, rw_error_t *err)
{
	char buf[RW_ADDR_STRLEN];
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_pool_t pool;
	int online = 0;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = pool_by_name(store, pool_name, &pool, err);
	if (status == RW_OK)
	{
		status = query(store, &stmt, err, "SELECT online FROM leases WHERE pool_id = ? "
					   "AND address = ?", "ib", pool.id, address);
		if (status == RW_OK)
		{
			status = step(store, stmt, err);
			online = status == RW_OK ? sqlite3_column_int(stmt, 0) : 0;
			done(store, stmt);
		}
		if (status == RW_ERR_NOTFOUND || (status == RW_OK && !online && !free_it))
		{
			status = rw_error_set(err, RW_ERR_NOTFOUND, "no online lease of %s in "
								  "pool '%s'", rw_addr_format(address, buf, sizeof(buf)),
								  pool_name);
		}
	}
	if (status == RW_OK)
	{
		if (free_it)
		{
			/* an administrator frees it: no owner remembers it, static or not, and
			 * it is the first to be reused */
			status = run(store, NULL, err, "UPDATE leases SET online = 0, user_id = NULL, "
						 "is_static = 0, released = 0 WHERE pool_id = ? AND address = ?",
						 "ib", pool.id, address);
			if (status == RW_OK && online > 0)
			{
				status = run(store, NULL, err, "UPDATE pools SET online = online - 1 "
							 "WHERE id = ?", "i", pool.id);
			}
		}
		else
		{
			status = run(store, NULL, err, "UPDATE leases SET online = online - 1, "
						 "released = ? WHERE pool_id = ? AND address = ?", "iib",
						 now(store), pool.id, address);
			if (status == RW_OK && online == 1)
			{
				status = run(store, NULL, err, "UPDATE pools SET online = online - 1 "
							 "WHERE id = ?", "i", pool.id);
			}
		}
	}
	return finish(store, status, err);
}

rw_status_t rw_store_lease_release(rw_store_t *store, const char *pool,
								   const rw_addr_t *address, rw_error_t *err)
{
	return lease_change(store, pool, address, false, err);
}

rw_status_t rw_store_lease_free(rw_store_t *store, const char *pool,
								const rw_addr_t *address, rw_error_t *err)
{
	return lease_change(store, pool, address, true, err);
}

rw_status_t rw_store_lease_list(rw_store_t *store, const char *pool, bool online_only,
								bool (*cb)(const rw_lease_t *lease, void *ctx), void *ctx,
								rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_lease_t lease;

	rw_error_clear(err);
	status = query(store, &stmt, err, "SELECT p.name, p.family, l.address, "
				   "coalesce(u.name, ''), l.online, l.is_static, l.acquired, l.released, "
				   "l.gateway FROM leases l JOIN pools p ON p.id = l.pool_id LEFT JOIN "
				   "users u ON u.id = l.user_id WHERE (?1 = '' OR p.name = ?1) AND "
				   "(?2 = 0 OR l.online > 0) ORDER BY p.name, l.address", "ti",
				   pool ? pool : "", (int64_t)online_only);
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		memset(&lease, 0, sizeof(lease));
		column_text(stmt, 0, lease.pool, sizeof(lease.pool));
		column_addr(stmt, 2, sqlite3_column_int(stmt, 1), &lease.address);
		column_text(stmt, 3, lease.user, sizeof(lease.user));
		lease.online = sqlite3_column_int(stmt, 4);
		lease.is_static = sqlite3_column_int(stmt, 5) != 0;
		lease.acquired = sqlite3_column_int64(stmt, 6);
		lease.released = sqlite3_column_int64(stmt, 7);
		column_text(stmt, 8, lease.gateway, sizeof(lease.gateway));
		if (!cb(&lease, ctx))
		{
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

/* ------------------------------------------------------------------------------ */
/* sessions */

static const char *const end_reasons[] = {
	[RW_END_NONE] = "",
	[RW_END_CLIENT_DELETE] = "client-delete",
	[RW_END_DPD_TIMEOUT] = "dpd-timeout",
	[RW_END_ADMIN_KILL] = "admin-kill",
	[RW_END_DISABLED] = "disabled",
	[RW_END_EXPIRED] = "expired",
	[RW_END_DELETED] = "deleted",
	[RW_END_REPLACED] = "replaced",
	[RW_END_SHUTDOWN] = "shutdown",
	[RW_END_CRASH] = "crash",
	[RW_END_ERROR] = "error",
};

const char *rw_end_reason_name(rw_end_reason_t reason)
{
	if ((unsigned)reason < sizeof(end_reasons) / sizeof(end_reasons[0]))
	{
		return end_reasons[reason];
	}
	return "unknown";
}

static rw_end_reason_t end_reason_of(const char *name)
{
	size_t i;

	for (i = 1; i < sizeof(end_reasons) / sizeof(end_reasons[0]); i++)
	{
		if (name && strcmp(name, end_reasons[i]) == 0)
		{
			return (rw_end_reason_t)i;
		}
	}
	return RW_END_NONE;
}

#define SESSION_COLUMNS \
	"s.id, s.user_name, s.ike_id, s.eap_id, s.remote, s.remote_port, s.vips, " \
	"s.family, s.gateway, s.ike_sa_id, s.started, s.updated, s.ended, s.bytes_in, " \
	"s.bytes_out, s.packets_in, s.packets_out, s.end_reason, s.kill_requested"

static void session_from_row(sqlite3_stmt *stmt, rw_session_t *s)
{
	char reason[32];

	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(stmt, 0);
	column_text(stmt, 1, s->user, sizeof(s->user));
	column_text(stmt, 2, s->ike_id, sizeof(s->ike_id));
	column_text(stmt, 3, s->eap_id, sizeof(s->eap_id));
	column_text(stmt, 4, s->remote, sizeof(s->remote));
	s->remote_port = sqlite3_column_int(stmt, 5);
	column_text(stmt, 6, s->vips, sizeof(s->vips));
	column_text(stmt, 7, s->family, sizeof(s->family));
	column_text(stmt, 8, s->gateway, sizeof(s->gateway));
	s->ike_sa_id = (uint32_t)sqlite3_column_int64(stmt, 9);
	s->started = sqlite3_column_int64(stmt, 10);
	s->updated = sqlite3_column_int64(stmt, 11);
	s->ended = sqlite3_column_int64(stmt, 12);
	s->bytes_in = (uint64_t)sqlite3_column_int64(stmt, 13);
	s->bytes_out = (uint64_t)sqlite3_column_int64(stmt, 14);
	s->packets_in = (uint64_t)sqlite3_column_int64(stmt, 15);
	s->packets_out = (uint64_t)sqlite3_column_int64(stmt, 16);
	column_text(stmt, 17, reason, sizeof(reason));
	s->end_reason = end_reason_of(reason);
	s->kill_requested = sqlite3_column_int(stmt, 18) != 0;
}

rw_status_t rw_store_session_start(rw_store_t *store, rw_session_t *s, rw_error_t *err)
{
	rw_status_t status;
	rw_user_t user;
	int64_t t = now(store);

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = user_by_name(store, s->user, true, &user, NULL);
	if (status == RW_ERR_NOTFOUND)
	{
		/* deleted since it authenticated: record it without owner, so that it shows
		 * in the history and rw_store_session_doomed() ends it as "deleted" */
		memset(&user, 0, sizeof(user));
		snprintf(user.name, sizeof(user.name), "%s", s->user);
		status = RW_OK;
	}
	if (status == RW_OK)
	{
		status = run(store, NULL, err, "INSERT INTO sessions (user_id, user_name, "
					 "ike_id, eap_id, remote, remote_port, vips, family, gateway, "
					 "ike_sa_id, started, updated) VALUES (nullif(?, 0), ?, ?, ?, ?, ?, "
					 "?, ?, ?, ?, ?, ?)", "ittttitttiii", user.id, user.name, s->ike_id,
					 s->eap_id, s->remote, (int64_t)s->remote_port, s->vips, s->family,
					 s->gateway, (int64_t)s->ike_sa_id, t, t);
	}
	else
	{
		status = db_error(store, SQLITE_ERROR, err);
	}
	if (status == RW_OK)
	{
		s->id = sqlite3_last_insert_rowid(store->db);
		s->started = s->updated = t;
		snprintf(s->user, sizeof(s->user), "%s", user.name);
	}
	return finish(store, status, err);
}

rw_status_t rw_store_session_update(rw_store_t *store, const rw_session_t *s,
									rw_error_t *err)
{
	rw_error_clear(err);
	/* a single statement is its own transaction */
	return run(store, NULL, err, "UPDATE sessions SET vips = ?, family = ?, "
			   "bytes_in = ?, bytes_out = ?, packets_in = ?, packets_out = ?, "
			   "ike_sa_id = ?, updated = ? WHERE id = ? AND ended = 0", "ttiiiiiii",
			   s->vips, s->family, (int64_t)s->bytes_in, (int64_t)s->bytes_out,
			   (int64_t)s->packets_in, (int64_t)s->packets_out, (int64_t)s->ike_sa_id,
			   now(store), s->id);
}

rw_status_t rw_store_session_end(rw_store_t *store, const rw_session_t *s,
								 rw_end_reason_t reason, rw_error_t *err)
{
	int64_t t = now(store);

	rw_error_clear(err);
	return run(store, NULL, err, "UPDATE sessions SET vips = ?, family = ?, "
			   "bytes_in = ?, bytes_out = ?, packets_in = ?, packets_out = ?, "
			   "updated = ?, ended = ?, end_reason = ? WHERE id = ? AND ended = 0",
			   "ttiiiiiiti", s->vips, s->family, (int64_t)s->bytes_in,
			   (int64_t)s->bytes_out, (int64_t)s->packets_in, (int64_t)s->packets_out,
			   t, t, rw_end_reason_name(reason), s->id);
}

rw_status_t rw_store_session_count(rw_store_t *store, const char *user, int *count,
								   rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;

	rw_error_clear(err);
	status = query(store, &stmt, err, "SELECT count(*) FROM sessions s JOIN users u ON "
				   "u.id = s.user_id WHERE u.name = ? AND s.ended = 0", "t", user);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	*count = status == RW_OK ? sqlite3_column_int(stmt, 0) : 0;
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

rw_status_t rw_store_session_list(rw_store_t *store, const char *user, bool online_only,
								  bool (*cb)(const rw_session_t *s, void *ctx), void *ctx,
								  rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_session_t s;

	rw_error_clear(err);
	/* one statement per case, so that each can use its index */
	if (user && *user)
	{
		status = query(store, &stmt, err, online_only
				? "SELECT " SESSION_COLUMNS " FROM sessions s JOIN users u ON "
				  "u.id = s.user_id WHERE u.name = ? AND s.ended = 0 ORDER BY s.id"
				: "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.user_name = ? "
				  "COLLATE NOCASE ORDER BY s.started, s.id", "t", user);
	}
	else
	{
		status = query(store, &stmt, err, online_only
				? "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.ended = 0 "
				  "ORDER BY s.id"
				: "SELECT " SESSION_COLUMNS " FROM sessions s ORDER BY s.started, s.id",
				"");
	}
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		session_from_row(stmt, &s);
		if (!cb(&s, ctx))
		{
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

rw_status_t rw_store_session_kill(rw_store_t *store, int64_t id, const char *user,
								  int *count, rw_error_t *err)
{
	rw_status_t status;
	int changed = 0;

	rw_error_clear(err);
	status = run(store, &changed, err, "UPDATE sessions SET kill_requested = 1 WHERE "
				 "ended = 0 AND (id = ? OR (? != '' AND user_name = ? COLLATE NOCASE))",
				 "itt", id, user ? user : "", user ? user : "");
	if (count)
	{
		*count = changed;
	}
	if (status == RW_OK && !changed)
	{
		return user && *user
			   ? rw_error_set(err, RW_ERR_NOTFOUND, "no online session of '%s'", user)
			   : rw_error_set(err, RW_ERR_NOTFOUND, "no online session %lld",
							  (long long)id);
	}
	return status;
}

rw_status_t rw_store_session_doomed(rw_store_t *store, const char *gateway,
									bool (*cb)(const rw_session_t *s,
											   rw_end_reason_t reason, void *ctx),
									void *ctx, rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	rw_session_t s;
	rw_end_reason_t reason;

	rw_error_clear(err);
	status = query(store, &stmt, err, "SELECT " SESSION_COLUMNS ", CASE "
				   "WHEN s.kill_requested THEN 'admin-kill' "
				   "WHEN u.id IS NULL THEN 'deleted' "
				   "WHEN u.enabled = 0 THEN 'disabled' "
				   "ELSE 'expired' END "
				   "FROM sessions s LEFT JOIN users u ON u.id = s.user_id "
				   "WHERE s.ended = 0 AND s.gateway = ?1 AND (s.kill_requested OR "
				   "u.id IS NULL OR u.enabled = 0 OR (u.expires > 0 AND u.expires <= ?2)) "
				   "ORDER BY s.id",
				   "ti", gateway ? gateway : "", now(store));
	if (status != RW_OK)
	{
		return status;
	}
	while ((status = step(store, stmt, err)) == RW_OK)
	{
		session_from_row(stmt, &s);
		reason = end_reason_of((const char*)sqlite3_column_text(stmt, 19));
		if (!cb(&s, reason, ctx))
		{
			break;
		}
	}
	done(store, stmt);
	return status == RW_ERR_NOTFOUND ? RW_OK : status;
}

rw_status_t rw_store_recover(rw_store_t *store, const char *gateway, int *sessions,
							 int *leases, rw_error_t *err)
{
	sqlite3_stmt *stmt = NULL;
	rw_status_t status;
	int ended = 0, released = 0, changed = 0;
	int64_t t = now(store), pool_id;

	rw_error_clear(err);
	status = begin(store, err);
	if (status != RW_OK)
	{
		return status;
	}
	status = run(store, &ended, err, "UPDATE sessions SET ended = ?, updated = ?, "
				 "end_reason = 'crash' WHERE ended = 0 AND gateway = ?", "iit", t, t,
				 gateway ? gateway : "");
	if (status == RW_OK)
	{
		/* pool by pool: the primary key narrows each update to one pool, and the
		 * number of rows changed is what that pool's counter loses */
		status = query(store, &stmt, err, "SELECT id FROM pools", "");
		while (status == RW_OK && (status = step(store, stmt, err)) == RW_OK)
		{
			pool_id = sqlite3_column_int64(stmt, 0);
			status = run(store, &changed, err, "UPDATE leases SET online = 0, "
						 "released = ? WHERE pool_id = ? AND online > 0 AND gateway = ?",
						 "iit", t, pool_id, gateway ? gateway : "");
			if (status == RW_OK && changed)
			{
				released += changed;
				status = run(store, NULL, err, "UPDATE pools SET online = max(0, online "
							 "- ?) WHERE id = ?", "ii", (int64_t)changed, pool_id);
			}
		}
		done(store, stmt);
		if (status == RW_ERR_NOTFOUND)
		{
			status = RW_OK;
		}
	}
	if (sessions)
	{
		*sessions = ended;
	}
	if (leases)
	{
		*leases = released;
	}
	return finish(store, status, err);
}

/* ------------------------------------------------------------------------------ */
/* DNS settings */

/* column names cannot be bound: one statement per owner and field */
static const char *const dns_update_sql[2][RW_DNS_FIELDS] = {
	{
		"UPDATE pools SET dns = ?1 WHERE name = ?2",
		"UPDATE pools SET domains = ?1 WHERE name = ?2",
		"UPDATE pools SET split = ?1 WHERE name = ?2",
	},
	{
		"UPDATE users SET dns = ?1, updated = ?3 WHERE name = ?2",
		"UPDATE users SET domains = ?1, updated = ?3 WHERE name = ?2",
		"UPDATE users SET split = ?1, updated = ?3 WHERE name = ?2",
	},
};

rw_status_t rw_store_dns_set(rw_store_t *store, rw_dns_owner_t owner, const char *name,
							 rw_dns_field_t field, const char *list, rw_error_t *err)
{
	rw_dns_conf_t *conf = NULL;
	char *text = NULL;
	rw_status_t status;
	int changes = 0;

	rw_error_clear(err);
	if ((owner != RW_DNS_OF_POOL && owner != RW_DNS_OF_USER) || field >= RW_DNS_FIELDS)
	{
		return rw_error_set(err, RW_ERR_INVALID, "unknown DNS owner or field");
	}
	if (list)
	{	/* validate and store the canonical form */
		conf = calloc(1, sizeof(*conf));
		text = malloc(RW_DNS_TEXT_MAX + 1);
		if (!conf || !text)
		{
			free(conf);
			free(text);
			return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
		}
		status = rw_dns_parse(conf, field, list, err);
		if (status == RW_OK)
		{
			rw_dns_format(conf, field, text, RW_DNS_TEXT_MAX + 1);
		}
		free(conf);
		if (status != RW_OK)
		{
			free(text);
			return status;
		}
	}
	status = begin(store, err);
	if (status == RW_OK)
	{
		if (text)
		{
			status = run(store, &changes, err, dns_update_sql[owner][field],
						 owner == RW_DNS_OF_USER ? "tti" : "tt", text, name, now(store));
		}
		else
		{
			status = run(store, &changes, err, dns_update_sql[owner][field],
						 owner == RW_DNS_OF_USER ? "nti" : "nt", name, now(store));
		}
		if (status == RW_OK && changes == 0)
		{
			status = rw_error_set(err, RW_ERR_NOTFOUND, "no %s '%s'",
								  owner == RW_DNS_OF_POOL ? "pool" : "user", name);
		}
		status = finish(store, status, err);
	}
	free(text);
	return status;
}

rw_status_t rw_store_dns_get(rw_store_t *store, rw_dns_owner_t owner, const char *name,
							 rw_dns_conf_t *conf,
							 void (*skip)(void *ctx, const char *msg), void *ctx,
							 rw_error_t *err)
{
	sqlite3_stmt *stmt;
	rw_status_t status;
	const char *text;
	int field;

	rw_error_clear(err);
	memset(conf, 0, sizeof(*conf));
	if (owner != RW_DNS_OF_POOL && owner != RW_DNS_OF_USER)
	{
		return rw_error_set(err, RW_ERR_INVALID, "unknown DNS owner");
	}
	status = query(store, &stmt, err, owner == RW_DNS_OF_POOL
				   ? "SELECT dns, domains, split FROM pools WHERE name = ?"
				   : "SELECT dns, domains, split FROM users WHERE name = ?", "t", name);
	if (status != RW_OK)
	{
		return status;
	}
	status = step(store, stmt, err);
	for (field = 0; status == RW_OK && field < RW_DNS_FIELDS; field++)
	{
		text = (const char*)sqlite3_column_text(stmt, field);
		if (text)
		{	/* the column may have been edited by hand: skip what is invalid */
			rw_dns_parse_lenient(conf, (rw_dns_field_t)field, text, skip, ctx);
		}
	}
	done(store, stmt);
	if (status == RW_ERR_NOTFOUND)
	{
		return rw_error_set(err, status, "no %s '%s'",
							owner == RW_DNS_OF_POOL ? "pool" : "user", name);
	}
	return status;
}
