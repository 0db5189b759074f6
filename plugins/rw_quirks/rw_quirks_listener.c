#include "rw_quirks_listener.h"
#include "rw_quirks_fill.h"

#include <daemon.h>
#include <collections/hashtable.h>
#include <encoding/payloads/notify_payload.h>
#include <encoding/payloads/sa_payload.h>
#include <encoding/payloads/ts_payload.h>
#include <processing/jobs/callback_job.h>
#include <processing/jobs/rekey_ike_sa_job.h>
#include <sa/ikev2/tasks/ike_dpd.h>
#include <threading/mutex.h>

typedef struct private_rw_quirks_listener_t private_rw_quirks_listener_t;

/**
 * Private data of the rw-quirks listener.
 */
struct private_rw_quirks_listener_t {

	/**
	 * Public interface.
	 */
	rw_quirks_listener_t public;

	/**
	 * Classifier with built-in and configured rules.
	 */
	const rw_classifier_t *classifier;

	/**
	 * Quirks per family.
	 */
	const rw_quirk_table_t *table;

	/**
	 * Clients by IKE_SA unique id, client_t.
	 */
	hashtable_t *clients;

	/**
	 * Protects clients (the registry is read from other threads).
	 */
	mutex_t *mutex;

	/**
	 * Owner and pending DPD jobs.
	 */
	refcount_t refs;

	/**
	 * Destroyed by the owner: DPD jobs stop.
	 */
	bool stopped;
};

/** what was logged for an IKE_SA already: each quirk once per IKE_SA */
enum {
	LOGGED_FAMILY = 1 << 0,
	LOGGED_SHAPE_IKE = 1 << 1,
	LOGGED_SHAPE_ESP = 1 << 2,
	LOGGED_KEEP_OFFER = 1 << 3,
	LOGGED_LEGACY = 1 << 4,
	LOGGED_CERT = 1 << 5,
	LOGGED_DPD_NATD = 1 << 6,
	LOGGED_V6_ROUTE = 1 << 7,
	LOGGED_REAUTH = 1 << 8,
	LOGGED_DPD = 1 << 9,
};

/**
 * State of one IKE_SA's client. Changed only by the thread that has the IKE_SA
 * checked out, under the mutex.
 */
typedef struct {
	/** IKE_SA unique id */
	uint32_t id;
	/** latest classification */
	rw_cl_result_t result;
	/** IKE_SA_INIT request, kept until IKE_AUTH is classified */
	rw_cl_msg_t *init;
	/** IKE_AUTH request classified */
	bool auth_done;
	/** the client's last TSr covered ::/0 */
	bool tsr_full6;
	/** LOGGED_* */
	u_int logged;
	/** a DPD job runs for this IKE_SA */
	bool dpd_job;
} client_t;

static void client_destroy(client_t *client)
{
	free(client->init);
	free(client);
}

/**
 * Find the client of an IKE_SA, create it if asked. Call with the mutex held.
 */
static client_t *get_client(private_rw_quirks_listener_t *this, uint32_t id,
							bool create)
{
	client_t *client;

	client = this->clients->get(this->clients, (void*)(uintptr_t)id);
	if (!client && create)
	{
		INIT(client,
			.id = id,
		);
		snprintf(client->result.family, sizeof(client->result.family), "unknown");
		this->clients->put(this->clients, (void*)(uintptr_t)id, client);
	}
	return client;
}

/**
 * Should this quirk be logged for the client now? Marks it logged.
 */
static bool log_once(client_t *client, u_int what)
{
	if (client->logged & what)
	{
		return FALSE;
	}
	client->logged |= what;
	return TRUE;
}

static const rw_quirks_t *quirks_of(private_rw_quirks_listener_t *this,
									client_t *client)
{
	return rw_quirk_table_get(this->table, client->result.family);
}

/**
 * Flags charon's ike_init/child_create use to select a proposal
 */
static proposal_selection_flag_t selection_flags(ike_sa_t *ike_sa)
{
	proposal_selection_flag_t flags = 0;

	if (!ike_sa->supports_extension(ike_sa, EXT_STRONGSWAN) &&
		!lib->settings->get_bool(lib->settings, "%s.accept_private_algs", FALSE,
								 lib->ns))
	{
		flags |= PROPOSAL_SKIP_PRIVATE;
	}
	if (!lib->settings->get_bool(lib->settings, "%s.prefer_configured_proposals",
								 TRUE, lib->ns))
	{
		flags |= PROPOSAL_PREFER_SUPPLIED;
	}
	return flags;
}

/**
 * Does a configured proposal match an offered one? proposal_select() would log
 * "selected proposal" for a selection that is not charon's, so match quietly.
 */
static bool any_match(linked_list_t *configured, linked_list_t *offered,
					  proposal_selection_flag_t flags)
{
	enumerator_t *mine, *theirs;
	proposal_t *conf, *offer;
	bool match = FALSE;

	mine = configured->create_enumerator(configured);
	while (!match && mine->enumerate(mine, &conf))
	{
		theirs = offered->create_enumerator(offered);
		while (!match && theirs->enumerate(theirs, &offer))
		{
			match = conf->matches(conf, offer, flags);
		}
		theirs->destroy(theirs);
	}
	mine->destroy(mine);
	return match;
}

static bool ike_cfg_matches(ike_cfg_t *ike_cfg, linked_list_t *offered,
							proposal_selection_flag_t flags)
{
	linked_list_t *configured;
	bool match;

	configured = ike_cfg->get_proposals(ike_cfg);
	match = any_match(configured, offered, flags);
	configured->destroy_offset(configured, offsetof(proposal_t, destroy));
	return match;
}

static bool peer_cfg_matches(peer_cfg_t *peer_cfg, linked_list_t *offered,
							 proposal_selection_flag_t flags, bool skip_ke)
{
	enumerator_t *children;
	child_cfg_t *child_cfg;
	linked_list_t *configured;
	bool match = FALSE;

	children = peer_cfg->create_child_cfg_enumerator(peer_cfg);
	while (!match && children->enumerate(children, &child_cfg))
	{
		configured = child_cfg->get_proposals(child_cfg, skip_ke);
		match = any_match(configured, offered, flags);
		configured->destroy_offset(configured, offsetof(proposal_t, destroy));
	}
	children->destroy(children);
	return match;
}

/**
 * Would any configuration accept one of these proposals?
 */
static bool acceptable(ike_sa_t *ike_sa, message_t *message, linked_list_t *proposals,
					   bool ike)
{
	proposal_selection_flag_t flags;
	enumerator_t *enumerator;
	ike_cfg_t *ike_cfg;
	peer_cfg_t *peer_cfg;
	bool match = FALSE, skip_ke;

	flags = selection_flags(ike_sa);
	if (ike)
	{
		ike_cfg = ike_sa->get_ike_cfg(ike_sa);
		match = ike_cfg && ike_cfg_matches(ike_cfg, proposals, flags);
		if (!match && ike_sa->get_state(ike_sa) == IKE_CREATED)
		{	/* charon tries the other configs for these addresses, as we do */
			enumerator = charon->backends->create_ike_cfg_enumerator(
							charon->backends, message->get_destination(message),
							message->get_source(message), IKEV2);
			while (!match && enumerator->enumerate(enumerator, &ike_cfg))
			{
				match = ike_cfg_matches(ike_cfg, proposals, flags);
			}
			enumerator->destroy(enumerator);
		}
		return match;
	}
	/* IKE_AUTH creates the CHILD_SA without key exchange */
	skip_ke = message->get_exchange_type(message) == IKE_AUTH;
	if (skip_ke)
	{
		flags |= PROPOSAL_SKIP_KE;
	}
	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	if (peer_cfg)
	{	/* CREATE_CHILD_SA: the IKE_SA's own config */
		return peer_cfg_matches(peer_cfg, proposals, flags, skip_ke);
	}
	/* IKE_AUTH: the config is not selected yet, try every candidate */
	enumerator = charon->backends->create_peer_cfg_enumerator(charon->backends,
							message->get_destination(message),
							message->get_source(message), NULL, NULL, IKEV2);
	while (!match && enumerator->enumerate(enumerator, &peer_cfg))
	{
		match = peer_cfg_matches(peer_cfg, proposals, flags, skip_ke);
	}
	enumerator->destroy(enumerator);
	return match;
}

/**
 * The proposals of the shaped offer, numbers and SPIs kept
 */
static linked_list_t *shaped_proposals(linked_list_t *proposals, rw_shape_t *shape)
{
	static const transform_type_t types[] = {
		ENCRYPTION_ALGORITHM, INTEGRITY_ALGORITHM, PSEUDO_RANDOM_FUNCTION,
		KEY_EXCHANGE_METHOD, EXTENDED_SEQUENCE_NUMBERS,
	};
	enumerator_t *enumerator, *transforms;
	proposal_t *proposal, *shaped;
	linked_list_t *list;
	uint16_t alg, keylen;
	int i, n = 0;

	list = linked_list_create();
	enumerator = proposals->create_enumerator(proposals);
	while (enumerator->enumerate(enumerator, &proposal))
	{
		if (n >= RW_CL_MAX_PROPOSALS || !shape->keep[n++])
		{
			continue;
		}
		shaped = proposal_create(proposal->get_protocol(proposal),
								 proposal->get_number(proposal));
		shaped->set_spi(shaped, proposal->get_spi(proposal));
		for (i = 0; i < countof(types); i++)
		{
			transforms = proposal->create_enumerator(proposal, types[i]);
			while (transforms->enumerate(transforms, &alg, &keylen))
			{
				rw_cl_transform_t t = {
					.type = types[i],
					.id = alg,
					.keylen = keylen,
				};

				if (rw_shape_keep_transform(shape, &t))
				{
					shaped->add_algorithm(shaped, types[i], alg, keylen);
				}
			}
			transforms->destroy(transforms);
		}
		list->insert_last(list, shaped);
	}
	enumerator->destroy(enumerator);
	return list;
}

/**
 * Replace the SA payload of a parsed request, keeping the payload order
 */
static void replace_sa_payload(message_t *message, sa_payload_t *old,
							   sa_payload_t *new)
{
	enumerator_t *enumerator;
	linked_list_t *tail;
	payload_t *payload;
	bool found = FALSE;

	tail = linked_list_create();
	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload == &old->payload_interface)
		{
			found = TRUE;
		}
		if (found)
		{
			message->remove_payload_at(message, enumerator);
			if (payload == &old->payload_interface)
			{
				payload->destroy(payload);
				payload = &new->payload_interface;
			}
			tail->insert_last(tail, payload);
		}
	}
	enumerator->destroy(enumerator);
	while (tail->remove_first(tail, (void**)&payload) == SUCCESS)
	{
		message->add_payload(message, payload);
	}
	tail->destroy(tail);
}

/**
 * The shaping decision on every transform of the offer: charon's default proposals
 * have more transforms than the classifier's description holds
 */
static void decide(const rw_quirks_t *q, linked_list_t *proposals, bool allow_reject,
				   rw_shape_t *decision)
{
	rw_shape_proposal_t offer[RW_CL_MAX_PROPOSALS];
	rw_cl_transform_t *transforms[RW_CL_MAX_PROPOSALS];
	enumerator_t *enumerator;
	proposal_t *proposal;
	int i, n = 0;

	if (proposals->get_count(proposals) > RW_CL_MAX_PROPOSALS)
	{	/* more than any client sends: stock behaviour */
		rw_quirks_shape_offer(q, NULL, proposals->get_count(proposals), allow_reject,
							  decision);
		return;
	}
	enumerator = proposals->create_enumerator(proposals);
	while (enumerator->enumerate(enumerator, &proposal))
	{
		transforms[n] = rw_quirks_fill_transforms(proposal,
												  &offer[n].n_transforms);
		offer[n].transforms = transforms[n];
		n++;
	}
	enumerator->destroy(enumerator);
	rw_quirks_shape_offer(q, offer, n, allow_reject, decision);
	for (i = 0; i < n; i++)
	{
		free(transforms[i]);
	}
}

/**
 * Shape the SA payload of a client's request for the quirks of its family.
 */
static void shape(private_rw_quirks_listener_t *this, ike_sa_t *ike_sa,
				  message_t *message, client_t *client)
{
	const rw_quirks_t *q;
	sa_payload_t *sa;
	linked_list_t *proposals, *shaped;
	proposal_t *first;
	rw_shape_t decision;
	bool ike, init;
	u_int what;

	sa = (sa_payload_t*)message->get_payload(message, PLV2_SECURITY_ASSOCIATION);
	if (!sa)
	{
		return;
	}
	proposals = sa->get_proposals(sa);
	if (proposals->get_first(proposals, (void**)&first) != SUCCESS)
	{
		proposals->destroy(proposals);
		return;
	}
	q = quirks_of(this, client);
	ike = first->get_protocol(first) == PROTO_IKE;
	if (!ike && !q->shape_esp)
	{
		proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));
		return;
	}
	init = message->get_exchange_type(message) == IKE_SA_INIT;
	decide(q, proposals, init, &decision);
	if (decision.action == RW_SHAPE_KEEP)
	{
		proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));
		return;
	}
	what = ike ? LOGGED_SHAPE_IKE : LOGGED_SHAPE_ESP;
	shaped = shaped_proposals(proposals, &decision);

	if (decision.action == RW_SHAPE_STRIP &&
		!acceptable(ike_sa, message, shaped, ike) &&
		acceptable(ike_sa, message, proposals, ike))
	{	/* never turn a working client away because the gateway lacks the stronger
		 * proposals it also offers */
		if (log_once(client, LOGGED_KEEP_OFFER))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client %H offers stronger %s algorithms "
				 "than the gateway accepts, keeping its offer; configure stronger "
				 "proposals", client->result.family, message->get_source(message),
				 ike ? "IKE" : "ESP");
		}
	}
	else
	{
		replace_sa_payload(message, sa, sa_payload_create_from_proposals_v2(shaped));
		if (log_once(client, what))
		{
			if (decision.action == RW_SHAPE_REJECT)
			{
				DBG1(DBG_CFG, "rw-quirks: %s client %H offers only legacy "
					 "algorithms, which this family may not use (option legacy): "
					 "rejecting its offer", client->result.family,
					 message->get_source(message));
			}
			else
			{
				DBG1(DBG_CFG, "rw-quirks: %s client %H: removed %u %s transform(s)"
					 " and %u proposal(s) (%s%s%s) from its %s offer, %u "
					 "proposal(s) left", client->result.family,
					 message->get_source(message), decision.removed_transforms,
					 ike ? "IKE" : "ESP", decision.removed_proposals,
					 decision.drop_legacy ? "legacy" : "",
					 decision.drop_legacy && decision.drop_modp1536 ? ", " : "",
					 decision.drop_modp1536 ? "MODP_1536" : "",
					 ike ? "IKE" : "ESP", decision.left);
			}
		}
	}
	shaped->destroy_offset(shaped, offsetof(proposal_t, destroy));
	proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));
}

/**
 * Remember whether the client's TSr covers ::/0
 */
static void note_tsr(client_t *client, rw_cl_msg_t *msg)
{
	int i;

	if (!msg->n_tsr)
	{
		return;
	}
	client->tsr_full6 = FALSE;
	for (i = 0; i < msg->n_tsr && i < RW_CL_MAX_TS; i++)
	{
		if (msg->tsr[i].type == TS_IPV6_ADDR_RANGE && msg->tsr[i].full)
		{
			client->tsr_full6 = TRUE;
		}
	}
}


/**
 * Classify the client from what it sent so far and store the result
 */
static void classify(private_rw_quirks_listener_t *this, client_t *client,
					 rw_cl_msg_t *init, rw_cl_msg_t *auth)
{
	rw_cl_result_t result = {};
	rw_cl_input_t *in;

	INIT(in);
	if (init)
	{
		in->have_init = TRUE;
		memcpy(&in->init, init, sizeof(in->init));
	}
	if (auth)
	{
		in->have_auth = TRUE;
		memcpy(&in->auth, auth, sizeof(in->auth));
	}
	rw_classify(this->classifier, in, &result);
	free(in);
	/* the classifier's strings are terminated, make sure of it anyway: they go to
	 * logs and to the other plugins */
	result.family[sizeof(result.family) - 1] = '\0';
	result.hint[sizeof(result.hint) - 1] = '\0';
	if (!result.family[0])
	{
		snprintf(result.family, sizeof(result.family), "unknown");
	}
	this->mutex->lock(this->mutex);
	client->result = result;
	this->mutex->unlock(this->mutex);
}

/**
 * IKE_SA_INIT request: first classification, IKE proposal shaping
 */
static void on_init(private_rw_quirks_listener_t *this, ike_sa_t *ike_sa,
					message_t *message)
{
	rw_cl_msg_t *msg;
	client_t *client;
	bool complete;

	INIT(msg);
	rw_quirks_fill_msg(message, msg, &complete);

	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), TRUE);
	free(client->init);
	client->init = msg;
	client->auth_done = FALSE;
	this->mutex->unlock(this->mutex);

	classify(this, client, msg, NULL);
	DBG2(DBG_CFG, "rw-quirks: IKE_SA_INIT of %H looks like %s (%s%sconfidence "
		 "%u%%)", message->get_source(message), client->result.family,
		 client->result.hint, client->result.hint[0] ? ", " : "",
		 client->result.confidence);
	shape(this, ike_sa, message, client);
}

/**
 * IKE_SA_INIT response: tell the operator when a client ends up on legacy
 */
static void on_init_response(private_rw_quirks_listener_t *this, ike_sa_t *ike_sa,
							 message_t *message)
{
	rw_cl_proposal_t selected;
	linked_list_t *proposals;
	proposal_t *proposal;
	sa_payload_t *sa;
	client_t *client;
	bool legacy = FALSE;

	sa = (sa_payload_t*)message->get_payload(message, PLV2_SECURITY_ASSOCIATION);
	if (!sa)
	{
		return;
	}
	proposals = sa->get_proposals(sa);
	if (proposals->get_first(proposals, (void**)&proposal) == SUCCESS)
	{
		rw_quirks_fill_proposal(proposal, &selected);
		legacy = rw_cl_proposal_is_legacy(&selected);
	}
	if (legacy)
	{
		this->mutex->lock(this->mutex);
		client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
		if (client && log_once(client, LOGGED_LEGACY))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client %H ends up on legacy algorithms "
				 "(%P): %s", client->result.family, message->get_destination(message),
				 proposal, rw_quirks_legacy_hint(client->result.family));
		}
		this->mutex->unlock(this->mutex);
	}
	proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));
}

/**
 * First IKE_AUTH request: final classification, certificate without CERTREQ,
 * ESP proposal shaping
 */
static void on_auth(private_rw_quirks_listener_t *this, ike_sa_t *ike_sa,
					message_t *message)
{
	const rw_quirks_t *q;
	rw_cl_msg_t *msg, *init;
	client_t *client;
	bool complete;

	if (!message->get_payload(message, PLV2_ID_INITIATOR))
	{	/* a later round (EAP): classified already */
		return;
	}
	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), TRUE);
	init = client->init;
	client->init = NULL;
	this->mutex->unlock(this->mutex);
	if (client->auth_done)
	{
		free(init);
		return;
	}

	INIT(msg);
	rw_quirks_fill_msg(message, msg, &complete);
	classify(this, client, init, msg);
	free(init);
	client->auth_done = TRUE;
	note_tsr(client, msg);
	q = quirks_of(this, client);

	if (log_once(client, LOGGED_FAMILY))
	{
		DBG1(DBG_CFG, "rw-quirks: client %H of IKE_SA #%u is %s (%s%sconfidence "
			 "%u%%)", message->get_source(message), client->id,
			 client->result.family, client->result.hint,
			 client->result.hint[0] ? ", " : "", client->result.confidence);
	}
	if (q->send_cert && msg->n_certreq == 0 &&
		!ike_sa->has_condition(ike_sa, COND_CERTREQ_SEEN))
	{	/* what ike_cert_pre sets for a CERTREQ: send_cert = ifasked then sends the
		 * certificate and the intermediate CA certificates of its trust chain */
		ike_sa->set_condition(ike_sa, COND_CERTREQ_SEEN, TRUE);
		if (log_once(client, LOGGED_CERT))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client %H sent no CERTREQ, sending the "
				 "certificate and its chain anyway", client->result.family,
				 message->get_source(message));
		}
	}
	shape(this, ike_sa, message, client);
	free(msg);
}

/**
 * CREATE_CHILD_SA request: shaping of rekeys and new CHILD_SAs, traffic selectors
 */
static void on_create_child(private_rw_quirks_listener_t *this, ike_sa_t *ike_sa,
							message_t *message)
{
	rw_cl_msg_t *msg;
	client_t *client;
	bool complete;

	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
	this->mutex->unlock(this->mutex);
	if (!client)
	{
		return;
	}
	INIT(msg);
	rw_quirks_fill_msg(message, msg, &complete);
	note_tsr(client, msg);
	shape(this, ike_sa, message, client);
	free(msg);
}

/**
 * Outgoing INFORMATIONAL request: a DPD (nothing but NAT-D notifies) goes without
 * NAT-D to families that ignore such DPDs
 */
static void on_informational_out(private_rw_quirks_listener_t *this,
								  ike_sa_t *ike_sa, message_t *message)
{
	enumerator_t *enumerator;
	notify_payload_t *notify;
	payload_t *payload;
	client_t *client;
	u_int natd = 0;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) != PLV2_NOTIFY)
		{	/* DELETE, CP ...: not a DPD */
			enumerator->destroy(enumerator);
			return;
		}
		notify = (notify_payload_t*)payload;
		switch (notify->get_notify_type(notify))
		{
			case NAT_DETECTION_SOURCE_IP:
			case NAT_DETECTION_DESTINATION_IP:
				natd++;
				break;
			default:
				/* UPDATE_SA_ADDRESSES, COOKIE2 ...: a MOBIKE update needs them */
				enumerator->destroy(enumerator);
				return;
		}
	}
	enumerator->destroy(enumerator);
	if (!natd)
	{
		return;
	}

	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
	if (client && quirks_of(this, client)->dpd_without_natd)
	{
		enumerator = message->create_payload_enumerator(message);
		while (enumerator->enumerate(enumerator, &payload))
		{
			message->remove_payload_at(message, enumerator);
			payload->destroy(payload);
		}
		enumerator->destroy(enumerator);
		if (log_once(client, LOGGED_DPD_NATD))
		{
			DBG1(DBG_IKE, "rw-quirks: %s client %H: removed %u NAT-D notifies from "
				 "a DPD request (iOS 9/10 do not answer those)",
				 client->result.family, message->get_destination(message), natd);
		}
	}
	this->mutex->unlock(this->mutex);
}

METHOD(listener_t, message_hook, bool,
	private_rw_quirks_listener_t *this, ike_sa_t *ike_sa, message_t *message,
	bool incoming, bool plain)
{
	if (!plain || !ike_sa || ike_sa->get_version(ike_sa) != IKEV2)
	{
		return TRUE;
	}
	if (incoming && message->get_request(message))
	{
		switch (message->get_exchange_type(message))
		{
			case IKE_SA_INIT:
				on_init(this, ike_sa, message);
				break;
			case IKE_AUTH:
				on_auth(this, ike_sa, message);
				break;
			case CREATE_CHILD_SA:
				on_create_child(this, ike_sa, message);
				break;
			default:
				break;
		}
	}
	else if (!incoming)
	{
		if (message->get_request(message) &&
			message->get_exchange_type(message) == INFORMATIONAL)
		{
			on_informational_out(this, ike_sa, message);
		}
		else if (!message->get_request(message) &&
				 message->get_exchange_type(message) == IKE_SA_INIT)
		{
			on_init_response(this, ike_sa, message);
		}
	}
	return TRUE;
}

/**
 * Does the IKE_SA's client have an IPv6 virtual IP?
 */
static bool has_ipv6_vip(ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	host_t *vip;
	bool found = FALSE;

	enumerator = ike_sa->create_virtual_ip_enumerator(ike_sa, FALSE);
	while (!found && enumerator->enumerate(enumerator, &vip))
	{
		found = vip->get_family(vip) == AF_INET6;
	}
	enumerator->destroy(enumerator);
	return found;
}

static bool has_full_ipv6(linked_list_t *list)
{
	enumerator_t *enumerator;
	traffic_selector_t *ts;
	bool found = FALSE;

	enumerator = list->create_enumerator(list);
	while (!found && enumerator->enumerate(enumerator, &ts))
	{
		found = ts->get_type(ts) == TS_IPV6_ADDR_RANGE && rw_quirks_ts_is_full(ts);
	}
	enumerator->destroy(enumerator);
	return found;
}

/**
 * Does the operator allow ::/0 on the gateway's side of the CHILD_SA: do the local
 * traffic selectors configured for it cover the whole IPv6 space (any protocol and
 * port)?
 */
static bool config_allows_full_ipv6(child_sa_t *child_sa)
{
	traffic_selector_t *full, *ts;
	enumerator_t *enumerator;
	child_cfg_t *cfg;
	linked_list_t *list;
	bool allowed = FALSE;

	cfg = child_sa->get_config(child_sa);
	if (!cfg)
	{
		return FALSE;
	}
	full = traffic_selector_create_from_cidr("::/0", 0, 0, 65535);
	list = cfg->get_traffic_selectors(cfg, TRUE, NULL, NULL, FALSE);
	enumerator = list->create_enumerator(list);
	while (!allowed && enumerator->enumerate(enumerator, &ts))
	{
		allowed = !ts->is_dynamic(ts) && full->is_contained_in(full, ts);
	}
	enumerator->destroy(enumerator);
	list->destroy_offset(list, offsetof(traffic_selector_t, destroy));
	full->destroy(full);
	return allowed;
}

METHOD(listener_t, narrow, bool,
	private_rw_quirks_listener_t *this, ike_sa_t *ike_sa, child_sa_t *child_sa,
	narrow_hook_t type, linked_list_t *local, linked_list_t *remote)
{
	const rw_quirks_t *q;
	client_t *client;

	/* the responder's selectors of IKE_AUTH and CREATE_CHILD_SA, and what the
	 * gateway proposes when it rekeys the CHILD_SA itself */
	if ((type != NARROW_RESPONDER && type != NARROW_INITIATOR_PRE_AUTH) ||
		has_full_ipv6(local))
	{
		return TRUE;
	}
	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
	q = client ? quirks_of(this, client) : NULL;
	if (!q || q->ipv6_default_route == RW_V6_ROUTE_OFF || !has_ipv6_vip(ike_sa))
	{
		this->mutex->unlock(this->mutex);
		return TRUE;
	}
	if (q->ipv6_default_route == RW_V6_ROUTE_WARN)
	{
		if (log_once(client, LOGGED_V6_ROUTE))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client of IKE_SA #%u has an IPv6 virtual "
				 "IP but CHILD_SA %s has no ::/0 in local_ts: it will install no "
				 "IPv6 routes", client->result.family, client->id,
				 child_sa->get_name(child_sa));
		}
	}
	else if (!client->tsr_full6)
	{	/* never more than the client proposed, on its CHILD_SAs and on the
		 * gateway's rekeyings of them */
		if (log_once(client, LOGGED_V6_ROUTE))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client of IKE_SA #%u did not propose ::/0, "
				 "not adding it", client->result.family, client->id);
		}
	}
	else
	{	/* the point of the quirk: ::/0 for this client alone, where the operator
		 * would otherwise have to allow it to everybody (warn keeps local_ts) */
		local->insert_last(local,
						   traffic_selector_create_from_cidr("::/0", 0, 0, 65535));
		if (log_once(client, LOGGED_V6_ROUTE))
		{
			DBG1(DBG_CFG, "rw-quirks: %s client of IKE_SA #%u has an IPv6 virtual "
				 "IP, added ::/0 to the local traffic selectors of CHILD_SA %s%s",
				 client->result.family, client->id, child_sa->get_name(child_sa),
				 config_allows_full_ipv6(child_sa) ? "" : " (beyond its local_ts; "
				 "ipv6_default_route = warn keeps to them)");
		}
	}
	this->mutex->unlock(this->mutex);
	return TRUE;
}

/**
 * Never reauthenticate: drop the scheduled reauthentication (no AUTH_LIFETIME to
 * the client, nothing inherited by a rekeyed IKE_SA) and rekey before it instead.
 * The reauthentication job charon scheduled finds a rekeyed IKE_SA gone; if it
 * still runs, a responder with virtual IPs or EAP only logs (ike_sa.c reauth()).
 */
static void avoid_reauth(client_t *client, ike_sa_t *ike_sa)
{
	uint32_t reauth, rekey, now, delay, margin;

	reauth = ike_sa->get_statistic(ike_sa, STAT_REAUTH);
	if (!reauth)
	{
		return;
	}
	now = time_monotonic(NULL);
	ike_sa->set_statistic(ike_sa, STAT_REAUTH, 0);
	rekey = ike_sa->get_statistic(ike_sa, STAT_REKEY);
	delay = reauth > now ? reauth - now : 0;
	margin = min(60, delay / 10);
	if (!rekey || rekey + margin >= reauth)
	{
		delay = max(1, delay - margin);
		lib->scheduler->schedule_job(lib->scheduler,
				(job_t*)rekey_ike_sa_job_create(ike_sa->get_id(ike_sa), FALSE), delay);
		ike_sa->set_statistic(ike_sa, STAT_REKEY, now + delay);
	}
	else
	{
		delay = rekey > now ? rekey - now : 0;
	}
	if (log_once(client, LOGGED_REAUTH))
	{
		DBG1(DBG_IKE, "rw-quirks: %s client of IKE_SA #%u: no reauthentication, "
			 "rekeying in %us instead", client->result.family, client->id, delay);
	}
}

/**
 * Data of the DPD job of an IKE_SA
 */
typedef struct {
	private_rw_quirks_listener_t *this;
	uint32_t id;
	uint32_t delay;
} dpd_job_t;

/**
 * Last inbound activity of an IKE_SA, as ike_sa.c's get_use_time() has it
 */
static time_t last_inbound(ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	child_sa_t *child_sa;
	time_t last, use;

	last = ike_sa->get_statistic(ike_sa, STAT_INBOUND);
	enumerator = ike_sa->create_child_sa_enumerator(ike_sa);
	while (enumerator->enumerate(enumerator, &child_sa))
	{
		child_sa->get_usestats(child_sa, TRUE, &use, NULL, NULL);
		last = max(last, use);
	}
	enumerator->destroy(enumerator);
	return last;
}

static bool exchange_active(ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	task_t *task;
	bool active;

	enumerator = ike_sa->create_task_enumerator(ike_sa, TASK_QUEUE_ACTIVE);
	active = enumerator->enumerate(enumerator, &task);
	enumerator->destroy(enumerator);
	return active;
}

/**
 * A DPD after dpd_delay idle seconds, per IKE_SA: a vanished client's IKE_SA goes
 * (and its lease with it) after the delay and charon's retransmissions
 */
static job_requeue_t dpd_job(dpd_job_t *job)
{
	private_rw_quirks_listener_t *this = job->this;
	ike_sa_t *ike_sa;
	client_t *client;
	time_t idle, next = job->delay;
	bool first;

	if (this->stopped)
	{
		return JOB_REQUEUE_NONE;
	}
	ike_sa = charon->ike_sa_manager->checkout_by_id(charon->ike_sa_manager, job->id);
	if (!ike_sa)
	{
		return JOB_REQUEUE_NONE;
	}
	if (ike_sa->get_state(ike_sa) == IKE_ESTABLISHED && !exchange_active(ike_sa))
	{
		idle = time_monotonic(NULL) - last_inbound(ike_sa);
		if (idle >= job->delay)
		{
			this->mutex->lock(this->mutex);
			client = get_client(this, job->id, FALSE);
			first = client && log_once(client, LOGGED_DPD);
			this->mutex->unlock(this->mutex);
			if (first)
			{
				DBG1(DBG_IKE, "rw-quirks: %s client of IKE_SA #%u idle for %ds, "
					 "sending DPD", client->result.family, job->id, (int)idle);
			}
			ike_sa->queue_task(ike_sa, (task_t*)ike_dpd_create(TRUE));
			if (ike_sa->initiate(ike_sa, NULL, NULL) == DESTROY_ME)
			{
				charon->ike_sa_manager->checkin_and_destroy(charon->ike_sa_manager,
															ike_sa);
				return JOB_REQUEUE_NONE;
			}
		}
		else
		{
			next = job->delay - idle;
		}
	}
	charon->ike_sa_manager->checkin(charon->ike_sa_manager, ike_sa);
	return JOB_RESCHEDULE(max(1, next));
}

static void release(private_rw_quirks_listener_t *this)
{
	if (ref_put(&this->refs))
	{
		this->clients->destroy_function(this->clients, (void*)client_destroy);
		this->mutex->destroy(this->mutex);
		free(this);
	}
}

static void dpd_job_destroy(dpd_job_t *job)
{
	release(job->this);
	free(job);
}

/**
 * Start the DPD job of an IKE_SA if its family wants a shorter delay than charon's
 */
static void start_dpd(private_rw_quirks_listener_t *this, client_t *client,
					  ike_sa_t *ike_sa, const rw_quirks_t *q)
{
	peer_cfg_t *peer_cfg;
	dpd_job_t *data;
	uint32_t configured;

	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	configured = peer_cfg ? peer_cfg->get_dpd(peer_cfg) : 0;
	if (!q->dpd_delay || client->dpd_job ||
		(configured && configured <= q->dpd_delay))
	{
		return;
	}
	client->dpd_job = TRUE;
	ref_get(&this->refs);
	INIT(data,
		.this = this,
		.id = client->id,
		.delay = q->dpd_delay,
	);
	lib->scheduler->schedule_job(lib->scheduler, (job_t*)
			callback_job_create((callback_job_cb_t)dpd_job, data,
								(callback_job_cleanup_t)dpd_job_destroy,
								(callback_job_cancel_t)return_false),
			q->dpd_delay);
	DBG2(DBG_IKE, "rw-quirks: %s client of IKE_SA #%u: DPD after %us idle",
		 client->result.family, client->id, q->dpd_delay);
}

/**
 * Per-IKE_SA quirks that start when it is established
 */
static void established(private_rw_quirks_listener_t *this, client_t *client,
						ike_sa_t *ike_sa)
{
	const rw_quirks_t *q;

	q = quirks_of(this, client);
	if (q->no_reauth)
	{
		avoid_reauth(client, ike_sa);
	}
	start_dpd(this, client, ike_sa, q);
}

METHOD(listener_t, ike_state_change, bool,
	private_rw_quirks_listener_t *this, ike_sa_t *ike_sa, ike_sa_state_t state)
{
	client_t *client;

	switch (state)
	{
		case IKE_ESTABLISHED:
			this->mutex->lock(this->mutex);
			client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
			if (client)
			{
				established(this, client, ike_sa);
			}
			this->mutex->unlock(this->mutex);
			break;
		case IKE_DESTROYING:
			this->mutex->lock(this->mutex);
			client = this->clients->remove(this->clients,
							(void*)(uintptr_t)ike_sa->get_unique_id(ike_sa));
			this->mutex->unlock(this->mutex);
			if (client)
			{
				client_destroy(client);
			}
			break;
		default:
			break;
	}
	return TRUE;
}

METHOD(listener_t, ike_rekey, bool,
	private_rw_quirks_listener_t *this, ike_sa_t *old, ike_sa_t *new)
{
	client_t *client, *copy;

	this->mutex->lock(this->mutex);
	client = get_client(this, old->get_unique_id(old), FALSE);
	if (client)
	{
		copy = get_client(this, new->get_unique_id(new), TRUE);
		copy->result = client->result;
		copy->auth_done = client->auth_done;
		copy->tsr_full6 = client->tsr_full6;
		/* the family and the quirks were logged for this client already */
		copy->logged = client->logged;
		/* new is established already, its rekey/reauth jobs scheduled */
		established(this, copy, new);
	}
	this->mutex->unlock(this->mutex);
	return TRUE;
}

METHOD(rw_client_registry_t, get_family, bool,
	rw_client_registry_t *registry, ike_sa_t *ike_sa, char *family, size_t len)
{
	private_rw_quirks_listener_t *this;
	client_t *client;
	bool found = FALSE;

	this = (private_rw_quirks_listener_t*)((char*)registry -
					offsetof(private_rw_quirks_listener_t, public.registry));
	if (!ike_sa || !family || !len)
	{
		return FALSE;
	}
	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa->get_unique_id(ike_sa), FALSE);
	if (client)
	{
		snprintf(family, len, "%s", client->result.family);
		found = TRUE;
	}
	this->mutex->unlock(this->mutex);
	return found;
}

METHOD(rw_quirks_listener_t, get_result, bool,
	private_rw_quirks_listener_t *this, uint32_t unique_id, rw_cl_result_t *result)
{
	client_t *client;
	bool found = FALSE;

	this->mutex->lock(this->mutex);
	client = get_client(this, unique_id, FALSE);
	if (client)
	{
		*result = client->result;
		found = TRUE;
	}
	this->mutex->unlock(this->mutex);
	return found;
}

METHOD(rw_quirks_listener_t, get_count, u_int,
	private_rw_quirks_listener_t *this)
{
	u_int count;

	this->mutex->lock(this->mutex);
	count = this->clients->get_count(this->clients);
	this->mutex->unlock(this->mutex);
	return count;
}

METHOD(rw_quirks_listener_t, destroy, void,
	private_rw_quirks_listener_t *this)
{
	this->stopped = TRUE;
	release(this);
}

/*
 * Described in header
 */
rw_quirks_listener_t *rw_quirks_listener_create(const rw_classifier_t *classifier,
												const rw_quirk_table_t *table)
{
	private_rw_quirks_listener_t *this;

	INIT(this,
		.public = {
			.listener = {
				.message = _message_hook,
				.ike_state_change = _ike_state_change,
				.ike_rekey = _ike_rekey,
				.narrow = _narrow,
			},
			.registry = {
				.get_family = _get_family,
			},
			.get_result = _get_result,
			.get_count = _get_count,
			.destroy = _destroy,
		},
		.classifier = classifier,
		.table = table,
		.clients = hashtable_create(hashtable_hash_ptr, hashtable_equals_ptr, 128),
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.refs = 1,
	);

	return &this->public;
}
