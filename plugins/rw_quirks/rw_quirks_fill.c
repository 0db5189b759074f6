#include "rw_quirks_fill.h"

#include <encoding/payloads/certreq_payload.h>
#include <encoding/payloads/cp_payload.h>
#include <encoding/payloads/id_payload.h>
#include <encoding/payloads/ke_payload.h>
#include <encoding/payloads/notify_payload.h>
#include <encoding/payloads/sa_payload.h>
#include <encoding/payloads/ts_payload.h>
#include <encoding/payloads/vendor_id_payload.h>

/* the order charon prints transforms in ("received proposals: ..."), so the plugin
 * and rwctl classify (reading those lines) describe an offer alike */
static const transform_type_t print_order[] = {
	ENCRYPTION_ALGORITHM,
	INTEGRITY_ALGORITHM,
	PSEUDO_RANDOM_FUNCTION,
	KEY_EXCHANGE_METHOD,
	EXTENDED_SEQUENCE_NUMBERS,
};

/*
 * Described in header
 */
rw_cl_transform_t *rw_quirks_fill_transforms(proposal_t *proposal, size_t *n)
{
	rw_cl_transform_t *transforms = NULL;
	enumerator_t *enumerator;
	uint16_t alg, keylen;
	size_t size = 0;
	int i;

	*n = 0;
	for (i = 0; i < countof(print_order); i++)
	{
		enumerator = proposal->create_enumerator(proposal, print_order[i]);
		while (enumerator->enumerate(enumerator, &alg, &keylen))
		{
			if (*n == size)
			{
				size = size ? size * 2 : 32;
				transforms = realloc(transforms, size * sizeof(*transforms));
			}
			transforms[(*n)++] = (rw_cl_transform_t){
				.type = print_order[i],
				.id = alg,
				.keylen = keylen,
			};
		}
		enumerator->destroy(enumerator);
	}
	return transforms;
}

/*
 * Described in header
 */
bool rw_quirks_fill_proposal(proposal_t *proposal, rw_cl_proposal_t *out)
{
	rw_cl_transform_t *transforms;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->protocol = proposal->get_protocol(proposal);
	transforms = rw_quirks_fill_transforms(proposal, &n);
	/* the classifier looks at the first RW_CL_MAX_TRANSFORMS only */
	out->n_transforms = min(n, RW_CL_MAX_TRANSFORMS);
	if (out->n_transforms)
	{
		memcpy(out->transforms, transforms,
			   out->n_transforms * sizeof(out->transforms[0]));
	}
	free(transforms);
	return n <= RW_CL_MAX_TRANSFORMS;
}

/*
 * Described in header
 */
bool rw_quirks_fill_proposals(linked_list_t *proposals, rw_cl_msg_t *msg)
{
	enumerator_t *enumerator;
	proposal_t *proposal;
	bool complete = TRUE;

	msg->n_proposals = 0;
	enumerator = proposals->create_enumerator(proposals);
	while (enumerator->enumerate(enumerator, &proposal))
	{
		if (msg->n_proposals >= RW_CL_MAX_PROPOSALS)
		{
			msg->overflow++;
			complete = FALSE;
			break;
		}
		if (!rw_quirks_fill_proposal(proposal,
									 &msg->proposals[msg->n_proposals++]))
		{
			msg->overflow++;
			complete = FALSE;
		}
	}
	enumerator->destroy(enumerator);
	return complete;
}

/*
 * Described in header
 */
bool rw_quirks_ts_is_full(traffic_selector_t *ts)
{
	chunk_t from, to;
	size_t i;

	from = ts->get_from_address(ts);
	to = ts->get_to_address(ts);
	if (!from.len || from.len != to.len)
	{
		return FALSE;
	}
	for (i = 0; i < from.len; i++)
	{
		if (from.ptr[i] != 0x00 || to.ptr[i] != 0xff)
		{
			return FALSE;
		}
	}
	return TRUE;
}

static void fill_ts(ts_payload_t *payload, rw_cl_msg_t *msg, bool responder)
{
	enumerator_t *enumerator;
	linked_list_t *list;
	traffic_selector_t *ts;

	list = payload->get_traffic_selectors(payload);
	enumerator = list->create_enumerator(list);
	while (enumerator->enumerate(enumerator, &ts))
	{
		rw_cl_add_ts(msg, responder, ts->get_type(ts), rw_quirks_ts_is_full(ts));
	}
	enumerator->destroy(enumerator);
	list->destroy_offset(list, offsetof(traffic_selector_t, destroy));
}

static void fill_cp(cp_payload_t *cp, rw_cl_msg_t *msg)
{
	configuration_attribute_t *attr;
	enumerator_t *enumerator;

	if (cp->get_type(cp) != CFG_REQUEST)
	{
		return;
	}
	msg->has_cp = true;
	enumerator = cp->create_attribute_enumerator(cp);
	while (enumerator->enumerate(enumerator, &attr))
	{
		rw_cl_add_cp_attr(msg, attr->get_type(attr));
	}
	enumerator->destroy(enumerator);
}

/**
 * Count the CA key identifiers of a CERTREQ as charon's ike_cert_pre does (X.509
 * only, "received cert request for ..." / "received N cert requests for an unknown
 * ca"), saturating
 */
static void count_certreq_cas(certreq_payload_t *certreq, rw_cl_msg_t *msg)
{
	enumerator_t *enumerator;
	chunk_t keyid;

	if (certreq->get_cert_type(certreq) != CERT_X509)
	{
		return;
	}
	enumerator = certreq->create_keyid_enumerator(certreq);
	while (msg->certreq_cas < UINT16_MAX &&
		   enumerator->enumerate(enumerator, &keyid))
	{
		msg->certreq_cas++;
	}
	enumerator->destroy(enumerator);
}

static void fill_sa(sa_payload_t *sa, rw_cl_msg_t *msg, bool *complete)
{
	linked_list_t *list;

	list = sa->get_proposals(sa);
	if (!rw_quirks_fill_proposals(list, msg))
	{
		*complete = FALSE;
	}
	list->destroy_offset(list, offsetof(proposal_t, destroy));
}

/*
 * Described in header
 */
void rw_quirks_fill_msg(message_t *message, rw_cl_msg_t *msg, bool *complete)
{
	enumerator_t *enumerator;
	payload_t *payload;
	bool have_sa = FALSE;

	memset(msg, 0, sizeof(*msg));
	*complete = TRUE;
	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		payload_type_t type = payload->get_type(payload);

		rw_cl_add_payload(msg, type <= UINT8_MAX ? type : 0);
		switch (type)
		{
			case PLV2_NOTIFY:
			{
				notify_payload_t *notify = (notify_payload_t*)payload;

				rw_cl_add_notify(msg, notify->get_notify_type(notify));
				break;
			}
			case PLV2_VENDOR_ID:
			{
				vendor_id_payload_t *vid = (vendor_id_payload_t*)payload;
				chunk_t data = vid->get_data(vid);

				rw_cl_add_vid(msg, data.ptr, data.len);
				break;
			}
			case PLV2_SECURITY_ASSOCIATION:
				/* the message rules allow one; take the first regardless */
				if (!have_sa)
				{
					fill_sa((sa_payload_t*)payload, msg, complete);
					have_sa = TRUE;
				}
				break;
			case PLV2_KEY_EXCHANGE:
			{
				ke_payload_t *ke = (ke_payload_t*)payload;

				if (!msg->ke_group)
				{
					msg->ke_group = ke->get_key_exchange_method(ke);
				}
				break;
			}
			case PLV2_ID_INITIATOR:
			{
				identification_t *id;

				if (!msg->idi_type)
				{
					id = ((id_payload_t*)payload)->get_identification(
													(id_payload_t*)payload);
					msg->idi_type = id->get_type(id);
					id->destroy(id);
				}
				break;
			}
			case PLV2_CERTREQ:
				if (msg->n_certreq < INT16_MAX)
				{
					msg->n_certreq++;
				}
				count_certreq_cas((certreq_payload_t*)payload, msg);
				break;
			case PLV2_CONFIGURATION:
				fill_cp((cp_payload_t*)payload, msg);
				break;
			case PLV2_TS_INITIATOR:
				fill_ts((ts_payload_t*)payload, msg, FALSE);
				break;
			case PLV2_TS_RESPONDER:
				fill_ts((ts_payload_t*)payload, msg, TRUE);
				break;
			default:
				break;
		}
	}
	enumerator->destroy(enumerator);
}
