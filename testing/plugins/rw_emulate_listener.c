#include "rw_emulate_listener.h"

#include <arpa/inet.h>

#include <daemon.h>
#include <attributes/attributes.h>
#include <collections/hashtable.h>
#include <encoding/payloads/certreq_payload.h>
#include <encoding/payloads/cp_payload.h>
#include <encoding/payloads/vendor_id_payload.h>
#include <threading/mutex.h>

typedef struct private_rw_emulate_listener_t private_rw_emulate_listener_t;

/**
 * Private data of the listener
 */
struct private_rw_emulate_listener_t {

	/**
	 * Public interface
	 */
	rw_emulate_listener_t public;

	/**
	 * Device profile, if any
	 */
	rw_emulate_profile_t *profile;

	/**
	 * Add NAT-D notifies to outgoing DPD requests (gateway side)
	 */
	bool inject_natd_dpd;

	/**
	 * What each IKE_SA received, unique ID => sa_state_t
	 */
	hashtable_t *states;

	/**
	 * Lock for states
	 */
	mutex_t *mutex;
};

/**
 * What the gateway sent in IKE_AUTH so far
 */
typedef struct {
	/** gateway authenticated itself (AUTH payload received) */
	bool auth;
	/** gateway sent a certificate */
	bool cert;
} sa_state_t;

/**
 * Notify types a profile controls: those of a layout are sent, the others are
 * removed. Everything else charon adds (COOKIE, REKEY_SA, errors ...) stays.
 */
static bool is_capability_notify(notify_type_t type)
{
	switch (type)
	{
		case INITIAL_CONTACT:
		case MOBIKE_SUPPORTED:
		case ADDITIONAL_IP4_ADDRESS:
		case ADDITIONAL_IP6_ADDRESS:
		case NO_ADDITIONAL_ADDRESSES:
		case MULTIPLE_AUTH_SUPPORTED:
		case EAP_ONLY_AUTHENTICATION:
		case IKEV2_MESSAGE_ID_SYNC_SUPPORTED:
		case ESP_TFC_PADDING_NOT_SUPPORTED:
		case NON_FIRST_FRAGMENTS_ALSO:
		case HTTP_CERT_LOOKUP_SUPPORTED:
		case REDIRECT_SUPPORTED:
		case FRAGMENTATION_SUPPORTED:
		case SIGNATURE_HASH_ALGORITHMS:
		case CHILDLESS_IKEV2_SUPPORTED:
		case USE_PPK:
		case NAT_DETECTION_SOURCE_IP:
		case NAT_DETECTION_DESTINATION_IP:
			return TRUE;
		default:
			/* types charon does not know, e.g. private ones of a device */
			return !enum_to_name(notify_type_names, type);
	}
}

/**
 * Payload types a layout may leave out: they are then not sent. Others (SA, KE,
 * AUTH ...) are needed for the exchange and are appended if the layout lacks
 * them.
 */
static bool is_optional_payload(payload_t *payload)
{
	switch (payload->get_type(payload))
	{
		case PLV2_ID_RESPONDER:
		case PLV2_CERTREQ:
		case PLV2_VENDOR_ID:
		case PLV2_CONFIGURATION:
			return TRUE;
		case PLV2_NOTIFY:
			return is_capability_notify(
						((notify_payload_t*)payload)->get_notify_type(
											(notify_payload_t*)payload));
		default:
			return FALSE;
	}
}

/**
 * Take the first payload of a type (and notify type) out of a list
 */
static payload_t *take_payload(linked_list_t *list, payload_type_t type,
							   notify_type_t notify)
{
	enumerator_t *enumerator;
	payload_t *payload, *found = NULL;

	enumerator = list->create_enumerator(list);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) != type)
		{
			continue;
		}
		if (type == PLV2_NOTIFY &&
			((notify_payload_t*)payload)->get_notify_type(
							(notify_payload_t*)payload) != notify)
		{
			continue;
		}
		list->remove_at(list, enumerator);
		found = payload;
		break;
	}
	enumerator->destroy(enumerator);
	return found;
}

/**
 * A notify the profile wants but charon did not add
 */
static payload_t *create_notify(notify_type_t type)
{
	notify_payload_t *notify;

	switch (type)
	{
		case NAT_DETECTION_SOURCE_IP:
		case NAT_DETECTION_DESTINATION_IP:
		case COOKIE:
			/* only charon can compute these */
			DBG1(DBG_IKE, "rw-emulate: cannot add %N, charon did not send it",
				 notify_type_names, type);
			return NULL;
		default:
			break;
	}
	notify = notify_payload_create_from_protocol_and_type(PLV2_NOTIFY,
														  PROTO_NONE, type);
	if (type == SIGNATURE_HASH_ALGORITHMS)
	{	/* SHA2-256, SHA2-384, SHA2-512 */
		notify->set_notification_data(notify,
					chunk_from_chars(0x00, 0x02, 0x00, 0x03, 0x00, 0x04));
	}
	return &notify->payload_interface;
}

/**
 * Configuration request with the profile's attributes, all empty as devices
 * send them
 */
static payload_t *create_cp(rw_emulate_item_t *item)
{
	cp_payload_t *cp;
	int i;

	cp = cp_payload_create_type(PLV2_CONFIGURATION, CFG_REQUEST);
	for (i = 0; i < item->attr_count; i++)
	{
		cp->add_attribute(cp, configuration_attribute_create_chunk(
							PLV2_CONFIGURATION_ATTRIBUTE, item->attrs[i],
							chunk_empty));
	}
	return &cp->payload_interface;
}

/**
 * CERTREQ with key identifiers of CAs the gateway does not know, as Windows
 * sends one for every root in its store
 */
static payload_t *extend_certreq(payload_t *payload, int unknown)
{
	certreq_payload_t *certreq = (certreq_payload_t*)payload;
	uint8_t keyid[HASH_SIZE_SHA1];
	int i;

	if (!certreq)
	{
		certreq = certreq_payload_create_type(CERT_X509);
	}
	for (i = 0; i < unknown; i++)
	{
		/* fixed, recognisable and distinct per index */
		memset(keyid, 0xe0, sizeof(keyid));
		keyid[0] = 0xfe;
		keyid[sizeof(keyid) - 2] = i >> 8;
		keyid[sizeof(keyid) - 1] = i & 0xff;
		certreq->add_keyid(certreq, chunk_from_thing(keyid));
	}
	return &certreq->payload_interface;
}

/**
 * Rewrite an outgoing request into the payloads and order of a layout, and keep
 * message.c from sorting them back into charon's order
 */
static void apply_layout(private_rw_emulate_listener_t *this,
						 message_t *message, rw_emulate_layout_t *layout)
{
	rw_emulate_profile_t *profile = this->profile;
	linked_list_t *pool;
	enumerator_t *enumerator;
	payload_t *payload;
	int i, vid = 0;

	pool = linked_list_create();
	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		message->remove_payload_at(message, enumerator);
		pool->insert_last(pool, payload);
	}
	enumerator->destroy(enumerator);

	/* a COOKIE must stay first (RFC 7296 2.6) */
	payload = take_payload(pool, PLV2_NOTIFY, COOKIE);
	if (payload)
	{
		message->add_payload(message, payload);
	}
	for (i = 0; i < layout->count; i++)
	{
		rw_emulate_item_t *item = &layout->items[i];

		switch (item->type)
		{
			case PLV2_NOTIFY:
				payload = take_payload(pool, PLV2_NOTIFY, item->notify);
				if (!payload)
				{
					payload = create_notify(item->notify);
				}
				break;
			case PLV2_VENDOR_ID:
				payload = NULL;
				if (vid < profile->vid_count)
				{
					payload = (payload_t*)vendor_id_payload_create_data(
							PLV2_VENDOR_ID,
							chunk_clone(chunk_create(profile->vids[vid],
													 profile->vid_len[vid])));
					vid++;
				}
				else
				{
					DBG1(DBG_IKE, "rw-emulate: profile '%s' has fewer "
						 "vendor_ids than V in its layout", profile->name);
				}
				break;
			case PLV2_CONFIGURATION:
				payload = take_payload(pool, PLV2_CONFIGURATION, 0);
				if (payload)
				{	/* the device's own attribute list replaces charon's */
					payload->destroy(payload);
				}
				payload = create_cp(item);
				break;
			case PLV2_CERTREQ:
				payload = take_payload(pool, PLV2_CERTREQ, 0);
				if (payload || profile->certreq_unknown)
				{
					payload = extend_certreq(payload, profile->certreq_unknown);
				}
				break;
			default:
				/* IDr, CERT, AUTH ... only if charon built them */
				payload = take_payload(pool, item->type, 0);
				break;
		}
		if (payload)
		{
			message->add_payload(message, payload);
		}
	}
	while (pool->remove_first(pool, (void**)&payload) == SUCCESS)
	{
		if (is_optional_payload(payload))
		{
			if (payload->get_type(payload) == PLV2_NOTIFY)
			{
				DBG2(DBG_IKE, "rw-emulate: not sending N(%N), profile '%s' "
					 "does not", notify_type_short_names,
					 ((notify_payload_t*)payload)->get_notify_type(
											(notify_payload_t*)payload),
					 profile->name);
			}
			else
			{
				DBG2(DBG_IKE, "rw-emulate: not sending %N, profile '%s' does "
					 "not", payload_type_short_names,
					 payload->get_type(payload), profile->name);
			}
			payload->destroy(payload);
		}
		else
		{
			message->add_payload(message, payload);
		}
	}
	pool->destroy(pool);
	message->disable_sort(message);
}

/*
 * Described in header
 */
void rw_emulate_format_attr(uint16_t type, chunk_t value, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int family = 0, prefix = -1, i;
	size_t pos;
	bool text = FALSE;

	if (!value.len)
	{
		snprintf(buf, len, "-");
		return;
	}
	switch (type)
	{
		case INTERNAL_IP4_ADDRESS:
		case INTERNAL_IP4_NETMASK:
		case INTERNAL_IP4_DNS:
		case INTERNAL_IP4_NBNS:
		case INTERNAL_IP4_DHCP:
		case INTERNAL_IP4_SERVER:
		case P_CSCF_IP4_ADDRESS:
			family = value.len == 4 ? AF_INET : 0;
			break;
		case INTERNAL_IP4_SUBNET:
			if (value.len == 8)
			{	/* address and netmask; a prefix length when contiguous */
				uint32_t mask = untoh32(value.ptr + 4);

				family = AF_INET;
				prefix = 0;
				while (prefix < 32 && (mask & (0x80000000u >> prefix)))
				{
					prefix++;
				}
				if (prefix < 32 && (mask << prefix))
				{
					family = 0;
				}
			}
			break;
		case INTERNAL_IP6_ADDRESS:
		case INTERNAL_IP6_SUBNET:
			if (value.len == 17 && value.ptr[16] <= 128)
			{
				family = AF_INET6;
				prefix = value.ptr[16];
			}
			else if (value.len == 16)
			{
				family = AF_INET6;
			}
			break;
		case INTERNAL_IP6_DNS:
		case INTERNAL_IP6_NBNS:
		case INTERNAL_IP6_DHCP:
		case INTERNAL_IP6_SERVER:
		case P_CSCF_IP6_ADDRESS:
			family = value.len == 16 ? AF_INET6 : 0;
			break;
		case INTERNAL_ADDRESS_EXPIRY:
			if (value.len == 4)
			{
				snprintf(buf, len, "%u", untoh32(value.ptr));
				return;
			}
			break;
		case APPLICATION_VERSION:
		case INTERNAL_DNS_DOMAIN:
			text = TRUE;
			for (i = 0; i < value.len; i++)
			{
				if (value.ptr[i] < 0x20 || value.ptr[i] > 0x7e)
				{
					text = FALSE;
					break;
				}
			}
			break;
		default:
			break;
	}
	if (family && inet_ntop(family, value.ptr, addr, sizeof(addr)))
	{
		if (prefix >= 0)
		{
			snprintf(buf, len, "%s/%d", addr, prefix);
		}
		else
		{
			snprintf(buf, len, "%s", addr);
		}
		return;
	}
	if (text)
	{
		if (value.len < len)
		{
			snprintf(buf, len, "%.*s", (int)value.len, value.ptr);
		}
		else if (len > 4)
		{	/* truncated: say so */
			snprintf(buf, len, "%.*s...", (int)(len - 4), value.ptr);
		}
		else
		{
			snprintf(buf, len, "%.*s", (int)(len - 1), value.ptr);
		}
		return;
	}
	pos = snprintf(buf, len, "0x");
	for (i = 0; i < value.len && pos + 2 < len; i++)
	{
		pos += snprintf(buf + pos, len - pos, "%02x", value.ptr[i]);
	}
	if (i < value.len && len > 4)
	{	/* truncated: say so */
		memcpy(buf + len - 4, "...", 4);
	}
}

/**
 * One line per configuration reply attribute, for scenarios to check what the
 * client was given
 */
static void log_reply_attributes(message_t *message)
{
	enumerator_t *enumerator, *attributes;
	configuration_attribute_t *attr;
	payload_t *payload;
	cp_payload_t *cp;
	char value[512], *name;
	uint16_t type;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) != PLV2_CONFIGURATION)
		{
			continue;
		}
		cp = (cp_payload_t*)payload;
		if (cp->get_type(cp) != CFG_REPLY)
		{
			continue;
		}
		attributes = cp->create_attribute_enumerator(cp);
		while (attributes->enumerate(attributes, &attr))
		{
			type = attr->get_type(attr);
			name = enum_to_name(configuration_attribute_type_names, type);
			rw_emulate_format_attr(type, attr->get_chunk(attr), value,
								   sizeof(value));
			DBG1(DBG_IKE, "rw-emulate: received %s (%u) %s",
				 name ?: "UNKNOWN", type, value);
		}
		attributes->destroy(attributes);
	}
	enumerator->destroy(enumerator);
}

/**
 * Find or create the state of an IKE_SA, with the mutex held
 */
static sa_state_t *get_state(private_rw_emulate_listener_t *this,
							 ike_sa_t *ike_sa)
{
	uintptr_t id = ike_sa->get_unique_id(ike_sa);
	sa_state_t *state;

	state = this->states->get(this->states, (void*)id);
	if (!state)
	{
		INIT(state);
		this->states->put(this->states, (void*)id, state);
	}
	return state;
}

/**
 * Remember whether the gateway authenticated with a certificate it sent
 */
static void note_auth_response(private_rw_emulate_listener_t *this,
							   ike_sa_t *ike_sa, message_t *message)
{
	sa_state_t *state;

	this->mutex->lock(this->mutex);
	state = get_state(this, ike_sa);
	if (message->get_payload(message, PLV2_AUTH))
	{
		state->auth = TRUE;
	}
	if (message->get_payload(message, PLV2_CERTIFICATE))
	{
		state->cert = TRUE;
	}
	this->mutex->unlock(this->mutex);
}

static bool has_natd(message_t *message)
{
	return message->get_notify(message, NAT_DETECTION_SOURCE_IP) ||
		   message->get_notify(message, NAT_DETECTION_DESTINATION_IP);
}

/**
 * NAT-D hash as RFC 7296 2.23 (and ike_natd.c) computes it
 */
static notify_payload_t *build_natd(ike_sa_t *ike_sa, notify_type_t type,
									host_t *host)
{
	ike_sa_id_t *id = ike_sa->get_id(ike_sa);
	uint64_t spi_i, spi_r;
	uint16_t port;
	hasher_t *hasher;
	notify_payload_t *notify = NULL;
	chunk_t data, hash;

	hasher = lib->crypto->create_hasher(lib->crypto, HASH_SHA1);
	if (!hasher)
	{
		return NULL;
	}
	spi_i = id->get_initiator_spi(id);
	spi_r = id->get_responder_spi(id);
	port = htons(host->get_port(host));
	data = chunk_cat("cccc", chunk_from_thing(spi_i), chunk_from_thing(spi_r),
					 host->get_address(host), chunk_from_thing(port));
	if (hasher->allocate_hash(hasher, data, &hash))
	{
		notify = notify_payload_create_from_protocol_and_type(PLV2_NOTIFY,
															PROTO_NONE, type);
		notify->set_notification_data(notify, hash);
		chunk_free(&hash);
	}
	chunk_free(&data);
	hasher->destroy(hasher);
	return notify;
}

/**
 * Add NAT-D notifies to an empty INFORMATIONAL request (a DPD)
 */
static void inject_natd(ike_sa_t *ike_sa, message_t *message)
{
	enumerator_t *enumerator;
	notify_payload_t *src, *dst;
	payload_t *payload;
	bool empty;

	enumerator = message->create_payload_enumerator(message);
	empty = !enumerator->enumerate(enumerator, &payload);
	enumerator->destroy(enumerator);
	if (!empty)
	{
		return;
	}
	src = build_natd(ike_sa, NAT_DETECTION_SOURCE_IP,
					 ike_sa->get_my_host(ike_sa));
	dst = build_natd(ike_sa, NAT_DETECTION_DESTINATION_IP,
					 ike_sa->get_other_host(ike_sa));
	if (src && dst)
	{
		DBG1(DBG_IKE, "rw-emulate: adding NAT-D notifies to DPD request %u "
			 "(inject_natd_dpd)", message->get_message_id(message));
		message->add_payload(message, &src->payload_interface);
		message->add_payload(message, &dst->payload_interface);
		return;
	}
	DESTROY_IF(src);
	DESTROY_IF(dst);
}

METHOD(listener_t, message_hook, bool,
	private_rw_emulate_listener_t *this, ike_sa_t *ike_sa, message_t *message,
	bool incoming, bool plain)
{
	rw_emulate_profile_t *profile = this->profile;
	exchange_type_t type;
	bool request;

	if (!plain || message->get_major_version(message) != IKEV2_MAJOR_VERSION)
	{
		return TRUE;
	}
	type = message->get_exchange_type(message);
	request = message->get_request(message);
	if (incoming)
	{
		log_reply_attributes(message);
		if (!profile)
		{
			return TRUE;
		}
		if (type == IKE_AUTH && !request)
		{
			note_auth_response(this, ike_sa, message);
		}
		if (type == INFORMATIONAL && request && profile->ignore_natd_dpd &&
			has_natd(message))
		{
			DBG1(DBG_IKE, "rw-emulate: ignoring INFORMATIONAL request %u with "
				 "NAT-D notifies, as %s does (natd_dpd)",
				 message->get_message_id(message), profile->name);
			/* task_manager_v2 drops messages altered to this type unanswered */
			message->set_exchange_type(message, EXCHANGE_TYPE_UNDEFINED);
		}
		return TRUE;
	}
	if (!request)
	{
		return TRUE;
	}
	if (profile && type == IKE_SA_INIT && profile->ike_sa_init.set)
	{
		apply_layout(this, message, &profile->ike_sa_init);
	}
	else if (profile && type == IKE_AUTH && profile->ike_auth.set &&
			 message->get_payload(message, PLV2_ID_INITIATOR))
	{
		apply_layout(this, message, &profile->ike_auth);
	}
	else if (type == INFORMATIONAL &&
			 lib->settings->get_bool(lib->settings,
							"%s.plugins.rw-emulate.inject_natd_dpd",
							this->inject_natd_dpd, lib->ns))
	{	/* read each time: scenarios switch it with --reload-settings */
		inject_natd(ike_sa, message);
	}
	return TRUE;
}

METHOD(listener_t, authorize, bool,
	private_rw_emulate_listener_t *this, ike_sa_t *ike_sa, bool final,
	bool *success)
{
	rw_emulate_profile_t *profile = this->profile;
	proposal_t *proposal;
	sa_state_t *state;
	uint16_t ke;
	bool nocert = FALSE;

	if (!profile || !ike_sa->has_condition(ike_sa, COND_ORIGINAL_INITIATOR))
	{
		return TRUE;
	}
	proposal = ike_sa->get_proposal(ike_sa);
	if (profile->fail_on_modp1536 && proposal &&
		proposal->get_algorithm(proposal, KEY_EXCHANGE_METHOD, &ke, NULL) &&
		ke == MODP_1536_BIT)
	{
		DBG1(DBG_IKE, "rw-emulate: gateway chose %N, failing as %s does "
			 "(modp1536)", key_exchange_method_names, ke, profile->name);
		*success = FALSE;
		return TRUE;
	}
	if (profile->fail_without_cert)
	{
		this->mutex->lock(this->mutex);
		state = get_state(this, ike_sa);
		nocert = state->auth && !state->cert;
		this->mutex->unlock(this->mutex);
	}
	if (nocert)
	{
		DBG1(DBG_IKE, "rw-emulate: gateway sent no certificate, aborting "
			 "IKE_AUTH as %s does (without_cert)", profile->name);
		*success = FALSE;
	}
	return TRUE;
}

/**
 * An IPv6 selector covering everything
 */
static bool is_ipv6_default(traffic_selector_t *ts)
{
	host_t *net;
	uint8_t mask;
	bool def = FALSE;

	if (ts->get_type(ts) == TS_IPV6_ADDR_RANGE && ts->to_subnet(ts, &net, &mask))
	{
		def = mask == 0;
		net->destroy(net);
	}
	return def;
}

/**
 * Remove IPv6 selectors from a list
 */
static void remove_ipv6(linked_list_t *list)
{
	enumerator_t *enumerator;
	traffic_selector_t *ts;

	enumerator = list->create_enumerator(list);
	while (enumerator->enumerate(enumerator, &ts))
	{
		if (ts->get_type(ts) == TS_IPV6_ADDR_RANGE)
		{
			list->remove_at(list, enumerator);
			ts->destroy(ts);
		}
	}
	enumerator->destroy(enumerator);
}

METHOD(listener_t, narrow, bool,
	private_rw_emulate_listener_t *this, ike_sa_t *ike_sa, child_sa_t *child_sa,
	narrow_hook_t type, linked_list_t *local, linked_list_t *remote)
{
	enumerator_t *enumerator;
	traffic_selector_t *ts;
	bool v6 = FALSE, def = FALSE;

	if (!this->profile || !this->profile->ipv6_needs_default ||
		(type != NARROW_INITIATOR_POST_NOAUTH &&
		 type != NARROW_INITIATOR_POST_AUTH))
	{
		return TRUE;
	}
	enumerator = remote->create_enumerator(remote);
	while (enumerator->enumerate(enumerator, &ts))
	{
		if (ts->get_type(ts) == TS_IPV6_ADDR_RANGE)
		{
			v6 = TRUE;
			def |= is_ipv6_default(ts);
		}
	}
	enumerator->destroy(enumerator);
	if (v6 && !def)
	{
		DBG1(DBG_IKE, "rw-emulate: no ::/0 in the IPv6 remote traffic "
			 "selectors, dropping IPv6 selectors and routes, as %s does "
			 "(ipv6_without_default)", this->profile->name);
		remove_ipv6(local);
		remove_ipv6(remote);
	}
	return TRUE;
}

METHOD(listener_t, ike_state_change, bool,
	private_rw_emulate_listener_t *this, ike_sa_t *ike_sa, ike_sa_state_t state)
{
	uintptr_t id;

	if (state == IKE_DESTROYING)
	{
		id = ike_sa->get_unique_id(ike_sa);
		this->mutex->lock(this->mutex);
		free(this->states->remove(this->states, (void*)id));
		this->mutex->unlock(this->mutex);
	}
	return TRUE;
}

METHOD(rw_emulate_listener_t, destroy, void,
	private_rw_emulate_listener_t *this)
{
	enumerator_t *enumerator;
	sa_state_t *state;

	enumerator = this->states->create_enumerator(this->states);
	while (enumerator->enumerate(enumerator, NULL, &state))
	{
		free(state);
	}
	enumerator->destroy(enumerator);
	this->states->destroy(this->states);
	this->mutex->destroy(this->mutex);
	free(this->profile);
	free(this);
}

/*
 * Described in header
 */
rw_emulate_listener_t *rw_emulate_listener_create(rw_emulate_profile_t *profile,
												  bool inject_natd_dpd)
{
	private_rw_emulate_listener_t *this;

	INIT(this,
		.public = {
			.listener = {
				.message = _message_hook,
				.authorize = _authorize,
				.narrow = _narrow,
				.ike_state_change = _ike_state_change,
			},
			.destroy = _destroy,
		},
		.profile = profile ? malloc(sizeof(*profile)) : NULL,
		.inject_natd_dpd = inject_natd_dpd,
		.states = hashtable_create(hashtable_hash_ptr, hashtable_equals_ptr, 8),
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
	);
	if (profile)
	{
		memcpy(this->profile, profile, sizeof(*profile));
	}
	return &this->public;
}
