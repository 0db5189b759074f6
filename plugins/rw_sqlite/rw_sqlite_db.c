#include "rw_sqlite_db.h"

#include <sys/stat.h>
#include <unistd.h>

#include <collections/array.h>
#include <threading/mutex.h>
#include <utils/debug.h>

/** Default location of the store, shared with rwctl */
#define RW_SQLITE_DEFAULT_DB "/var/lib/strongswan/rw.db"

typedef struct private_rw_sqlite_db_t private_rw_sqlite_db_t;

/** Deferred writes kept beyond which the oldest are dropped (store unusable) */
#define DEFERRED_MAX 100000

typedef struct {
	rw_sqlite_write_t write;
	void *data;
} deferred_t;

struct private_rw_sqlite_db_t {

	/**
	 * Public interface
	 */
	rw_sqlite_db_t public;

	/**
	 * The connection, NULL while closed
	 */
	rw_store_t *store;

	/**
	 * Serializes use of the connection (SQLite handles are not shared by threads)
	 */
	mutex_t *mutex;

	/**
	 * Device and inode of the open file: an operator restoring a backup replaces
	 * the file, and we must not go on writing into the old, unlinked one
	 */
	dev_t dev;
	ino_t ino;

	/**
	 * Database path
	 */
	char *path;

	/**
	 * Busy timeout in ms
	 */
	int busy_ms;

	/**
	 * Name of this gateway
	 */
	char *gateway;

	/**
	 * Identity matching
	 */
	rw_match_t match;

	/**
	 * Deferred writes, deferred_t
	 */
	array_t *deferred;

	/**
	 * Protects deferred (taken without the store's mutex)
	 */
	mutex_t *dmutex;

	/**
	 * Last error logged and when, to log a persisting failure once a minute
	 */
	rw_status_t last_status;
	time_t last_logged;
};

METHOD(rw_sqlite_db_t, log_error, void,
	private_rw_sqlite_db_t *this, const char *what, rw_error_t *err)
{
	time_t now = time_monotonic(NULL);

	if (err->status != this->last_status || now - this->last_logged >= 60)
	{
		DBG1(DBG_CFG, "rw-sqlite: %s: %s", what, err->msg);
		this->last_status = err->status;
		this->last_logged = now;
	}
	else
	{
		DBG2(DBG_CFG, "rw-sqlite: %s: %s (again)", what, err->msg);
	}
}

METHOD(rw_sqlite_db_t, lock, rw_store_t*,
	private_rw_sqlite_db_t *this)
{
	rw_error_t err;

	struct stat st;

	this->mutex->lock(this->mutex);
	if (this->store &&
		(stat(this->path, &st) != 0 || st.st_dev != this->dev || st.st_ino != this->ino))
	{
		DBG1(DBG_CFG, "rw-sqlite: database '%s' was replaced or removed, reopening",
			 this->path);
		rw_store_close(this->store);
		this->store = NULL;
	}
	if (!this->store)
	{
		if (rw_store_open(this->path, RW_STORE_CREATE, this->busy_ms, &this->store,
						  &err) != RW_OK)
		{
			log_error(this, "cannot open the database", &err);
			this->mutex->unlock(this->mutex);
			return NULL;
		}
		if (stat(this->path, &st) == 0)
		{
			this->dev = st.st_dev;
			this->ino = st.st_ino;
		}
		if (this->last_status != RW_OK)
		{
			DBG1(DBG_CFG, "rw-sqlite: database '%s' usable again", this->path);
			this->last_status = RW_OK;
		}
	}
	return this->store;
}

METHOD(rw_sqlite_db_t, unlock, void,
	private_rw_sqlite_db_t *this, rw_status_t status)
{
	switch (status)
	{
		case RW_ERR_CORRUPT:
		case RW_ERR_IO:
		case RW_ERR_SCHEMA:
		case RW_ERR_PERM:
			/* the file may be replaced or repaired: start over next time */
			rw_store_close(this->store);
			this->store = NULL;
			break;
		default:
			break;
	}
	this->mutex->unlock(this->mutex);
}

METHOD(rw_sqlite_db_t, get_path, const char*,
	private_rw_sqlite_db_t *this)
{
	return this->path;
}

METHOD(rw_sqlite_db_t, get_gateway, const char*,
	private_rw_sqlite_db_t *this)
{
	return this->gateway;
}

METHOD(rw_sqlite_db_t, find_user, rw_status_t,
	private_rw_sqlite_db_t *this, rw_store_t *store, identification_t *id,
	rw_user_t *user, rw_error_t *err)
{
	char identity[RW_NAME_MAX + 1];

	if (snprintf(identity, sizeof(identity), "%Y", id) >= (int)sizeof(identity))
	{
		return rw_error_set(err, RW_ERR_NOTFOUND, "identity too long for a user name");
	}
	return rw_store_user_auth(store, identity, this->match, user, err);
}

METHOD(rw_sqlite_db_t, defer, void,
	private_rw_sqlite_db_t *this, rw_sqlite_write_t write, void *data)
{
	deferred_t d = {
		.write = write,
		.data = data,
	};

	this->dmutex->lock(this->dmutex);
	array_insert(this->deferred, ARRAY_TAIL, &d);
	while (array_count(this->deferred) > DEFERRED_MAX &&
		   array_remove(this->deferred, ARRAY_HEAD, &d))
	{
		d.write(&this->public, NULL, d.data);
	}
	this->dmutex->unlock(this->dmutex);
}

METHOD(rw_sqlite_db_t, flush, void,
	private_rw_sqlite_db_t *this)
{
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	array_t *writes;
	deferred_t d;

	this->dmutex->lock(this->dmutex);
	writes = this->deferred;
	this->deferred = array_create(sizeof(deferred_t), 0);
	this->dmutex->unlock(this->dmutex);
	if (!array_count(writes))
	{
		array_destroy(writes);
		return;
	}
	store = lock(this);
	status = store ? rw_store_batch_begin(store, &err) : RW_ERR_IO;
	if (status != RW_OK)
	{
		if (store)
		{
			unlock(this, status);
			log_error(this, "writes delayed", &err);
		}
		/* keep them, in front of what came meanwhile */
		this->dmutex->lock(this->dmutex);
		while (array_remove(this->deferred, ARRAY_HEAD, &d))
		{
			array_insert(writes, ARRAY_TAIL, &d);
		}
		array_destroy(this->deferred);
		this->deferred = writes;
		this->dmutex->unlock(this->dmutex);
		return;
	}
	while (array_remove(writes, ARRAY_HEAD, &d))
	{
		d.write(&this->public, store, d.data);
	}
	array_destroy(writes);
	status = rw_store_batch_end(store, TRUE, &err);
	unlock(this, status);
	if (status != RW_OK)
	{
		log_error(this, "writes lost", &err);
	}
}

METHOD(rw_sqlite_db_t, destroy, void,
	private_rw_sqlite_db_t *this)
{
	deferred_t d;

	flush(this);
	while (array_remove(this->deferred, ARRAY_HEAD, &d))
	{
		d.write(&this->public, NULL, d.data);
	}
	array_destroy(this->deferred);
	this->dmutex->destroy(this->dmutex);
	rw_store_close(this->store);
	this->mutex->destroy(this->mutex);
	free(this->path);
	free(this->gateway);
	free(this);
}

/*
 * see header file
 */
rw_sqlite_db_t *rw_sqlite_db_create()
{
	private_rw_sqlite_db_t *this;
	char host[256] = "";
	char *gateway;

	gethostname(host, sizeof(host) - 1);
	gateway = lib->settings->get_str(lib->settings, "%s.plugins.rw-sqlite.gateway",
									 host, lib->ns);
	INIT(this,
		.public = {
			.lock = _lock,
			.unlock = _unlock,
			.get_path = _get_path,
			.get_gateway = _get_gateway,
			.find_user = _find_user,
			.log_error = _log_error,
			.defer = _defer,
			.flush = _flush,
			.destroy = _destroy,
		},
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.dmutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.deferred = array_create(sizeof(deferred_t), 0),
		.path = strdup(lib->settings->get_str(lib->settings,
							"%s.plugins.rw-sqlite.database", RW_SQLITE_DEFAULT_DB,
							lib->ns)),
		.busy_ms = lib->settings->get_int(lib->settings,
							"%s.plugins.rw-sqlite.busy_timeout", 1000, lib->ns),
		.gateway = strdup(*gateway ? gateway : "gateway"),
		.match = {
			.strip_domain = lib->settings->get_bool(lib->settings,
							"%s.plugins.rw-sqlite.eap_identity.strip_domain", TRUE,
							lib->ns),
			.strip_realm = lib->settings->get_bool(lib->settings,
							"%s.plugins.rw-sqlite.eap_identity.strip_realm", FALSE,
							lib->ns),
			.ignore_case = lib->settings->get_bool(lib->settings,
							"%s.plugins.rw-sqlite.eap_identity.ignore_case", TRUE,
							lib->ns),
		},
	);
	return &this->public;
}
