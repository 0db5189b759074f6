#include "rw_sqlite_accounting.h"

#include "../common/rw_client.h"

#include <daemon.h>
#include <collections/array.h>
#include <collections/hashtable.h>
#include <encoding/payloads/delete_payload.h>
#include <processing/jobs/callback_job.h>
#include <threading/mutex.h>

typedef struct private_rw_sqlite_accounting_t private_rw_sqlite_accounting_t;

struct private_rw_sqlite_accounting_t {

	/**
	 * Public interface
	 */
	rw_sqlite_accounting_t public;

	/**
	 * The store
	 */
	rw_sqlite_db_t *db;

	/**
	 * Sessions of IKE_SAs of this charon, entry_t by unique IKE_SA id
	 */
	hashtable_t *entries;

	/**
	 * Protects entries
	 */
	mutex_t *mutex;

	/**
	 * Last PRAGMA data_version seen by the enforcement job
	 */
	int64_t data_version;

	/**
	 * Enforcement poll interval in ms, interim update interval in s
	 */
	u_int poll_ms;
	u_int interim;

	/**
	 * Monotonic time of the last full enforcement check and interim update
	 */
	time_t last_check;
	time_t last_interim;

	/**
	 * charon is stopping: sessions ending now end by shutdown
	 */
	bool shutdown;

	/**
	 * IKE_SAs authenticated but not yet up, pending_t: a duplicate they replace
	 * goes down before they come up
	 */
	array_t *pending;

	/**
	 * Session writes not yet in the store, op_t; written in one batch by the
	 * periodic job, so a handshake does not wait for commits
	 */
	array_t *queue;

	/**
	 * Protects queue
	 */
	mutex_t *qmutex;

	/**
	 * Monotonic time (ms) of the last enforcement poll
	 */
	uint64_t last_poll;
};

/** How often queued session writes are flushed (ms) */
#define FLUSH_MS 200

/** Queued writes beyond which the oldest are dropped while the store is unusable */
#define QUEUE_MAX 100000

/**
 * A queued session write
 */
typedef struct {
	enum {
		OP_START,
		OP_UPDATE,
		OP_END,
	} type;
	/** the session's entry; an OP_END owns it and frees it once written */
	void *entry;
	/** the session as it was when queued (id filled in when written) */
	rw_session_t session;
	/** OP_END: why it ended */
	rw_end_reason_t reason;
} op_t;

/**
 * An IKE_SA between authentication and ike_updown()
 */
typedef struct {
	uint32_t unique_id;
	char eap_id[RW_NAME_MAX + 1];
	/** monotonic time of authentication; IKE_SAs that never come up expire */
	time_t added;
} pending_t;

/** seconds after which a pending IKE_SA is forgotten */
#define PENDING_TIMEOUT 30

/**
 * A session of one IKE_SA
 */
typedef struct {
	/** unique id of the IKE_SA */
	uint32_t unique_id;
	/** the session as stored */
	rw_session_t session;
	/** why it ends, once known */
	rw_end_reason_t reason;
	/** counters of CHILD_SAs already gone */
	uint64_t bytes_in, bytes_out, packets_in, packets_out;
} entry_t;

static u_int hash_id(void *key)
{
	return chunk_hash(chunk_from_thing(key));
}

static bool equals_id(void *a, void *b)
{
	return a == b;
}

#define KEY(id) ((void*)(uintptr_t)(id))

/**
 * Add the counters of a CHILD_SA to a session
 */
static void add_child_stats(rw_session_t *s, child_sa_t *child)
{
	uint64_t bytes, packets;

	child->get_usestats(child, TRUE, NULL, &bytes, &packets);
	s->bytes_in += bytes;
	s->packets_in += packets;
	child->get_usestats(child, FALSE, NULL, &bytes, &packets);
	s->bytes_out += bytes;
	s->packets_out += packets;
}

/**
 * Fill counters and virtual IPs of entry's session from the IKE_SA
 */
static void collect_stats(entry_t *entry, ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	child_sa_t *child;
	host_t *vip;
	rw_session_t *s = &entry->session;
	size_t len = 0;

	s->bytes_in = entry->bytes_in;
	s->bytes_out = entry->bytes_out;
	s->packets_in = entry->packets_in;
	s->packets_out = entry->packets_out;
	enumerator = ike_sa->create_child_sa_enumerator(ike_sa);
	while (enumerator->enumerate(enumerator, &child))
	{
		add_child_stats(s, child);
	}
	enumerator->destroy(enumerator);

	s->vips[0] = '\0';
	enumerator = ike_sa->create_virtual_ip_enumerator(ike_sa, FALSE);
	while (enumerator->enumerate(enumerator, &vip) && len < sizeof(s->vips))
	{
		len += snprintf(s->vips + len, sizeof(s->vips) - len, "%s%H",
						len ? "," : "", vip);
	}
	enumerator->destroy(enumerator);
}

/**
 * The store's user behind an IKE_SA, FALSE if it is none of ours
 */
static bool user_of(private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa,
					rw_user_t *user)
{
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;

	store = this->db->lock(this->db);
	if (!store)
	{
		return FALSE;
	}
	status = this->db->find_user(this->db, store, ike_sa->get_other_eap_id(ike_sa),
								 user, &err);
	this->db->unlock(this->db, status);
	return status == RW_OK;
}

/**
 * Online sessions of a user that are not the same peer reconnecting
 */
typedef struct {
	private_rw_sqlite_accounting_t *this;
	char ike_id[RW_NAME_MAX + 1];
	char remote[64];
	int count;
} limit_ctx_t;

static bool count_others(const rw_session_t *s, void *data)
{
	limit_ctx_t *ctx = data;

	/* the same peer from the same address replaces its old IKE_SA (uniqueness
	 * policy or reauthentication): that one does not count against the limit */
	if (!streq(s->gateway, ctx->this->db->get_gateway(ctx->this->db)) ||
		!streq(s->ike_id, ctx->ike_id) || !streq(s->remote, ctx->remote))
	{
		ctx->count++;
	}
	return TRUE;
}

/**
 * Forget a pending IKE_SA, and those that never came up (with mutex held)
 */
static void forget_pending(private_rw_sqlite_accounting_t *this, uint32_t unique_id)
{
	time_t now = time_monotonic(NULL);
	pending_t pending;
	int i;

	for (i = array_count(this->pending) - 1; i >= 0; i--)
	{
		array_get(this->pending, i, &pending);
		if (pending.unique_id == unique_id ||
			now - pending.added > PENDING_TIMEOUT)
		{
			array_remove(this->pending, i, NULL);
		}
	}
}

/**
 * Sessions of a user started here but not written to the store yet
 */
static int unwritten_sessions(private_rw_sqlite_accounting_t *this, const char *user)
{
	enumerator_t *enumerator;
	entry_t *entry;
	int count = 0;

	this->mutex->lock(this->mutex);
	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &entry))
	{
		if (!entry->session.id && streq(entry->session.user, user))
		{
			count++;
		}
	}
	enumerator->destroy(enumerator);
	this->mutex->unlock(this->mutex);
	return count;
}

METHOD(listener_t, authorize, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, bool final,
	bool *success)
{
	limit_ctx_t ctx = { .this = this };
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	rw_user_t user;

	if (!final && *success)
	{
		pending_t pending = {
			.unique_id = ike_sa->get_unique_id(ike_sa),
			.added = time_monotonic(NULL),
		};

		auth_cfg_t *round = ike_sa->get_auth_cfg(ike_sa, FALSE);
		identification_t *eap_id = NULL;

		/* the round just done is not among the IKE_SA's completed ones yet */
		if (round)
		{
			eap_id = round->get(round, AUTH_RULE_EAP_IDENTITY);
		}
		snprintf(pending.eap_id, sizeof(pending.eap_id), "%Y",
				 eap_id ?: ike_sa->get_other_eap_id(ike_sa));
		this->mutex->lock(this->mutex);
		forget_pending(this, pending.unique_id);
		array_insert(this->pending, ARRAY_TAIL, &pending);
		this->mutex->unlock(this->mutex);
		DBG2(DBG_CFG, "rw-sqlite: IKE_SA %u of '%s' authenticated", pending.unique_id,
			 pending.eap_id);
	}
	if (!final || !*success || !user_of(this, ike_sa, &user) || !user.session_limit)
	{
		return TRUE;
	}
	snprintf(ctx.ike_id, sizeof(ctx.ike_id), "%Y", ike_sa->get_other_id(ike_sa));
	snprintf(ctx.remote, sizeof(ctx.remote), "%H", ike_sa->get_other_host(ike_sa));
	if ((store = this->db->lock(this->db)))
	{
		status = rw_store_session_list(store, user.name, TRUE, count_others, &ctx, &err);
		this->db->unlock(this->db, status);
		ctx.count += unwritten_sessions(this, user.name);
		if (status == RW_OK && ctx.count >= user.session_limit)
		{
			DBG1(DBG_CFG, "rw-sqlite: user '%s' has %d of %d sessions, rejecting",
				 user.name, ctx.count, user.session_limit);
			*success = FALSE;
		}
	}
	return TRUE;
}

/**
 * Queue a session write; an OP_END takes over the entry
 */
static void enqueue(private_rw_sqlite_accounting_t *this, int type, entry_t *entry,
					rw_end_reason_t reason)
{
	op_t op = {
		.type = type,
		.entry = entry,
		.reason = reason,
	};

	this->mutex->lock(this->mutex);
	op.session = entry->session;
	this->mutex->unlock(this->mutex);
	this->qmutex->lock(this->qmutex);
	array_insert(this->queue, ARRAY_TAIL, &op);
	this->qmutex->unlock(this->qmutex);
}

/**
 * Start a session for an IKE_SA that came up
 */
static void session_up(private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa)
{
	rw_user_t user;
	entry_t *entry, *old;
	host_t *other;

	if (!user_of(this, ike_sa, &user))
	{
		return;
	}
	INIT(entry,
		.unique_id = ike_sa->get_unique_id(ike_sa),
	);
	snprintf(entry->session.user, sizeof(entry->session.user), "%s", user.name);
	snprintf(entry->session.ike_id, sizeof(entry->session.ike_id), "%Y",
			 ike_sa->get_other_id(ike_sa));
	snprintf(entry->session.eap_id, sizeof(entry->session.eap_id), "%Y",
			 ike_sa->get_other_eap_id(ike_sa));
	other = ike_sa->get_other_host(ike_sa);
	snprintf(entry->session.remote, sizeof(entry->session.remote), "%H", other);
	entry->session.remote_port = other->get_port(other);
	snprintf(entry->session.gateway, sizeof(entry->session.gateway), "%s",
			 this->db->get_gateway(this->db));
	entry->session.ike_sa_id = entry->unique_id;
	/* classified by rw-quirks when it is loaded; "" otherwise */
	rw_client_family(ike_sa, entry->session.family, sizeof(entry->session.family));
	if (streq(entry->session.family, "unknown"))
	{
		entry->session.family[0] = '\0';
	}
	collect_stats(entry, ike_sa);

	this->mutex->lock(this->mutex);
	old = this->entries->put(this->entries, KEY(entry->unique_id), entry);
	this->mutex->unlock(this->mutex);
	if (old)
	{	/* not expected: charon's unique ids are unique; end the old one */
		enqueue(this, OP_END, old, RW_END_ERROR);
	}
	enqueue(this, OP_START, entry, RW_END_NONE);
}

/**
 * Write queued session operations in one batch. Operations that fail are logged and
 * dropped; while the store cannot be used at all they are kept for the next flush.
 */
static void flush(private_rw_sqlite_accounting_t *this)
{
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	array_t *ops;
	entry_t *entry;
	op_t op;

	this->qmutex->lock(this->qmutex);
	ops = this->queue;
	this->queue = array_create(sizeof(op_t), 0);
	this->qmutex->unlock(this->qmutex);
	if (!array_count(ops))
	{
		array_destroy(ops);
		return;
	}
	store = this->db->lock(this->db);
	status = store ? rw_store_batch_begin(store, &err) : RW_ERR_IO;
	if (status != RW_OK)
	{
		if (store)
		{
			this->db->unlock(this->db, status);
			this->db->log_error(this->db, "session writes delayed", &err);
		}
		/* put them back in front of what came meanwhile */
		this->qmutex->lock(this->qmutex);
		while (array_remove(this->queue, ARRAY_HEAD, &op))
		{
			array_insert(ops, ARRAY_TAIL, &op);
		}
		array_destroy(this->queue);
		this->queue = ops;
		while (array_count(this->queue) > QUEUE_MAX &&
			   array_remove(this->queue, ARRAY_HEAD, &op))
		{
			if (op.type == OP_END)
			{
				free(op.entry);
			}
		}
		this->qmutex->unlock(this->qmutex);
		return;
	}
	while (array_remove(ops, ARRAY_HEAD, &op))
	{
		entry = op.entry;
		switch (op.type)
		{
			case OP_START:
				status = rw_store_session_start(store, &op.session, &err);
				if (status == RW_OK)
				{
					this->mutex->lock(this->mutex);
					entry->session.id = op.session.id;
					this->mutex->unlock(this->mutex);
					DBG2(DBG_CFG, "rw-sqlite: session %lld of user '%s' started",
						 (long long)op.session.id, op.session.user);
				}
				else
				{
					this->db->log_error(this->db, "session start failed", &err);
				}
				break;
			case OP_UPDATE:
				this->mutex->lock(this->mutex);
				op.session.id = entry->session.id;
				this->mutex->unlock(this->mutex);
				status = op.session.id ? rw_store_session_update(store, &op.session,
																 &err) : RW_OK;
				if (status != RW_OK)
				{
					this->db->log_error(this->db, "interim update failed", &err);
				}
				break;
			case OP_END:
				/* the entry is ours alone now: its start was written before */
				op.session.id = entry->session.id;
				status = op.session.id ? rw_store_session_end(store, &op.session,
															  op.reason, &err) : RW_OK;
				if (status != RW_OK)
				{
					this->db->log_error(this->db, "session end failed", &err);
				}
				else if (op.session.id)
				{
					DBG1(DBG_CFG, "rw-sqlite: session %lld of user '%s' ended (%s), "
						 "%llu bytes in, %llu bytes out", (long long)op.session.id,
						 op.session.user, rw_end_reason_name(op.reason),
						 (unsigned long long)op.session.bytes_in,
						 (unsigned long long)op.session.bytes_out);
				}
				free(entry);
				break;
		}
	}
	status = rw_store_batch_end(store, TRUE, &err);
	this->db->unlock(this->db, status);
	if (status != RW_OK)
	{
		this->db->log_error(this->db, "session writes lost", &err);
	}
	array_destroy(ops);
}

/**
 * Was the entry replaced by a newer IKE_SA of the same peer (uniqueness policy,
 * INITIAL_CONTACT)? With mutex held.
 */
static bool replaced(private_rw_sqlite_accounting_t *this, entry_t *old)
{
	enumerator_t *enumerator;
	entry_t *entry;
	pending_t pending;
	bool found = FALSE;
	int i;

	/* the replacing IKE_SA is authenticated but not up yet */
	for (i = 0; i < array_count(this->pending); i++)
	{
		array_get(this->pending, i, &pending);
		if (pending.unique_id != old->unique_id &&
			streq(pending.eap_id, old->session.eap_id))
		{
			return TRUE;
		}
	}

	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &entry))
	{
		/* uniqueness policies compare EAP identities */
		if (entry != old && entry->session.id > old->session.id &&
			streq(entry->session.user, old->session.user) &&
			streq(entry->session.eap_id, old->session.eap_id))
		{
			found = TRUE;
			break;
		}
	}
	enumerator->destroy(enumerator);
	return found;
}

METHOD(listener_t, ike_updown, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, bool up)
{
	entry_t *entry;

	this->mutex->lock(this->mutex);
	forget_pending(this, ike_sa->get_unique_id(ike_sa));
	this->mutex->unlock(this->mutex);
	if (up)
	{
		session_up(this, ike_sa);
		return TRUE;
	}
	this->mutex->lock(this->mutex);
	entry = this->entries->remove(this->entries, KEY(ike_sa->get_unique_id(ike_sa)));
	if (entry && entry->reason == RW_END_NONE)
	{
		entry->reason = this->shutdown ? RW_END_SHUTDOWN
					  : replaced(this, entry) ? RW_END_REPLACED : RW_END_ERROR;
	}
	this->mutex->unlock(this->mutex);
	if (entry)
	{
		collect_stats(entry, ike_sa);
		enqueue(this, OP_END, entry, entry->reason);
	}
	return TRUE;
}

METHOD(listener_t, ike_rekey, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *old, ike_sa_t *new)
{
	entry_t *entry;

	/* the session goes on under the new IKE_SA's unique id */
	this->mutex->lock(this->mutex);
	entry = this->entries->remove(this->entries, KEY(old->get_unique_id(old)));
	if (entry)
	{
		entry->unique_id = new->get_unique_id(new);
		entry->session.ike_sa_id = entry->unique_id;
		this->entries->put(this->entries, KEY(entry->unique_id), entry);
	}
	this->mutex->unlock(this->mutex);
	return TRUE;
}

/**
 * Remember counters of a CHILD_SA that goes away
 */
static void child_gone(private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa,
					   child_sa_t *child)
{
	rw_session_t stats = {};
	entry_t *entry;

	add_child_stats(&stats, child);
	this->mutex->lock(this->mutex);
	entry = this->entries->get(this->entries, KEY(ike_sa->get_unique_id(ike_sa)));
	if (entry)
	{
		entry->bytes_in += stats.bytes_in;
		entry->bytes_out += stats.bytes_out;
		entry->packets_in += stats.packets_in;
		entry->packets_out += stats.packets_out;
	}
	this->mutex->unlock(this->mutex);
}

METHOD(listener_t, child_updown, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, child_sa_t *child,
	bool up)
{
	if (!up)
	{
		child_gone(this, ike_sa, child);
	}
	return TRUE;
}

METHOD(listener_t, child_rekey, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, child_sa_t *old,
	child_sa_t *new)
{
	child_gone(this, ike_sa, old);
	return TRUE;
}

/**
 * Set the end reason of an IKE_SA's session unless one is known already
 */
static void set_reason(private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa,
					   rw_end_reason_t reason)
{
	entry_t *entry;

	this->mutex->lock(this->mutex);
	entry = this->entries->get(this->entries, KEY(ike_sa->get_unique_id(ike_sa)));
	if (entry && entry->reason == RW_END_NONE)
	{
		entry->reason = reason;
	}
	this->mutex->unlock(this->mutex);
}

METHOD(listener_t, alert, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, alert_t alert,
	va_list args)
{
	if (ike_sa && alert == ALERT_RETRANSMIT_SEND_TIMEOUT)
	{
		set_reason(this, ike_sa, RW_END_DPD_TIMEOUT);
	}
	else if (alert == ALERT_SHUTDOWN_SIGNAL)
	{
		this->shutdown = TRUE;
	}
	return TRUE;
}

METHOD(listener_t, message, bool,
	private_rw_sqlite_accounting_t *this, ike_sa_t *ike_sa, message_t *message,
	bool incoming, bool plain)
{
	enumerator_t *enumerator;
	payload_t *payload;
	delete_payload_t *del;

	if (!incoming || !plain || !ike_sa ||
		message->get_exchange_type(message) != INFORMATIONAL ||
		!message->get_request(message))
	{
		return TRUE;
	}
	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) == PLV2_DELETE)
		{
			del = (delete_payload_t*)payload;
			if (del->get_protocol_id(del) == PROTO_IKE)
			{
				set_reason(this, ike_sa, RW_END_CLIENT_DELETE);
			}
		}
	}
	enumerator->destroy(enumerator);
	return TRUE;
}

/**
 * A session to cut, collected by the enforcement check
 */
typedef struct {
	uint32_t unique_id;
	int64_t session_id;
	rw_end_reason_t reason;
} doomed_t;

typedef struct {
	private_rw_sqlite_accounting_t *this;
	array_t *doomed;
	array_t *stale;
} doomed_ctx_t;

static bool collect_doomed(const rw_session_t *s, rw_end_reason_t reason, void *data)
{
	doomed_ctx_t *ctx = data;
	doomed_t d = {
		.unique_id = s->ike_sa_id,
		.session_id = s->id,
		.reason = reason,
	};
	entry_t *entry;

	entry = ctx->this->entries->get(ctx->this->entries, KEY(s->ike_sa_id));
	if (entry && entry->session.id == s->id)
	{
		if (entry->reason == RW_END_NONE)
		{
			entry->reason = reason;
		}
		array_insert(ctx->doomed, ARRAY_TAIL, &d);
	}
	else
	{
		array_insert(ctx->stale, ARRAY_TAIL, &d);
	}
	return TRUE;
}

/**
 * Cut sessions the store says must end
 */
static void enforce(private_rw_sqlite_accounting_t *this)
{
	doomed_ctx_t ctx = {
		.this = this,
		.doomed = array_create(sizeof(doomed_t), 0),
		.stale = array_create(sizeof(doomed_t), 0),
	};
	rw_session_t stale;
	rw_store_t *store;
	rw_status_t status = RW_ERR_IO;
	rw_error_t err;
	doomed_t d;

	store = this->db->lock(this->db);
	if (store)
	{
		this->mutex->lock(this->mutex);
		status = rw_store_session_doomed(store, this->db->get_gateway(this->db),
										 collect_doomed, &ctx, &err);
		this->mutex->unlock(this->mutex);
		/* sessions of IKE_SAs this charon does not have: end them right away */
		while (status == RW_OK && array_remove(ctx.stale, ARRAY_HEAD, &d))
		{
			memset(&stale, 0, sizeof(stale));
			stale.id = d.session_id;
			status = rw_store_session_end(store, &stale, d.reason, &err);
		}
		this->db->unlock(this->db, status);
		if (status != RW_OK)
		{
			this->db->log_error(this->db, "enforcement check failed", &err);
		}
	}
	/* outside of any lock: terminating calls back into our listener */
	while (array_remove(ctx.doomed, ARRAY_HEAD, &d))
	{
		DBG1(DBG_CFG, "rw-sqlite: cutting IKE_SA with unique id %u (session %lld): %s",
			 d.unique_id, (long long)d.session_id, rw_end_reason_name(d.reason));
		charon->controller->terminate_ike(charon->controller, d.unique_id, TRUE,
										  NULL, NULL, 0);
	}
	array_destroy(ctx.doomed);
	array_destroy(ctx.stale);
}

/**
 * Queue current counters of all sessions
 */
static void interim_update(private_rw_sqlite_accounting_t *this)
{
	enumerator_t *enumerator;
	array_t *ids;
	uint32_t id;
	entry_t *entry;
	ike_sa_t *ike_sa;

	ids = array_create(sizeof(uint32_t), 0);
	this->mutex->lock(this->mutex);
	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &entry))
	{
		array_insert(ids, ARRAY_TAIL, &entry->unique_id);
	}
	enumerator->destroy(enumerator);
	this->mutex->unlock(this->mutex);

	while (array_remove(ids, ARRAY_HEAD, &id))
	{
		ike_sa = charon->ike_sa_manager->checkout_by_id(charon->ike_sa_manager, id);
		if (!ike_sa)
		{
			continue;
		}
		/* the entry stays alive while its IKE_SA is checked out: only ike_updown()
		 * of that IKE_SA hands it over to an OP_END */
		this->mutex->lock(this->mutex);
		entry = this->entries->get(this->entries, KEY(id));
		if (entry)
		{
			collect_stats(entry, ike_sa);
		}
		this->mutex->unlock(this->mutex);
		if (entry)
		{
			enqueue(this, OP_UPDATE, entry, RW_END_NONE);
		}
		charon->ike_sa_manager->checkin(charon->ike_sa_manager, ike_sa);
	}
	array_destroy(ids);
}

/**
 * Periodic job: write queued session changes; enforce changes made with rwctl and
 * expiry; interim updates
 */
static job_requeue_t poll_job(private_rw_sqlite_accounting_t *this)
{
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	int64_t version = 0;
	timeval_t tv;
	uint64_t now_ms;
	time_t now;
	bool check;

	flush(this);
	this->db->flush(this->db);
	now = time_monotonic(&tv);
	now_ms = (uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	if (now_ms - this->last_poll < this->poll_ms)
	{
		return JOB_RESCHEDULE_MS(FLUSH_MS);
	}
	this->last_poll = now_ms;
	/* another connection committed something: check now; expiry needs a check
	 * from time to time without any change */
	check = now - this->last_check >= 10;
	if ((store = this->db->lock(this->db)))
	{
		status = rw_store_data_version(store, &version, &err);
		this->db->unlock(this->db, status);
		if (status == RW_OK && version != this->data_version)
		{
			this->data_version = version;
			check = TRUE;
		}
	}
	if (check)
	{
		this->last_check = now;
		enforce(this);
	}
	if (this->interim && now - this->last_interim >= this->interim)
	{
		this->last_interim = now;
		interim_update(this);
	}
	return JOB_RESCHEDULE_MS(FLUSH_MS);
}

METHOD(rw_sqlite_accounting_t, recover, void,
	private_rw_sqlite_accounting_t *this)
{
	rw_store_t *store;
	rw_status_t status;
	rw_error_t err;
	int sessions = 0, leases = 0;

	store = this->db->lock(this->db);
	if (!store)
	{
		return;
	}
	status = rw_store_recover(store, this->db->get_gateway(this->db), &sessions,
							  &leases, &err);
	this->db->unlock(this->db, status);
	if (status != RW_OK)
	{
		this->db->log_error(this->db, "crash recovery failed", &err);
	}
	else if (sessions || leases)
	{
		DBG1(DBG_CFG, "rw-sqlite: recovered from an unclean stop of gateway '%s': "
			 "%d sessions ended, %d leases released", this->db->get_gateway(this->db),
			 sessions, leases);
	}
}

METHOD(rw_sqlite_accounting_t, start, void,
	private_rw_sqlite_accounting_t *this)
{
	lib->scheduler->schedule_job_ms(lib->scheduler, (job_t*)
			callback_job_create_with_prio((callback_job_cb_t)poll_job, this, NULL,
								(callback_job_cancel_t)return_false, JOB_PRIO_CRITICAL),
			FLUSH_MS);
}

METHOD(rw_sqlite_accounting_t, destroy, void,
	private_rw_sqlite_accounting_t *this)
{
	enumerator_t *enumerator;
	entry_t *entry;
	op_t op;

	/* sessions still open when charon stops, then everything queued */
	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &entry))
	{
		if (entry->reason == RW_END_NONE)
		{
			entry->reason = RW_END_SHUTDOWN;
		}
		this->entries->remove_at(this->entries, enumerator);
		enqueue(this, OP_END, entry, entry->reason);
	}
	enumerator->destroy(enumerator);
	flush(this);
	/* what the store did not take (it is unusable): log and drop */
	if (array_count(this->queue))
	{
		DBG1(DBG_CFG, "rw-sqlite: %u session writes lost at shutdown",
			 array_count(this->queue));
	}
	while (array_remove(this->queue, ARRAY_HEAD, &op))
	{
		if (op.type == OP_END)
		{
			free(op.entry);
		}
	}
	this->entries->destroy(this->entries);
	array_destroy(this->pending);
	array_destroy(this->queue);
	this->qmutex->destroy(this->qmutex);
	this->mutex->destroy(this->mutex);
	free(this);
}

/*
 * see header file
 */
rw_sqlite_accounting_t *rw_sqlite_accounting_create(rw_sqlite_db_t *db)
{
	private_rw_sqlite_accounting_t *this;

	INIT(this,
		.public = {
			.listener = {
				.authorize = _authorize,
				.ike_updown = _ike_updown,
				.ike_rekey = _ike_rekey,
				.child_updown = _child_updown,
				.child_rekey = _child_rekey,
				.alert = _alert,
				.message = _message,
			},
			.recover = _recover,
			.start = _start,
			.destroy = _destroy,
		},
		.db = db,
		.entries = hashtable_create(hash_id, equals_id, 32),
		.pending = array_create(sizeof(pending_t), 0),
		.queue = array_create(sizeof(op_t), 0),
		.qmutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.data_version = -1,
		.poll_ms = lib->settings->get_time(lib->settings,
							"%s.plugins.rw-sqlite.poll_interval", 1, lib->ns) * 1000,
		.interim = lib->settings->get_time(lib->settings,
							"%s.plugins.rw-sqlite.interim_interval", 60, lib->ns),
		.last_interim = time_monotonic(NULL),
	);
	if (!this->poll_ms)
	{
		this->poll_ms = 1000;
	}
	return &this->public;
}
