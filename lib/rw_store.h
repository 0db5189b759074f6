/**
 * @defgroup rw_store rw_store
 * @{ @ingroup librw
 *
 * The SQLite store: users, pools, leases and sessions.
 *
 * One rw_store_t is one connection; it is not shared between threads (charon opens
 * one per thread that needs it, rwctl one per process). The database is in WAL mode
 * with a busy timeout, every change runs in one transaction, and the schema carries
 * its version (PRAGMA user_version) and is migrated forward on open.
 *
 * Addresses are stored as BLOBs in network byte order (4 or 16 bytes), so that
 * ordering and range checks work in SQL. Leases are created lazily: a pool is two
 * addresses and a cursor, rows exist only for addresses that were handed out or
 * reserved.
 */

#ifndef RW_STORE_H_
#define RW_STORE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rw_addr.h"
#include "rw_dns.h"
#include "rw_error.h"

/** Current schema version written by this librw */
#define RW_STORE_SCHEMA_VERSION 2

/** Longest user name, pool name and identity, without NUL */
#define RW_NAME_MAX 255
#define RW_POOL_NAME_MAX 63

typedef struct rw_store rw_store_t;

/** rw_store_open() flags */
enum {
	/** create the database (mode 0600) and its schema if missing */
	RW_STORE_CREATE = 1 << 0,
	/** open read-only (queries only) */
	RW_STORE_READONLY = 1 << 1,
};

/**
 * Open (and migrate) a store.
 *
 * Fails with RW_ERR_NOTFOUND if the file is missing and RW_STORE_CREATE is not given,
 * RW_ERR_SCHEMA if the schema is newer than this librw, RW_ERR_CORRUPT if the file is
 * not a database or fails its quick check, RW_ERR_BUSY if it stays locked for longer
 * than busy_ms, RW_ERR_PERM if it cannot be opened.
 *
 * @param path		database file
 * @param flags		RW_STORE_* flags
 * @param busy_ms	how long to wait for a lock held by another process
 * @param out		the opened store
 * @param err		error details
 */
rw_status_t rw_store_open(const char *path, int flags, int busy_ms, rw_store_t **out,
						  rw_error_t *err);

/** Close a store (NULL is fine). */
void rw_store_close(rw_store_t *store);

/** Path the store was opened with. */
const char *rw_store_path(rw_store_t *store);

/**
 * Change counter of the database file: differs from the last call when another
 * connection committed a change (PRAGMA data_version).
 */
rw_status_t rw_store_data_version(rw_store_t *store, int64_t *version, rw_error_t *err);

/**
 * Start a batch: the following operations share one transaction (one commit instead
 * of one each); each operation still succeeds or fails on its own (a savepoint).
 */
rw_status_t rw_store_batch_begin(rw_store_t *store, rw_error_t *err);

/** End a batch, committing (commit true) or rolling back all of it. */
rw_status_t rw_store_batch_end(rw_store_t *store, bool commit, rw_error_t *err);

/** Clock used for all timestamps (seconds since the epoch); tests may replace it. */
typedef int64_t (*rw_clock_t)(void *ctx);
void rw_store_set_clock(rw_store_t *store, rw_clock_t clock, void *ctx);

/* ------------------------------------------------------------------------------ */
/* identities */

/** How an EAP identity is matched to a user name */
typedef struct {
	/** strip "DOMAIN\" in front of the name */
	bool strip_domain;
	/** strip "@realm" behind the name */
	bool strip_realm;
	/** compare case-insensitively (ASCII) */
	bool ignore_case;
} rw_match_t;

/** Default rule: strip the domain, keep the realm, ignore case */
#define RW_MATCH_DEFAULT ((rw_match_t){ .strip_domain = true, .ignore_case = true })

/**
 * Reduce an identity to the user name it matches under a rule.
 *
 * @param identity	identity as sent, e.g. "CORP\Alice"
 * @param rule		matching rule
 * @param out		receives the user name to look up, e.g. "alice"
 * @param outlen	size of out
 * @return			RW_OK, or RW_ERR_INVALID for an empty or too long result
 */
rw_status_t rw_identity_normalize(const char *identity, rw_match_t rule, char *out,
								  size_t outlen);

/**
 * Check a user name: 1..RW_NAME_MAX bytes of valid UTF-8, no control characters,
 * no '\' (the domain separator).
 */
rw_status_t rw_user_name_check(const char *name, rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* pools */

typedef struct {
	int64_t id;
	char name[RW_POOL_NAME_MAX + 1];
	/** first and last address handed out */
	rw_range_t range;
	/** addresses in the range (saturates at UINT64_MAX for huge IPv6 pools) */
	uint64_t size;
	/** leases currently online */
	uint64_t online;
	/** lease rows (online, offline and static reservations) */
	uint64_t leases;
	int64_t created;
} rw_pool_t;

/**
 * Add a pool. The range must not overlap another pool (RW_ERR_EXISTS).
 *
 * @param name		pool name as used in swanctl.conf "pools ="
 * @param spec		CIDR ("198.18.0.0/15", network and broadcast excluded for IPv4)
 *					or range ("198.18.0.10-198.18.0.99", "2001:db8::/64")
 */
rw_status_t rw_store_pool_add(rw_store_t *store, const char *name, const char *spec,
							  rw_error_t *err);

/** Delete a pool; refused with RW_ERR_INUSE while it has online leases unless force. */
rw_status_t rw_store_pool_del(rw_store_t *store, const char *name, bool force,
							  rw_error_t *err);

/**
 * Change a pool's range. Refused with RW_ERR_INUSE if existing leases or static
 * addresses would fall outside it, RW_ERR_EXISTS if it would overlap another pool.
 */
rw_status_t rw_store_pool_set_range(rw_store_t *store, const char *name,
									const char *spec, rw_error_t *err);

rw_status_t rw_store_pool_get(rw_store_t *store, const char *name, rw_pool_t *pool,
							  rw_error_t *err);

/** Iterate pools ordered by name; cb returns false to stop. */
rw_status_t rw_store_pool_list(rw_store_t *store,
							   bool (*cb)(const rw_pool_t *pool, void *ctx), void *ctx,
							   rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* users */

typedef struct {
	int64_t id;
	char name[RW_NAME_MAX + 1];
	uint8_t nt_hash[16];
	bool enabled;
	/** expiry time, 0 for never */
	int64_t expires;
	/** pool of the static address, "" if none */
	char pool[RW_POOL_NAME_MAX + 1];
	/** static address (family 0 if none); reserved inside pool */
	rw_addr_t static_ip;
	/** maximum concurrent sessions, 0 for no limit */
	int session_limit;
	int64_t created;
	int64_t updated;
} rw_user_t;

/** Fields rw_store_user_set() changes */
enum {
	RW_USER_NT_HASH = 1 << 0,
	RW_USER_ENABLED = 1 << 1,
	RW_USER_EXPIRES = 1 << 2,
	RW_USER_STATIC = 1 << 3,		/* pool and static_ip together */
	RW_USER_LIMIT = 1 << 4,
};

/**
 * Add a user. Name checked with rw_user_name_check(); the name is unique
 * case-insensitively. A static address must lie inside the named pool and not be
 * leased to or reserved for anybody else.
 */
rw_status_t rw_store_user_add(rw_store_t *store, const rw_user_t *user, rw_error_t *err);

/** Change the fields in mask of the user named user->name. */
rw_status_t rw_store_user_set(rw_store_t *store, const rw_user_t *user, int mask,
							  rw_error_t *err);

/** Delete a user and his static reservation; his leases become free. */
rw_status_t rw_store_user_del(rw_store_t *store, const char *name, rw_error_t *err);

/** Get a user by exact name (case-insensitive). */
rw_status_t rw_store_user_get(rw_store_t *store, const char *name, rw_user_t *user,
							  rw_error_t *err);

/** Iterate users ordered by name; cb returns false to stop. */
rw_status_t rw_store_user_list(rw_store_t *store,
							   bool (*cb)(const rw_user_t *user, void *ctx), void *ctx,
							   rw_error_t *err);

/**
 * Import users in one transaction: all or nothing.
 *
 * @param users		users to add
 * @param count		number of users
 * @param progress	called every few hundred users with (done, count), may be NULL
 * @param err		on failure names the index of the offending user in err->index
 */
rw_status_t rw_store_user_import(rw_store_t *store, const rw_user_t *users, size_t count,
								 void (*progress)(size_t done, size_t count, void *ctx),
								 void *ctx, rw_error_t *err);

/**
 * Find the user an EAP identity authenticates as, for EAP-MSCHAPv2.
 *
 * Disabled and expired users are not found (RW_ERR_DISABLED / RW_ERR_EXPIRED, with
 * the user filled in so the caller can log why). Fills the fields authentication
 * needs (id, name, NT hash, enabled, expiry, session limit), not the static address.
 */
rw_status_t rw_store_user_auth(rw_store_t *store, const char *identity, rw_match_t rule,
							   rw_user_t *user, rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* leases */

typedef struct {
	char pool[RW_POOL_NAME_MAX + 1];
	rw_addr_t address;
	/** owner, "" if the owner was deleted */
	char user[RW_NAME_MAX + 1];
	/** IKE_SAs holding it now (a reconnecting client may briefly hold it twice) */
	int online;
	/** static reservation of its owner */
	bool is_static;
	int64_t acquired;
	int64_t released;
	char gateway[RW_NAME_MAX + 1];
} rw_lease_t;

/**
 * Acquire an address for a user from one pool.
 *
 * Order: the user's static address in this pool; the address the user holds or held
 * last in this pool, if nobody else took it since (sticky, and never a second address
 * while one is online); a never used address (cursor); the address released longest
 * ago. A full pool gives RW_ERR_FULL. Session limits are checked by the caller at
 * authorization (rw_store_session_count()), where a reconnect can be told apart.
 *
 * @param pool		pool name
 * @param user		user name (as stored)
 * @param gateway	name of this gateway, recorded with the lease
 * @param address	the address acquired
 * @param usage		if not NULL, receives online/size of the pool after acquiring
 */
rw_status_t rw_store_lease_acquire(rw_store_t *store, const char *pool, const char *user,
								   const char *gateway, rw_addr_t *address, double *usage,
								   rw_error_t *err);

/** Release one hold of a lease; it stays reserved for its owner while nobody needs it. */
rw_status_t rw_store_lease_release(rw_store_t *store, const char *pool,
								   const rw_addr_t *address, rw_error_t *err);

/** Free a lease (administrative): not online any more and without owner. */
rw_status_t rw_store_lease_free(rw_store_t *store, const char *pool,
								const rw_addr_t *address, rw_error_t *err);

/** Iterate leases of a pool ("" or NULL for all), online ones only if online_only. */
rw_status_t rw_store_lease_list(rw_store_t *store, const char *pool, bool online_only,
								bool (*cb)(const rw_lease_t *lease, void *ctx), void *ctx,
								rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* sessions */

typedef enum {
	RW_END_NONE = 0,
	RW_END_CLIENT_DELETE,
	RW_END_DPD_TIMEOUT,
	RW_END_ADMIN_KILL,
	RW_END_DISABLED,
	RW_END_EXPIRED,
	RW_END_DELETED,
	RW_END_REPLACED,
	RW_END_SHUTDOWN,
	RW_END_CRASH,
	RW_END_ERROR,
} rw_end_reason_t;

/** Name of an end reason ("client-delete", "dpd-timeout", ...) */
const char *rw_end_reason_name(rw_end_reason_t reason);

typedef struct {
	int64_t id;
	char user[RW_NAME_MAX + 1];
	char ike_id[RW_NAME_MAX + 1];
	char eap_id[RW_NAME_MAX + 1];
	char remote[64];
	int remote_port;
	/** virtual IPs, comma separated */
	char vips[160];
	/** client family if known ("apple", "windows" ...), "" otherwise */
	char family[32];
	char gateway[RW_NAME_MAX + 1];
	/** charon's unique IKE_SA id on that gateway */
	uint32_t ike_sa_id;
	int64_t started;
	int64_t updated;
	/** 0 while online */
	int64_t ended;
	uint64_t bytes_in, bytes_out, packets_in, packets_out;
	rw_end_reason_t end_reason;
	/** an administrator asked to end it (rwctl session kill) */
	bool kill_requested;
} rw_session_t;

/**
 * Start a session; fills session->id. A user deleted since authenticating is recorded
 * without owner, and rw_store_session_doomed() ends that session as "deleted".
 */
rw_status_t rw_store_session_start(rw_store_t *store, rw_session_t *session,
								   rw_error_t *err);

/** Interim update of counters, virtual IPs, family and IKE_SA id (after a rekey). */
rw_status_t rw_store_session_update(rw_store_t *store, const rw_session_t *session,
									rw_error_t *err);

/** End a session with final counters. */
rw_status_t rw_store_session_end(rw_store_t *store, const rw_session_t *session,
								 rw_end_reason_t reason, rw_error_t *err);

/** Number of online sessions of a user. */
rw_status_t rw_store_session_count(rw_store_t *store, const char *user, int *count,
								   rw_error_t *err);

/** Iterate sessions: online ones (user NULL or ""), or the history of one user. */
rw_status_t rw_store_session_list(rw_store_t *store, const char *user, bool online_only,
								  bool (*cb)(const rw_session_t *s, void *ctx), void *ctx,
								  rw_error_t *err);

/** Ask the gateway to end sessions: one by id, or all of a user (id 0). */
rw_status_t rw_store_session_kill(rw_store_t *store, int64_t id, const char *user,
								  int *count, rw_error_t *err);

/**
 * Online sessions of a gateway that must end now: their user was disabled, deleted
 * or expired, or a kill was requested. cb gets the reason.
 */
rw_status_t rw_store_session_doomed(rw_store_t *store, const char *gateway,
									bool (*cb)(const rw_session_t *s,
											   rw_end_reason_t reason, void *ctx),
									void *ctx, rw_error_t *err);

/**
 * Repair after a crash of a gateway: its open sessions end as "crash", its online
 * leases are released (and stay reserved for their owners).
 *
 * @param sessions	receives the number of sessions ended, may be NULL
 * @param leases	receives the number of leases released, may be NULL
 */
rw_status_t rw_store_recover(rw_store_t *store, const char *gateway, int *sessions,
							 int *leases, rw_error_t *err);

/* ------------------------------------------------------------------------------ */
/* DNS settings of pools and users (rw_dns.h); the connection level is in
 * strongswan.conf, read by the rw-dns plugin */

typedef enum {
	RW_DNS_OF_POOL = 0,
	RW_DNS_OF_USER = 1,
} rw_dns_owner_t;

/**
 * Set one DNS field of a pool or user: list is validated with rw_dns_parse() and
 * stored in canonical form ("" stores an explicit "none"); NULL clears the field so
 * it is inherited again.
 *
 * @return RW_OK, RW_ERR_INVALID (bad value, err->msg names it), RW_ERR_NOTFOUND
 */
rw_status_t rw_store_dns_set(rw_store_t *store, rw_dns_owner_t owner, const char *name,
							 rw_dns_field_t field, const char *list, rw_error_t *err);

/**
 * DNS settings of a pool or user (by exact name for pools, case-insensitively for
 * users). Values that are invalid in the database (edited by hand) are skipped and
 * reported through skip (may be NULL).
 */
rw_status_t rw_store_dns_get(rw_store_t *store, rw_dns_owner_t owner, const char *name,
							 rw_dns_conf_t *conf,
							 void (*skip)(void *ctx, const char *msg), void *ctx,
							 rw_error_t *err);

#endif /** RW_STORE_H_ @}*/
