#include "rw_quirks_selfcheck.h"

#include <rw_quirks.h>

#include <daemon.h>
#include <credentials/certificates/x509.h>
#include <processing/jobs/callback_job.h>
#include <threading/mutex.h>

/** longest chain walked, as charon's MAX_TRUST_PATH_LEN */
#define MAX_CHAIN 7

typedef struct private_rw_quirks_selfcheck_t private_rw_quirks_selfcheck_t;

/**
 * Private data of the certificate self-check.
 */
struct private_rw_quirks_selfcheck_t {

	/**
	 * Public interface.
	 */
	rw_quirks_selfcheck_t public;

	/**
	 * Seconds between checks.
	 */
	u_int interval;

	/**
	 * Hash of the last findings, to log changes only.
	 */
	u_int last;

	/**
	 * Checked at least once.
	 */
	bool checked;

	/**
	 * Owner and scheduled job.
	 */
	refcount_t refs;

	/**
	 * Destroyed by the owner, the job stops.
	 */
	bool stopped;

	/**
	 * Serializes checks (job and check()).
	 */
	mutex_t *mutex;
};

/**
 * Find a certificate that issued cert among those the gateway holds
 */
static certificate_t *find_issuer(certificate_t *cert)
{
	enumerator_t *enumerator;
	certificate_t *candidate, *issuer = NULL;

	enumerator = lib->credmgr->create_cert_enumerator(lib->credmgr, CERT_X509,
									KEY_ANY, cert->get_issuer(cert), FALSE);
	while (enumerator->enumerate(enumerator, &candidate))
	{
		if (!candidate->equals(candidate, cert) &&
			cert->issued_by(cert, candidate, NULL))
		{
			issuer = candidate->get_ref(candidate);
			break;
		}
	}
	enumerator->destroy(enumerator);
	return issuer;
}

/**
 * Can the gateway build the chain up to a self-signed root, as charon's
 * build_trustchain() does to send the intermediate CA certificates?
 */
static bool chain_complete(certificate_t *cert)
{
	certificate_t *current, *issuer;
	bool complete = FALSE;
	int i;

	current = cert->get_ref(cert);
	for (i = 0; i <= MAX_CHAIN; i++)
	{
		if (current->issued_by(current, current, NULL))
		{
			complete = TRUE;
			break;
		}
		issuer = find_issuer(current);
		current->destroy(current);
		current = issuer;
		if (!current)
		{
			break;
		}
	}
	DESTROY_IF(current);
	return complete;
}

static bool san_matches(certificate_t *cert, identification_t *id)
{
	enumerator_t *enumerator;
	identification_t *san;
	bool found = FALSE;

	if (cert->get_type(cert) != CERT_X509 || !id)
	{
		return FALSE;
	}
	enumerator = ((x509_t*)cert)->create_subjectAltName_enumerator((x509_t*)cert);
	while (!found && enumerator->enumerate(enumerator, &san))
	{
		found = san->equals(san, id);
	}
	enumerator->destroy(enumerator);
	return found;
}

/**
 * Check one certificate of a connection, log the findings into buf
 */
static u_int check_cert(peer_cfg_t *peer_cfg, certificate_t *cert,
						identification_t *id, bool log)
{
	rw_cert_facts_t facts = {};
	unsigned problems[8] = {}, bit;
	char families[256];
	const char *family;
	u_int count = 0;
	int i, len;

	if (!id)
	{
		id = cert->get_subject(cert);
	}
	facts.san_matches_id = san_matches(cert, id);
	facts.server_auth = cert->get_type(cert) == CERT_X509 &&
				(((x509_t*)cert)->get_flags((x509_t*)cert) & X509_SERVER_AUTH);
	facts.chain_complete = chain_complete(cert);

	for (i = 0; i < countof(problems) && (family = rw_quirks_cert_family(i)); i++)
	{
		problems[i] = rw_quirks_cert_problems(family, &facts);
		if (problems[i])
		{
			count++;
		}
	}
	if (!log)
	{
		return count;
	}
	if (!count)
	{
		DBG1(DBG_CFG, "rw-quirks: certificate \"%Y\" of connection '%s' (identity "
			 "'%Y'): every client family accepts it", cert->get_subject(cert),
			 peer_cfg->get_name(peer_cfg), id);
		return 0;
	}
	/* one line per problem, with the families it affects */
	for (bit = RW_CERT_NO_SAN; bit <= RW_CERT_CHAIN_INCOMPLETE; bit <<= 1)
	{
		families[0] = '\0';
		len = 0;
		for (i = 0; i < countof(problems) && (family = rw_quirks_cert_family(i));
			 i++)
		{
			if ((problems[i] & bit) && len < sizeof(families))
			{
				len += snprintf(families + len, sizeof(families) - len, "%s%s",
								len ? ", " : "", family);
			}
		}
		if (families[0])
		{
			DBG1(DBG_CFG, "rw-quirks: WARNING: certificate \"%Y\" of connection "
				 "'%s' (identity '%Y') would be rejected by %s clients: %s",
				 cert->get_subject(cert), peer_cfg->get_name(peer_cfg), id,
				 families, rw_quirks_cert_problem_str(bit));
		}
	}
	return count;
}

/**
 * Enumerate the gateway's certificates per connection; with log == FALSE only
 * compute the hash of what would be logged
 */
static u_int run(private_rw_quirks_selfcheck_t *this, bool log, u_int *hash)
{
	enumerator_t *enumerator, *auths, *rules;
	peer_cfg_t *peer_cfg;
	auth_cfg_t *auth;
	auth_rule_t rule;
	certificate_t *cert;
	identification_t *id;
	chunk_t encoding;
	void *value;
	u_int count = 0, problems;

	*hash = 0;
	enumerator = charon->backends->create_peer_cfg_enumerator(charon->backends,
											NULL, NULL, NULL, NULL, IKEV2);
	while (enumerator->enumerate(enumerator, &peer_cfg))
	{
		auths = peer_cfg->create_auth_cfg_enumerator(peer_cfg, TRUE);
		while (auths->enumerate(auths, &auth))
		{
			if ((uintptr_t)auth->get(auth, AUTH_RULE_AUTH_CLASS) != AUTH_CLASS_PUBKEY)
			{
				continue;
			}
			id = auth->get(auth, AUTH_RULE_IDENTITY);
			rules = auth->create_enumerator(auth);
			while (rules->enumerate(rules, &rule, &value))
			{
				if (rule != AUTH_RULE_SUBJECT_CERT)
				{
					continue;
				}
				cert = value;
				problems = check_cert(peer_cfg, cert, id, log);
				count += problems;
				/* what is logged depends on these, and on the chain the gateway
				 * holds: a CA loaded or removed changes the problems */
				*hash = chunk_hash_inc(chunk_from_str(peer_cfg->get_name(peer_cfg)),
									   *hash);
				if (cert->get_encoding(cert, CERT_ASN1_DER, &encoding))
				{
					*hash = chunk_hash_inc(encoding, *hash);
					chunk_free(&encoding);
				}
				if (id)
				{
					*hash = chunk_hash_inc(id->get_encoding(id), *hash);
				}
				*hash = chunk_hash_inc(chunk_from_thing(problems), *hash);
			}
			rules->destroy(rules);
		}
		auths->destroy(auths);
	}
	enumerator->destroy(enumerator);
	return count;
}

METHOD(rw_quirks_selfcheck_t, check, u_int,
	private_rw_quirks_selfcheck_t *this)
{
	u_int count, hash;

	this->mutex->lock(this->mutex);
	count = run(this, FALSE, &hash);
	if (!this->checked || hash != this->last)
	{
		if (hash)
		{	/* nothing to say while no connection with a certificate is loaded */
			run(this, TRUE, &hash);
		}
		this->last = hash;
		this->checked = TRUE;
	}
	this->mutex->unlock(this->mutex);
	return count;
}

static void release(private_rw_quirks_selfcheck_t *this)
{
	if (ref_put(&this->refs))
	{
		this->mutex->destroy(this->mutex);
		free(this);
	}
}

static job_requeue_t check_job(private_rw_quirks_selfcheck_t *this)
{
	if (this->stopped)
	{
		return JOB_REQUEUE_NONE;
	}
	check(this);
	return JOB_RESCHEDULE(this->interval);
}

METHOD(rw_quirks_selfcheck_t, destroy, void,
	private_rw_quirks_selfcheck_t *this)
{
	this->stopped = TRUE;
	release(this);
}

/*
 * Described in header
 */
rw_quirks_selfcheck_t *rw_quirks_selfcheck_create(u_int interval)
{
	private_rw_quirks_selfcheck_t *this;

	INIT(this,
		.public = {
			.check = _check,
			.destroy = _destroy,
		},
		.interval = interval,
		.refs = 1,
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
	);

	if (interval)
	{
		ref_get(&this->refs);
		lib->scheduler->schedule_job(lib->scheduler, (job_t*)
				callback_job_create((callback_job_cb_t)check_job, this,
									(callback_job_cleanup_t)release,
									(callback_job_cancel_t)return_false), 1);
	}
	return &this->public;
}
