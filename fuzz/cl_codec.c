/*
 * The structured decoder (and encoder) of the classifier fuzz target: see cl_codec.h.
 */

#include "cl_codec.h"

#include <string.h>

enum {
	OP_PAYLOAD = 0,
	OP_NOTIFY,
	OP_VID,
	OP_CP_ATTR,
	OP_PROPOSAL,
	OP_TRANSFORM,
	OP_KE_GROUP,
	OP_IDI_TYPE,
	OP_N_CERTREQ,
	OP_CERTREQ_CAS,
	OP_TS,
	/* set a count or length to any value, beyond the arrays too */
	OP_POKE,
	OP_HAS_CP,
	OP_OVERFLOW,
};

typedef struct {
	const uint8_t *data;
	size_t len, pos;
} reader_t;

static uint8_t u8(reader_t *r)
{
	return r->pos < r->len ? r->data[r->pos++] : 0;
}

static uint16_t u16(reader_t *r)
{
	uint16_t hi = u8(r);

	return (uint16_t)(hi << 8 | u8(r));
}

static void poke(rw_cl_msg_t *msg, uint8_t which, uint8_t value)
{
	switch (which % 10)
	{
		case 0:
			msg->n_payloads = value;
			break;
		case 1:
			msg->n_notifies = value;
			break;
		case 2:
			msg->n_vids = value;
			break;
		case 3:
			msg->n_proposals = value;
			break;
		case 4:
			msg->n_cp_attrs = value;
			break;
		case 5:
			msg->n_tsi = value;
			break;
		case 6:
			msg->n_tsr = value;
			break;
		case 7:
			msg->proposals[value % RW_CL_MAX_PROPOSALS].n_transforms = value;
			break;
		case 8:
			msg->vids[value % RW_CL_MAX_VIDS].len = value;
			break;
		default:
			msg->payloads_unknown = value & 1;
			break;
	}
}

void cl_decode(const uint8_t *data, size_t len, rw_cl_input_t *in, char *rules)
{
	reader_t r = { data, len, 0 };
	uint8_t flags, op, type, n, vid[256];
	uint16_t id, keylen, rlen;
	rw_cl_proposal_t *last[2] = { NULL, NULL };
	rw_cl_msg_t *msg;
	int which;

	memset(in, 0, sizeof(*in));
	rules[0] = '\0';
	flags = u8(&r);
	in->have_init = flags & 1;
	in->have_auth = flags & 2;
	in->init.payloads_unknown = flags & 4;
	in->auth.payloads_unknown = flags & 8;
	if (flags & 16)
	{
		rlen = u16(&r);
		if (rlen > CL_CODEC_MAX_RULES)
		{
			rlen = CL_CODEC_MAX_RULES;
		}
		if (rlen > len - r.pos)
		{
			rlen = (uint16_t)(len - r.pos);
		}
		memcpy(rules, data + r.pos, rlen);
		rules[rlen] = '\0';
		r.pos += rlen;
	}
	while (r.pos < r.len)
	{
		op = u8(&r);
		which = op >> 7;
		msg = which ? &in->auth : &in->init;
		switch (op & 0x1f)
		{
			case OP_PAYLOAD:
				rw_cl_add_payload(msg, u8(&r));
				break;
			case OP_NOTIFY:
				rw_cl_add_notify(msg, u16(&r));
				break;
			case OP_VID:
				n = u8(&r);
				for (id = 0; id < n; id++)
				{
					vid[id] = u8(&r);
				}
				rw_cl_add_vid(msg, vid, n);
				break;
			case OP_CP_ATTR:
				msg->has_cp = true;
				rw_cl_add_cp_attr(msg, u16(&r));
				break;
			case OP_PROPOSAL:
				last[which] = rw_cl_add_proposal(msg, u8(&r));
				break;
			case OP_TRANSFORM:
				type = u8(&r);
				id = u16(&r);
				keylen = u16(&r);
				rw_cl_add_transform(msg, last[which], type, id, keylen);
				break;
			case OP_KE_GROUP:
				msg->ke_group = u16(&r);
				break;
			case OP_IDI_TYPE:
				msg->idi_type = u8(&r);
				break;
			case OP_N_CERTREQ:
				msg->n_certreq = (int16_t)u16(&r);
				break;
			case OP_CERTREQ_CAS:
				msg->certreq_cas = u16(&r);
				break;
			case OP_TS:
				type = u8(&r);
				rw_cl_add_ts(msg, type & 1, u8(&r), type & 2);
				break;
			case OP_POKE:
				type = u8(&r);
				poke(msg, type, u8(&r));
				break;
			case OP_HAS_CP:
				msg->has_cp = !msg->has_cp;
				break;
			case OP_OVERFLOW:
				msg->overflow = u8(&r);
				break;
			default:
				break;
		}
	}
}

typedef struct {
	uint8_t *buf;
	size_t size, pos;
} writer_t;

static void w8(writer_t *w, uint8_t v)
{
	if (w->pos < w->size)
	{
		w->buf[w->pos++] = v;
	}
}

static void w16(writer_t *w, uint16_t v)
{
	w8(w, v >> 8);
	w8(w, v & 0xff);
}

static void encode_msg(writer_t *w, const rw_cl_msg_t *msg, uint8_t which)
{
	unsigned i, j;

	for (i = 0; i < msg->n_payloads && i < RW_CL_MAX_PAYLOADS; i++)
	{
		w8(w, which | OP_PAYLOAD);
		w8(w, msg->payloads[i]);
	}
	for (i = 0; i < msg->n_notifies && i < RW_CL_MAX_NOTIFIES; i++)
	{
		w8(w, which | OP_NOTIFY);
		w16(w, msg->notifies[i]);
	}
	for (i = 0; i < msg->n_vids && i < RW_CL_MAX_VIDS; i++)
	{
		w8(w, which | OP_VID);
		w8(w, msg->vids[i].len);
		for (j = 0; j < msg->vids[i].len && j < RW_CL_MAX_VID_LEN; j++)
		{
			w8(w, msg->vids[i].data[j]);
		}
	}
	for (i = 0; i < msg->n_cp_attrs && i < RW_CL_MAX_ATTRS; i++)
	{
		w8(w, which | OP_CP_ATTR);
		w16(w, msg->cp_attrs[i]);
	}
	if (!msg->has_cp && msg->n_cp_attrs)
	{
		w8(w, which | OP_HAS_CP);
	}
	for (i = 0; i < msg->n_proposals && i < RW_CL_MAX_PROPOSALS; i++)
	{
		w8(w, which | OP_PROPOSAL);
		w8(w, msg->proposals[i].protocol);
		for (j = 0; j < msg->proposals[i].n_transforms && j < RW_CL_MAX_TRANSFORMS; j++)
		{
			w8(w, which | OP_TRANSFORM);
			w8(w, msg->proposals[i].transforms[j].type);
			w16(w, msg->proposals[i].transforms[j].id);
			w16(w, msg->proposals[i].transforms[j].keylen);
		}
	}
	if (msg->ke_group)
	{
		w8(w, which | OP_KE_GROUP);
		w16(w, msg->ke_group);
	}
	if (msg->idi_type)
	{
		w8(w, which | OP_IDI_TYPE);
		w8(w, msg->idi_type);
	}
	if (msg->n_certreq)
	{
		w8(w, which | OP_N_CERTREQ);
		w16(w, (uint16_t)msg->n_certreq);
	}
	if (msg->certreq_cas)
	{
		w8(w, which | OP_CERTREQ_CAS);
		w16(w, msg->certreq_cas);
	}
	for (i = 0; i < msg->n_tsi && i < RW_CL_MAX_TS; i++)
	{
		w8(w, which | OP_TS);
		w8(w, msg->tsi[i].full ? 2 : 0);
		w8(w, msg->tsi[i].type);
	}
	for (i = 0; i < msg->n_tsr && i < RW_CL_MAX_TS; i++)
	{
		w8(w, which | OP_TS);
		w8(w, msg->tsr[i].full ? 3 : 1);
		w8(w, msg->tsr[i].type);
	}
}

size_t cl_encode(const rw_cl_input_t *in, uint8_t *buf, size_t size)
{
	writer_t w = { buf, size, 0 };

	w8(&w, (in->have_init ? 1 : 0) | (in->have_auth ? 2 : 0) |
		   (in->init.payloads_unknown ? 4 : 0) | (in->auth.payloads_unknown ? 8 : 0));
	encode_msg(&w, &in->init, 0);
	encode_msg(&w, &in->auth, 0x80);
	return w.pos;
}
