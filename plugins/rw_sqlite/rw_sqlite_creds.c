#include "rw_sqlite_creds.h"

#include <utils/debug.h>

typedef struct private_rw_sqlite_creds_t private_rw_sqlite_creds_t;

struct private_rw_sqlite_creds_t {

	/**
	 * Public interface
	 */
	rw_sqlite_creds_t public;

	/**
	 * The store
	 */
	rw_sqlite_db_t *db;
};

/**
 * Enumerator over the one NT hash found
 */
typedef struct {
	enumerator_t public;
	shared_key_t *key;
	bool done;
} hash_enumerator_t;

METHOD(enumerator_t, hash_enumerate, bool,
	hash_enumerator_t *this, va_list args)
{
	shared_key_t **key;
	id_match_t *me, *other;

	VA_ARGS_VGET(args, key, me, other);
	if (this->done)
	{
		return FALSE;
	}
	this->done = TRUE;
	*key = this->key;
	if (me)
	{
		*me = ID_MATCH_ANY;
	}
	if (other)
	{
		*other = ID_MATCH_PERFECT;
	}
	return TRUE;
}

METHOD(enumerator_t, hash_destroy, void,
	hash_enumerator_t *this)
{
	this->key->destroy(this->key);
	free(this);
}

METHOD(credential_set_t, create_shared_enumerator, enumerator_t*,
	private_rw_sqlite_creds_t *this, shared_key_type_t type,
	identification_t *me, identification_t *other)
{
	hash_enumerator_t *e;
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	rw_user_t user;

	/* EAP-MSCHAPv2 asks for the NT hash of the peer's EAP identity */
	if (type != SHARED_NT_HASH || !other || other->get_type(other) == ID_ANY)
	{
		return NULL;
	}
	store = this->db->lock(this->db);
	if (!store)
	{
		return NULL;
	}
	status = this->db->find_user(this->db, store, other, &user, &err);
	this->db->unlock(this->db, status);
	switch (status)
	{
		case RW_OK:
			break;
		case RW_ERR_NOTFOUND:
			DBG2(DBG_CFG, "rw-sqlite: no user for EAP identity '%Y'", other);
			return NULL;
		case RW_ERR_DISABLED:
		case RW_ERR_EXPIRED:
			DBG1(DBG_CFG, "rw-sqlite: rejecting EAP identity '%Y': %s", other,
				 err.msg);
			return NULL;
		default:
			this->db->log_error(this->db, "user lookup failed", &err);
			return NULL;
	}
	DBG2(DBG_CFG, "rw-sqlite: EAP identity '%Y' is user '%s'", other, user.name);
	INIT(e,
		.public = {
			.enumerate = enumerator_enumerate_default,
			.venumerate = _hash_enumerate,
			.destroy = _hash_destroy,
		},
		.key = shared_key_create(SHARED_NT_HASH,
								 chunk_clone(chunk_create(user.nt_hash, 16))),
	);
	memwipe(user.nt_hash, sizeof(user.nt_hash));
	return &e->public;
}

METHOD(rw_sqlite_creds_t, destroy, void,
	private_rw_sqlite_creds_t *this)
{
	free(this);
}

/*
 * see header file
 */
rw_sqlite_creds_t *rw_sqlite_creds_create(rw_sqlite_db_t *db)
{
	private_rw_sqlite_creds_t *this;

	INIT(this,
		.public = {
			.set = {
				.create_shared_enumerator = _create_shared_enumerator,
				.create_private_enumerator = (void*)return_null,
				.create_cert_enumerator = (void*)return_null,
				.create_cdp_enumerator = (void*)return_null,
				.cache_cert = (void*)nop,
			},
			.destroy = _destroy,
		},
		.db = db,
	);
	return &this->public;
}
