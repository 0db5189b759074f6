/*
 * charon log text into classifier input, one IKE_SA at a time (see rw_logparse.h for
 * the lines used and how they are grouped).
 *
 * Everything works on (pointer, length) spans of the current line, which is copied
 * into a buffer of its own: no read depends on a terminating NUL, and garbage of any
 * kind only ever leaves a field unset.
 */

#include "rw_logparse.h"
#include "rw_hex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* threads remembered (their last request line and received packet) */
#define MAX_THREADS 64
/* continuation lines joined to a wrapped line */
#define MAX_JOINS 8
/* how often the idle check runs */
#define IDLE_CHECK_LINES 64

typedef struct {
	const char *s;
	size_t len;
} span_t;

/* what the last request/response line of a thread (or of the log) was about */
typedef enum {
	X_NONE,
	X_INIT,
	X_AUTH,
	/* IKE_AUTH rounds after the first (EAP) */
	X_AUTH_LATER,
	/* CREATE_CHILD_SA, INFORMATIONAL, IKEv1 ...: lines after it are not attributed */
	X_OTHER,
} exch_t;

typedef enum {
	D_NONE,
	/* gateway view: the client's request */
	D_REQ_PARSED,
	/* client view: the client's own request */
	D_REQ_GENERATED,
	D_RESP_PARSED,
	D_RESP_GENERATED,
} dir_t;

typedef struct {
	rw_lp_sa_t sa;
	/* line number of the last line about it, for LRU and idle completion */
	unsigned long touched;
	bool init_done;
	bool auth_done;
	/* the last IKE_SA_INIT response asked for another KE or a cookie */
	bool retry_pending;
	/* IDi type from the client's own "authentication of '...' (myself)" */
	uint8_t pending_idi;
	unsigned certreq_known;
	unsigned certreq_unknown_lines;
	unsigned long certreq_unknown_summary;
} sa_rec_t;

typedef struct {
	rw_cl_vid_t vids[RW_CL_MAX_VIDS];
	uint8_t n;
} vid_list_t;

typedef struct {
	/* -1: lines without thread number */
	int id;
	bool used;
	unsigned long used_line;
	/* context: IKE_SA (its index, 0 none), exchange and direction */
	unsigned sa;
	exch_t exch;
	dir_t dir;
	/* address of the last "received packet" */
	char recv_peer[RW_LP_PEER_LEN];
	/* "sending ... vendor ID" lines come before the request they belong to */
	vid_list_t sent_vids;
} thread_t;

struct rw_logparse_t {
	rw_lp_cb_t cb;
	void *ctx;
	sa_rec_t *slots[RW_LP_MAX_OPEN];
	thread_t threads[MAX_THREADS];
	unsigned next_index;
	unsigned long lineno;
	/* context of the last request/response line of any thread */
	unsigned last_sa;
	exch_t last_exch;
	dir_t last_dir;
	/* IKE_SA of proposal lists on their own lines */
	unsigned bare_sa;
	/* assembling lines from feed() */
	char *buf;
	size_t buf_len;
	/* a wrapped line waiting for its continuation */
	char *pend;
	size_t pend_len;
	unsigned long pend_lineno;
	unsigned pend_joins;
	bool pend_active;
	uint8_t pend_kind;
	/* the current line (for processing) */
	char *line;
};

/* ------------------------------------------------------------------------------ */
/* spans */

static span_t span(const char *s, size_t len)
{
	return (span_t){ s, len };
}

static bool starts(span_t s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && !memcmp(s.s, lit, n);
}

static span_t skip(span_t s, size_t n)
{
	if (n > s.len)
	{
		n = s.len;
	}
	return span(s.s + n, s.len - n);
}

static long find(span_t s, const char *lit)
{
	size_t n = strlen(lit), i;

	if (n > s.len)
	{
		return -1;
	}
	for (i = 0; i + n <= s.len; i++)
	{
		if (s.s[i] == lit[0] && !memcmp(s.s + i, lit, n))
		{
			return (long)i;
		}
	}
	return -1;
}

static long find_char(span_t s, char c)
{
	const char *p = s.len ? memchr(s.s, c, s.len) : NULL;

	return p ? p - s.s : -1;
}

static span_t trim(span_t s)
{
	while (s.len && (s.s[0] == ' ' || s.s[0] == '\t'))
	{
		s = skip(s, 1);
	}
	while (s.len && (s.s[s.len - 1] == ' ' || s.s[s.len - 1] == '\t' ||
					 s.s[s.len - 1] == '\r'))
	{
		s.len--;
	}
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z');
}

/* leading decimal number (up to 9 digits); returns digits consumed */
static size_t leading_number(span_t s, unsigned long *value)
{
	size_t i = 0;

	*value = 0;
	while (i < s.len && i < 9 && is_digit(s.s[i]))
	{
		*value = *value * 10 + (s.s[i] - '0');
		i++;
	}
	return i;
}

/* copy printable ASCII into a fixed buffer, '?' for anything else */
static void copy_printable(char *dst, size_t size, span_t s)
{
	size_t i, n = s.len < size - 1 ? s.len : size - 1;

	for (i = 0; i < n; i++)
	{
		dst[i] = (s.s[i] >= 0x20 && s.s[i] < 0x7f) ? s.s[i] : '?';
	}
	dst[n] = '\0';
}

/* ------------------------------------------------------------------------------ */
/* line prefixes */

typedef struct {
	/* thread number, -1 if none */
	int thread;
	/* <conn|N> */
	unsigned uid;
	span_t conn;
	/* the message after all prefixes; len 0 if none was recognised */
	span_t msg;
	/* the message starts the line (bare proposal lists) */
	bool at_start;
} prefix_t;

/* message texts charon starts the lines with that are used here */
static const char *const keywords[] = {
	"parsed ", "generating ", "received ", "sending ", "looking for ", "DH group ",
	"key exchange method ", "peer didn't accept ", "authentication of '",
	"Starting IKE ",
};

static bool is_keyword(span_t s)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
	{
		if (starts(s, keywords[i]))
		{
			return true;
		}
	}
	return false;
}

static bool is_bare_proposal(span_t s)
{
	return starts(s, "IKE:") || starts(s, "ESP:") || starts(s, "AH:");
}

/* "<conn|N> " or "<N> " */
static span_t ike_sa_prefix(span_t s, prefix_t *pf)
{
	unsigned long uid;
	long end, bar;
	span_t inner;

	if (!s.len || s.s[0] != '<')
	{
		return s;
	}
	end = find_char(span(s.s, s.len < 160 ? s.len : 160), '>');
	if (end < 2)
	{
		return s;
	}
	inner = span(s.s + 1, end - 1);
	bar = -1;
	for (long i = (long)inner.len - 1; i >= 0; i--)
	{
		if (inner.s[i] == '|')
		{
			bar = i;
			break;
		}
	}
	span_t num = skip(inner, bar + 1);
	if (!num.len || leading_number(num, &uid) != num.len)
	{
		return s;
	}
	pf->uid = uid > 0xffffffffUL ? 0 : (unsigned)uid;
	pf->conn = bar > 0 ? span(inner.s, bar) : span(inner.s, 0);
	return trim(skip(s, end + 1));
}

/* "09[NET] " or "09[NET1] ": position after it, or -1 */
static long thread_prefix(span_t s, int *thread)
{
	unsigned long id;
	size_t i, j, n;

	for (i = 0; i < s.len; i++)
	{
		if (!is_digit(s.s[i]) || (i && is_alnum(s.s[i - 1])) ||
			(i && s.s[i - 1] != ' ' && s.s[i - 1] != '\t' && s.s[i - 1] != '|'))
		{
			continue;
		}
		n = leading_number(skip(s, i), &id);
		if (n > 3)
		{
			continue;
		}
		j = i + n;
		if (j >= s.len || s.s[j] != '[')
		{
			continue;
		}
		j++;
		n = 0;
		while (j < s.len && is_upper(s.s[j]) && n < 4)
		{
			j++;
			n++;
		}
		if (n < 2)
		{
			continue;
		}
		if (j < s.len && is_digit(s.s[j]))
		{
			j++;
		}
		if (j + 1 < s.len && s.s[j] == ']' && s.s[j + 1] == ' ')
		{
			*thread = (int)id;
			return (long)j + 2;
		}
	}
	return -1;
}

static bool split_prefix(span_t line, prefix_t *pf)
{
	span_t s;
	long pos;
	size_t i;

	memset(pf, 0, sizeof(*pf));
	pf->thread = -1;
	pos = thread_prefix(line, &pf->thread);
	if (pos >= 0)
	{
		pf->msg = ike_sa_prefix(trim(skip(line, pos)), pf);
		return pf->msg.len > 0;
	}
	/* no thread numbers (journal, charon-systemd, documentation excerpts): the
	 * message starts at the line start or after a tag ending in ": ", "] " or "| " */
	for (i = 0; i < line.len; i++)
	{
		if (i && !(i >= 2 && line.s[i - 1] == ' ' &&
				   (line.s[i - 2] == ':' || line.s[i - 2] == ']' || line.s[i - 2] == '|')))
		{
			continue;
		}
		s = trim(skip(line, i));
		if (i == 0 && is_bare_proposal(s))
		{
			pf->msg = s;
			pf->at_start = true;
			return true;
		}
		s = ike_sa_prefix(s, pf);
		if (is_keyword(s))
		{
			pf->msg = s;
			return true;
		}
		pf->uid = 0;
		pf->conn = span(NULL, 0);
	}
	return false;
}

/* ------------------------------------------------------------------------------ */
/* IKE_SAs and threads */

static sa_rec_t *sa_get(rw_logparse_t *p, unsigned index)
{
	unsigned i;

	if (!index)
	{
		return NULL;
	}
	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		if (p->slots[i] && p->slots[i]->sa.index == index)
		{
			return p->slots[i];
		}
	}
	return NULL;
}

static sa_rec_t *sa_by_uid(rw_logparse_t *p, unsigned uid)
{
	unsigned i;

	if (!uid)
	{
		return NULL;
	}
	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		if (p->slots[i] && p->slots[i]->sa.unique_id == uid)
		{
			return p->slots[i];
		}
	}
	return NULL;
}

static void emit(rw_logparse_t *p, unsigned slot)
{
	sa_rec_t *r = p->slots[slot];
	unsigned long cas;

	if (!r)
	{
		return;
	}
	p->slots[slot] = NULL;
	if (r->sa.in.have_auth && !r->sa.in.auth.payloads_unknown)
	{
		/* summaries count the DBG2 "unknown ca with keyid" lines again */
		cas = r->certreq_known + (r->certreq_unknown_summary > r->certreq_unknown_lines ?
								  r->certreq_unknown_summary : r->certreq_unknown_lines);
		r->sa.in.auth.certreq_cas = cas > 0xffff ? 0xffff : (uint16_t)cas;
	}
	if (r->sa.in.have_init || r->sa.in.have_auth)
	{
		p->cb(p->ctx, &r->sa);
	}
	free(r);
}

/* complete all open IKE_SAs, oldest first */
static void emit_all(rw_logparse_t *p)
{
	unsigned i, best;

	for (;;)
	{
		best = RW_LP_MAX_OPEN;
		for (i = 0; i < RW_LP_MAX_OPEN; i++)
		{
			if (p->slots[i] && (best == RW_LP_MAX_OPEN ||
								p->slots[i]->sa.index < p->slots[best]->sa.index))
			{
				best = i;
			}
		}
		if (best == RW_LP_MAX_OPEN)
		{
			return;
		}
		emit(p, best);
	}
}

static void touch(rw_logparse_t *p, sa_rec_t *r)
{
	r->touched = p->lineno;
	r->sa.last_line = p->lineno;
}

static sa_rec_t *sa_new(rw_logparse_t *p, const prefix_t *pf, bool client_view)
{
	unsigned i, free_slot = RW_LP_MAX_OPEN, lru = 0;
	sa_rec_t *r;

	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		if (!p->slots[i])
		{
			free_slot = i;
			break;
		}
		if (p->slots[i]->touched < p->slots[lru]->touched)
		{
			lru = i;
		}
	}
	if (free_slot == RW_LP_MAX_OPEN)
	{
		emit(p, lru);
		free_slot = lru;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
	{
		return NULL;
	}
	r->sa.index = ++p->next_index;
	r->sa.unique_id = pf->uid;
	copy_printable(r->sa.conn, sizeof(r->sa.conn), pf->conn);
	r->sa.client_view = client_view;
	r->sa.first_line = p->lineno;
	touch(p, r);
	p->slots[free_slot] = r;
	return r;
}

static thread_t *thread_get(rw_logparse_t *p, int id)
{
	unsigned i, lru = 0;
	thread_t *t;

	for (i = 0; i < MAX_THREADS; i++)
	{
		if (p->threads[i].used && p->threads[i].id == id)
		{
			p->threads[i].used_line = p->lineno;
			return &p->threads[i];
		}
		if (!p->threads[i].used ||
			(p->threads[lru].used && p->threads[i].used_line < p->threads[lru].used_line))
		{
			lru = i;
		}
	}
	t = &p->threads[lru];
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->id = id;
	t->used_line = p->lineno;
	return t;
}

static void set_ctx(rw_logparse_t *p, thread_t *t, sa_rec_t *r, exch_t exch, dir_t dir)
{
	t->sa = r ? r->sa.index : 0;
	t->exch = exch;
	t->dir = dir;
	p->last_sa = t->sa;
	p->last_exch = exch;
	p->last_dir = dir;
	if (r)
	{
		touch(p, r);
	}
}

/* a later line may name the connection ("<1>" before the config is known) */
static void note_prefix(sa_rec_t *r, const prefix_t *pf)
{
	if (r && pf->conn.len && !r->sa.conn[0])
	{
		copy_printable(r->sa.conn, sizeof(r->sa.conn), pf->conn);
	}
}

/* the IKE_SA a line without request/response is about, and its context */
static sa_rec_t *ctx_sa(rw_logparse_t *p, const prefix_t *pf, thread_t *t, exch_t *exch,
						dir_t *dir)
{
	sa_rec_t *r;

	if (t->sa || t->exch != X_NONE)
	{
		r = sa_get(p, t->sa);
		*exch = t->exch;
		*dir = t->dir;
	}
	else
	{
		r = sa_get(p, p->last_sa);
		*exch = p->last_exch;
		*dir = p->last_dir;
	}
	if (pf->uid && (!r || r->sa.unique_id != pf->uid))
	{
		r = sa_by_uid(p, pf->uid);
	}
	if (r)
	{
		note_prefix(r, pf);
		touch(p, r);
	}
	return r;
}

/* ------------------------------------------------------------------------------ */
/* payload lists */

/* the items of "[ A B(C D) E ]": split at spaces outside parentheses */
static bool next_item(span_t *s, span_t *item)
{
	size_t i = 0;
	int depth = 0;

	while (s->len && s->s[0] == ' ')
	{
		*s = skip(*s, 1);
	}
	if (!s->len)
	{
		return false;
	}
	for (i = 0; i < s->len; i++)
	{
		if (s->s[i] == '(')
		{
			depth++;
		}
		else if (s->s[i] == ')' && depth)
		{
			depth--;
		}
		else if (s->s[i] == ' ' && !depth)
		{
			break;
		}
	}
	*item = span(s->s, i);
	*s = skip(*s, i);
	/* an unbalanced item is cut off (wrapped or truncated line): not used */
	return true;
}

static bool balanced(span_t s)
{
	int depth = 0;
	size_t i;

	for (i = 0; i < s.len; i++)
	{
		if (s.s[i] == '(')
		{
			depth++;
		}
		else if (s.s[i] == ')' && --depth < 0)
		{
			return false;
		}
	}
	return depth == 0;
}

typedef struct {
	rw_cl_msg_t msg;
	bool fragment;
	bool has_idi;
	bool only_error;
} payloads_t;

/* fill msg from the items between '[' and ']' */
static void parse_payloads(span_t list, bool request, payloads_t *out)
{
	span_t item, name, inner, attr;
	uint16_t value;
	long paren;

	memset(out, 0, sizeof(*out));
	while (next_item(&list, &item))
	{
		if (!balanced(item))
		{
			continue;
		}
		paren = find_char(item, '(');
		name = paren > 0 ? span(item.s, paren) : item;
		inner = paren > 0 ? span(item.s + paren + 1, item.len - paren - 2) :
							span(NULL, 0);
		if (paren > 0 && (item.len < (size_t)paren + 2 || item.s[item.len - 1] != ')'))
		{
			continue;
		}
		if (find_char(name, '/') > 0)
		{
			/* EAP/RES/ID */
			name.len = find_char(name, '/');
		}
		if (starts(name, "CP") && (name.len == 2 || paren > 0))
		{
			/* CPRQ(ADDR DNS) CPRP(...) CPS(...) CPA(...) or a bare CP */
			rw_cl_add_payload(&out->msg, 47);
			if (request && (name.len == 2 || (name.len == 4 &&
											  !memcmp(name.s + 2, "RQ", 2))))
			{
				out->msg.has_cp = true;
				while (next_item(&inner, &attr))
				{
					if (!rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, attr.s, attr.len, &value))
					{
						value = 0;
					}
					rw_cl_add_cp_attr(&out->msg, value);
				}
			}
			continue;
		}
		if (name.len == 0 && paren == 0)
		{
			/* "(53)" for a payload type charon has no name for */
			long close = find_char(item, ')');

			if (close > 1 && rw_cl_name_lookup(RW_CL_NAMES_PAYLOAD, item.s, close + 1,
											   &value) && value < 256)
			{
				rw_cl_add_payload(&out->msg, (uint8_t)value);
			}
			else
			{
				rw_cl_add_payload(&out->msg, 0);
			}
			continue;
		}
		if (!rw_cl_name_lookup(RW_CL_NAMES_PAYLOAD, name.s, name.len, &value) ||
			value > 255)
		{
			value = 0;
		}
		rw_cl_add_payload(&out->msg, (uint8_t)value);
		switch (value)
		{
			case 41:
				if (paren < 0)
				{
					break;
				}
				/* N(NAME), N((16430)), N(MS_STATUS(5)) */
				if (inner.len && inner.s[0] != '(' && find_char(inner, '(') > 0)
				{
					inner.len = find_char(inner, '(');
				}
				if (!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, inner.s, inner.len, &value))
				{
					value = 0;
				}
				rw_cl_add_notify(&out->msg, value);
				break;
			case 38:
				out->msg.n_certreq++;
				break;
			case 35:
				out->has_idi = true;
				break;
			case 53:
				out->fragment = true;
				break;
			default:
				break;
		}
	}
	/* an IKE_SA_INIT response of only INVALID_KE_PAYLOAD or COOKIE asks for a retry */
	out->only_error = out->msg.n_payloads == 1 && out->msg.n_notifies == 1 &&
					  (out->msg.notifies[0] == 17 || out->msg.notifies[0] == 16390);
}

/* ------------------------------------------------------------------------------ */
/* proposals: "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, ESP:..." */

static bool name_chars(span_t s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
	{
		if (!is_alnum(s.s[i]) && s.s[i] != '_' && s.s[i] != '(' && s.s[i] != ')')
		{
			return false;
		}
	}
	return s.len > 0;
}

/*
 * Add the proposals of a list to msg, of the protocol wanted (1 IKE, 3 ESP/2 AH);
 * returns the number added. A proposal with a transform that is not a name (markup,
 * "[excerpt ends]") is dropped, and so is the last one of the list if its last
 * transform is an unknown name: the line was cut there.
 */
static unsigned parse_proposals(span_t list, bool ike, rw_cl_msg_t *msg)
{
	rw_cl_transform_t ts[RW_CL_MAX_TRANSFORMS];
	rw_cl_proposal_t *prop;
	span_t one, t;
	unsigned added = 0, n, i;
	bool ok, last_unknown;
	long comma, colon, slash;
	uint8_t proto;

	while (list.len)
	{
		comma = find_char(list, ',');
		one = trim(comma >= 0 ? span(list.s, comma) : list);
		list = comma >= 0 ? skip(list, comma + 1) : span(NULL, 0);
		colon = find_char(one, ':');
		if (colon <= 0)
		{
			continue;
		}
		if (colon == 3 && starts(one, "IKE"))
		{
			proto = 1;
		}
		else if (colon == 3 && starts(one, "ESP"))
		{
			proto = 3;
		}
		else if (colon == 2 && starts(one, "AH"))
		{
			proto = 2;
		}
		else
		{
			continue;
		}
		if ((proto == 1) != ike)
		{
			continue;
		}
		one = skip(one, colon + 1);
		n = 0;
		ok = true;
		last_unknown = false;
		while (one.len && ok)
		{
			slash = find_char(one, '/');
			t = slash >= 0 ? span(one.s, slash) : one;
			one = slash >= 0 ? skip(one, slash + 1) : span(NULL, 0);
			if (!name_chars(t))
			{
				ok = false;
				break;
			}
			if (n == RW_CL_MAX_TRANSFORMS)
			{
				msg->overflow++;
				continue;
			}
			/* unknown names stay as type 0: the other transforms still count */
			last_unknown = !rw_cl_parse_transform(t.s, t.len, &ts[n]) && t.s[0] != '(';
			n++;
		}
		if (!ok || !n || (last_unknown && !list.len))
		{
			continue;
		}
		prop = rw_cl_add_proposal(msg, proto);
		for (i = 0; prop && i < n; i++)
		{
			rw_cl_add_transform(msg, prop, ts[i].type, ts[i].id, ts[i].keylen);
		}
		added += prop != NULL;
	}
	return added;
}

/* ------------------------------------------------------------------------------ */
/* vendor IDs charon names (ike_vendor.c) */

static const struct {
	const char *desc;
	uint8_t len;
	const char *id;
} vendor_ids[] = {
	{ "strongSwan", 16,
	  "\x88\x2f\xe5\x6d\x6f\xd2\x0d\xbc\x22\x51\x61\x3b\x2e\xbe\x5b\xeb" },
	{ "Cisco Delete Reason", 19, "CISCO-DELETE-REASON" },
	{ "Cisco FlexVPN Supported", 17, "FLEXVPN-SUPPORTED" },
	{ "FRAGMENTATION", 16,
	  "\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3" },
	{ "MS NT5 ISAKMPOAKLEY v7", 20,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x07" },
	{ "MS NT5 ISAKMPOAKLEY v8", 20,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x08" },
	{ "MS NT5 ISAKMPOAKLEY v9", 20,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x09" },
	{ "MS-Negotiation Discovery Capable", 16,
	  "\xfb\x1d\xe3\xcd\xf3\x41\xb7\xea\x16\xb7\xe5\xbe\x08\x55\xf1\x20" },
	{ "Vid-Initial-Contact", 16,
	  "\x26\x24\x4d\x38\xed\xdb\x61\xb3\x17\x2a\x36\xe3\xd0\xcf\xb8\x19" },
	{ "Cisco VPN Concentrator", 14,
	  "\x1f\x07\xf7\x0e\xaa\x65\x14\xd3\xb0\xfa\x96\x54\x2a\x50" },
	{ "Cisco VPN 3000 client", 16,
	  "\xf6\xf7\xef\xc7\xf5\xae\xb8\xcb\x15\x8c\xb9\xd0\x94\xba\x69\xe7" },
	{ "Fortigate", 16,
	  "\x1d\x6e\x17\x8f\x6c\x2c\x0b\xe2\x84\x98\x54\x65\x45\x0f\xe9\xd4" },
	{ "Juniper SRX", 20,
	  "\xfd\x80\x88\x04\xdf\x73\xb1\x51\x50\x70\x9d\x87\x80\x44\xcd\xe0\xac\x1e\xfc\xde" },
};


/* "01:52:8b:..." (charon's %#B) into bytes, up to max; false if not hex */
static bool parse_vid_hex(span_t s, uint8_t *out, size_t max, size_t *len)
{
	size_t i = 0, n = 0, total = 0;
	int hi, lo;

	while (i < s.len)
	{
		if (s.s[i] == ':')
		{
			i++;
			continue;
		}
		if (i + 1 >= s.len)
		{
			return false;
		}
		hi = rw_hexval(s.s[i]);
		lo = rw_hexval(s.s[i + 1]);
		if (hi < 0 || lo < 0)
		{
			return false;
		}
		if (n < max)
		{
			out[n++] = (uint8_t)(hi << 4 | lo);
		}
		total++;
		i += 2;
	}
	*len = n;
	return total > 0;
}

/* ------------------------------------------------------------------------------ */
/* identities and traffic selectors */

/* ID type of an identity as charon prints it (heuristic: the log has no type) */
static uint8_t id_type(span_t id)
{
	size_t i, dots = 0, colons = 0, digits = 0, hex = 0;

	if (!id.len || starts(id, "%any"))
	{
		return 0;
	}
	if (find_char(id, '=') > 0)
	{
		return 9;
	}
	if (find_char(id, '@') >= 0)
	{
		return 3;
	}
	for (i = 0; i < id.len; i++)
	{
		dots += id.s[i] == '.';
		colons += id.s[i] == ':';
		digits += is_digit(id.s[i]);
		hex += is_digit(id.s[i]) || (id.s[i] >= 'a' && id.s[i] <= 'f') ||
			   (id.s[i] >= 'A' && id.s[i] <= 'F');
	}
	if (dots == 3 && dots + digits == id.len)
	{
		return 1;
	}
	if (colons >= 2 && hex + colons + dots == id.len)
	{
		/* keyids print as hex pairs joined by ':' (xx:xx:...), 20 bytes for SHA1 */
		if (colons >= 15 && id.len == 3 * colons + 2 && !dots)
		{
			return 11;
		}
		return 5;
	}
	return 2;
}

/* "0.0.0.0/0 ::/0" of "looking for a child config for A === B" */
static void add_ts(rw_cl_msg_t *msg, span_t list, bool responder)
{
	span_t item;

	while (next_item(&list, &item))
	{
		bool v6 = find_char(item, ':') >= 0;

		rw_cl_add_ts(msg, responder, v6 ? 8 : 7,
					 starts(item, "0.0.0.0/0") || starts(item, "::/0"));
	}
}

/* ------------------------------------------------------------------------------ */
/* handlers */

static void set_peer(sa_rec_t *r, const char *peer)
{
	if (r && !r->sa.peer[0] && peer[0])
	{
		snprintf(r->sa.peer, sizeof(r->sa.peer), "%s", peer);
	}
}

/* latest open IKE_SA without IKE_AUTH, of this view, from peer if given */
static sa_rec_t *awaiting_auth(rw_logparse_t *p, bool client_view, const char *peer,
							   bool without_uid)
{
	sa_rec_t *best = NULL, *r;
	unsigned i;

	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		r = p->slots[i];
		if (!r || !r->init_done || r->auth_done || r->sa.client_view != client_view ||
			(peer && strcmp(r->sa.peer, peer)) || (without_uid && r->sa.unique_id))
		{
			continue;
		}
		if (!best || r->touched > best->touched ||
			(r->touched == best->touched && r->sa.index > best->sa.index))
		{
			best = r;
		}
	}
	return best;
}

/* latest open IKE_SA waiting for a retried IKE_SA_INIT */
/* latest open IKE_SA of this view, from peer if given */
static sa_rec_t *latest_from(rw_logparse_t *p, bool client_view, const char *peer)
{
	sa_rec_t *best = NULL, *r;
	unsigned i;

	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		r = p->slots[i];
		if (!r || r->sa.client_view != client_view || (peer && strcmp(r->sa.peer, peer)))
		{
			continue;
		}
		if (!best || r->touched > best->touched ||
			(r->touched == best->touched && r->sa.index > best->sa.index))
		{
			best = r;
		}
	}
	return best;
}

static sa_rec_t *awaiting_retry(rw_logparse_t *p, bool client_view, const char *peer)
{
	sa_rec_t *best = NULL, *r;
	unsigned i;

	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		r = p->slots[i];
		if (!r || !r->retry_pending || r->sa.client_view != client_view ||
			(peer[0] && r->sa.peer[0] && strcmp(r->sa.peer, peer)))
		{
			continue;
		}
		if (!best || r->touched > best->touched)
		{
			best = r;
		}
	}
	return best;
}

static void fill_msg(rw_cl_msg_t *dst, const rw_cl_msg_t *src)
{
	/* keep what other lines added before (proposals of an excerpt) */
	memcpy(dst->payloads, src->payloads, sizeof(dst->payloads));
	dst->n_payloads = src->n_payloads;
	memcpy(dst->notifies, src->notifies, sizeof(dst->notifies));
	dst->n_notifies = src->n_notifies;
	memcpy(dst->cp_attrs, src->cp_attrs, sizeof(dst->cp_attrs));
	dst->n_cp_attrs = src->n_cp_attrs;
	dst->has_cp = src->has_cp;
	dst->n_certreq = src->n_certreq;
	dst->overflow += src->overflow;
	dst->payloads_unknown = false;
}

static void add_sent_vids(thread_t *t, rw_cl_msg_t *msg)
{
	unsigned i;

	for (i = 0; i < t->sent_vids.n; i++)
	{
		rw_cl_add_vid(msg, t->sent_vids.vids[i].data, t->sent_vids.vids[i].len);
	}
	t->sent_vids.n = 0;
}

/* "parsed|generating EXCHANGE request|response MID [ payloads ]" */
static void on_message(rw_logparse_t *p, const prefix_t *pf, thread_t *t, span_t msg)
{
	bool generating = starts(msg, "generating "), request, client_view;
	span_t rest, exch_name, list;
	payloads_t pl;
	exch_t exch;
	dir_t dir;
	sa_rec_t *r = NULL;
	long sp, open, close;

	rest = skip(msg, generating ? strlen("generating ") : strlen("parsed "));
	sp = find_char(rest, ' ');
	if (sp <= 0)
	{
		return;
	}
	exch_name = span(rest.s, sp);
	rest = skip(rest, sp + 1);
	if (starts(rest, "request "))
	{
		request = true;
	}
	else if (starts(rest, "response "))
	{
		request = false;
	}
	else
	{
		return;
	}
	open = find_char(rest, '[');
	if (open < 0)
	{
		return;
	}
	list = skip(rest, open + 1);
	close = find_char(list, ']');
	/* a bracket inside the list (EF(1/2) has none, but be strict) ends it; a missing
	 * one means the line was cut: use what is there */
	if (close >= 0)
	{
		list.len = close;
	}
	exch = X_OTHER;
	if (exch_name.len == 11 && starts(exch_name, "IKE_SA_INIT"))
	{
		exch = X_INIT;
	}
	else if (exch_name.len == 8 && starts(exch_name, "IKE_AUTH"))
	{
		exch = X_AUTH;
	}
	client_view = generating == request;
	dir = request ? (generating ? D_REQ_GENERATED : D_REQ_PARSED) :
					(generating ? D_RESP_GENERATED : D_RESP_PARSED);
	parse_payloads(list, request, &pl);

	if (!request)
	{
		/* the other side's message: only the retry it may ask for matters */
		r = pf->uid ? sa_by_uid(p, pf->uid) : NULL;
		if (!r)
		{
			r = sa_get(p, t->sa);
		}
		if (!r && !generating)
		{
			r = sa_get(p, p->last_sa);
		}
		if (r && r->sa.client_view != client_view)
		{
			r = NULL;
		}
		if (r && exch == X_INIT && pl.only_error)
		{
			r->retry_pending = true;
		}
		set_ctx(p, t, r, exch == X_AUTH && r && r->auth_done ? X_AUTH_LATER : exch, dir);
		return;
	}
	if (exch == X_INIT)
	{
		r = sa_by_uid(p, pf->uid);
		if (!r)
		{
			r = awaiting_retry(p, client_view, client_view ? "" : t->recv_peer);
			if (r)
			{
				r->retry_pending = false;
				if (pf->uid)
				{
					/* charon's new IKE_SA for the retry */
					r->sa.unique_id = pf->uid;
				}
			}
		}
		else if (r->retry_pending)
		{
			r->retry_pending = false;
		}
		if (!r)
		{
			r = sa_new(p, pf, client_view);
			if (!r)
			{
				return;
			}
		}
		note_prefix(r, pf);
		if (!r->init_done)
		{
			fill_msg(&r->sa.in.init, &pl.msg);
			r->init_done = true;
			r->sa.in.have_init = true;
		}
		if (client_view)
		{
			add_sent_vids(t, &r->sa.in.init);
		}
		else
		{
			set_peer(r, t->recv_peer);
		}
		set_ctx(p, t, r, X_INIT, dir);
		return;
	}
	if (exch != X_AUTH || pl.fragment)
	{
		/* other exchanges (rekeying ...) say nothing about the client; fragments are
		 * logged again once reassembled */
		set_ctx(p, t, NULL, X_OTHER, dir);
		return;
	}
	r = sa_by_uid(p, pf->uid);
	if (!pl.has_idi)
	{
		/* a later round (EAP): of the IKE_SA the first one went to */
		if (!r)
		{
			r = sa_get(p, t->sa);
		}
		if (!r || r->sa.client_view != client_view)
		{
			r = latest_from(p, client_view, !client_view && t->recv_peer[0] ?
							t->recv_peer : NULL);
		}
		note_prefix(r, pf);
		set_ctx(p, t, r, r ? X_AUTH_LATER : X_OTHER, dir);
		return;
	}
	if (!r)
	{
		/* from the same address if the log says where it came from */
		r = awaiting_auth(p, client_view, !client_view && t->recv_peer[0] ?
						  t->recv_peer : NULL, pf->uid != 0);
	}
	if (r && pf->uid && !r->sa.unique_id)
	{
		r->sa.unique_id = pf->uid;
	}
	if (!r)
	{
		r = sa_new(p, pf, client_view);
		if (!r)
		{
			return;
		}
	}
	note_prefix(r, pf);
	if (r->auth_done)
	{
		set_ctx(p, t, r, X_AUTH_LATER, dir);
		return;
	}
	fill_msg(&r->sa.in.auth, &pl.msg);
	if (!r->sa.in.auth.idi_type)
	{
		r->sa.in.auth.idi_type = r->pending_idi;
	}
	r->auth_done = true;
	r->sa.in.have_auth = true;
	if (!client_view)
	{
		set_peer(r, t->recv_peer);
	}
	set_ctx(p, t, r, X_AUTH, dir);
}

/* "received proposals: ..." of a gateway */
static void on_proposals(rw_logparse_t *p, const prefix_t *pf, thread_t *t, span_t list)
{
	rw_cl_msg_t tmp;
	exch_t exch;
	dir_t dir;
	sa_rec_t *r;
	bool ike = find(list, "IKE:") >= 0 && (find(list, "ESP:") < 0 ||
										   find(list, "IKE:") < find(list, "ESP:"));

	r = ctx_sa(p, pf, t, &exch, &dir);
	if (exch == X_OTHER || dir == D_REQ_GENERATED || dir == D_RESP_PARSED ||
		(ike && exch == X_AUTH_LATER))
	{
		/* rekeying, or a client's log (what it received is the gateway's); ESP
		 * proposals of EAP clients come with the last IKE_AUTH round */
		return;
	}
	if ((ike && exch != X_INIT) || exch == X_NONE)
	{
		/* IKE proposals come with an IKE_SA_INIT: after anything else (another
		 * excerpt, another thread's IKE_AUTH) they start an IKE_SA of their own */
		r = NULL;
	}
	memset(&tmp, 0, sizeof(tmp));
	if (!parse_proposals(list, ike, &tmp))
	{
		return;
	}
	if (!r)
	{
		r = sa_new(p, pf, false);
		if (!r)
		{
			return;
		}
		set_ctx(p, t, r, ike ? X_INIT : X_AUTH, D_REQ_PARSED);
	}
	rw_cl_msg_t *msg = ike ? &r->sa.in.init : &r->sa.in.auth;
	bool *have = ike ? &r->sa.in.have_init : &r->sa.in.have_auth;

	if (msg->n_proposals)
	{
		/* charon selects (and logs) again for each config it tries: first wins */
		return;
	}
	if (!*have)
	{
		*have = true;
		msg->payloads_unknown = true;
		msg->n_certreq = -1;
	}
	memcpy(msg->proposals, tmp.proposals, sizeof(tmp.proposals));
	msg->n_proposals = tmp.n_proposals;
	msg->overflow += tmp.overflow;
}

/* a proposal list on a line of its own, as in strongSwan's documentation */
static void on_bare_proposal(rw_logparse_t *p, const prefix_t *pf, span_t line)
{
	sa_rec_t *r = sa_get(p, p->bare_sa);
	bool ike = starts(line, "IKE:");
	rw_cl_msg_t *msg;
	rw_cl_msg_t tmp;
	unsigned i;

	memset(&tmp, 0, sizeof(tmp));
	if (!parse_proposals(line, ike, &tmp))
	{
		return;
	}
	if (!r)
	{
		r = sa_new(p, pf, false);
		if (!r)
		{
			return;
		}
		p->bare_sa = r->sa.index;
	}
	touch(p, r);
	msg = ike ? &r->sa.in.init : &r->sa.in.auth;
	if (!(ike ? r->sa.in.have_init : r->sa.in.have_auth))
	{
		*(ike ? &r->sa.in.have_init : &r->sa.in.have_auth) = true;
		msg->payloads_unknown = true;
		msg->n_certreq = -1;
	}
	for (i = 0; i < tmp.n_proposals; i++)
	{
		if (msg->n_proposals >= RW_CL_MAX_PROPOSALS)
		{
			msg->overflow++;
			continue;
		}
		msg->proposals[msg->n_proposals++] = tmp.proposals[i];
	}
}

/* the message of the context a vendor ID or cert request line is about */
static rw_cl_msg_t *request_msg(rw_logparse_t *p, const prefix_t *pf, thread_t *t,
								exch_t want, sa_rec_t **rp)
{
	exch_t exch;
	dir_t dir;
	sa_rec_t *r = ctx_sa(p, pf, t, &exch, &dir);

	*rp = r;
	if (!r || exch != want || dir != D_REQ_PARSED)
	{
		return NULL;
	}
	return want == X_INIT ? &r->sa.in.init : &r->sa.in.auth;
}

static void on_vendor_id(rw_logparse_t *p, const prefix_t *pf, thread_t *t, span_t msg)
{
	uint8_t data[RW_CL_MAX_VID_LEN];
	rw_cl_msg_t *m;
	sa_rec_t *r;
	span_t desc;
	size_t len, i;
	bool sending = starts(msg, "sending ");

	if (!sending && starts(msg, "received unknown vendor ID: "))
	{
		m = request_msg(p, pf, t, X_INIT, &r);
		if (m && parse_vid_hex(trim(skip(msg, strlen("received unknown vendor ID: "))),
							   data, sizeof(data), &len))
		{
			rw_cl_add_vid(m, data, len);
		}
		return;
	}
	/* "received strongSwan vendor ID", "sending strongSwan vendor ID" */
	desc = skip(msg, sending ? strlen("sending ") : strlen("received "));
	if (desc.len < strlen(" vendor ID") + 1)
	{
		return;
	}
	desc.len -= strlen(" vendor ID");
	for (i = 0; i < sizeof(vendor_ids) / sizeof(vendor_ids[0]); i++)
	{
		if (desc.len == strlen(vendor_ids[i].desc) &&
			!memcmp(desc.s, vendor_ids[i].desc, desc.len))
		{
			break;
		}
	}
	if (i == sizeof(vendor_ids) / sizeof(vendor_ids[0]))
	{
		return;
	}
	if (sending)
	{
		if (t->sent_vids.n < RW_CL_MAX_VIDS)
		{
			rw_cl_vid_t *v = &t->sent_vids.vids[t->sent_vids.n++];

			v->len = vendor_ids[i].len;
			memcpy(v->data, vendor_ids[i].id, v->len);
		}
		return;
	}
	m = request_msg(p, pf, t, X_INIT, &r);
	if (m)
	{
		rw_cl_add_vid(m, (const uint8_t *)vendor_ids[i].id, vendor_ids[i].len);
	}
}

static void on_cert_request(rw_logparse_t *p, const prefix_t *pf, thread_t *t,
							span_t msg)
{
	unsigned long n;
	sa_rec_t *r;

	if (!request_msg(p, pf, t, X_AUTH, &r))
	{
		return;
	}
	if (starts(msg, "received cert request for unknown ca with keyid "))
	{
		r->certreq_unknown_lines++;
	}
	else if (starts(msg, "received cert request for "))
	{
		r->certreq_known++;
	}
	else
	{
		/* "received %u cert requests for an unknown ca" */
		span_t num = skip(msg, strlen("received "));

		if (leading_number(num, &n) && find(num, " cert requests for an unknown ca") > 0)
		{
			r->certreq_unknown_summary += n;
		}
	}
}

/* "looking for peer configs matching A[x]...B[IDi]" */
static void on_peer_configs(rw_logparse_t *p, const prefix_t *pf, thread_t *t,
							span_t msg)
{
	rw_cl_msg_t *m;
	sa_rec_t *r;
	long dots, open;
	span_t other;

	m = request_msg(p, pf, t, X_AUTH, &r);
	if (!m || m->idi_type)
	{
		return;
	}
	dots = find(msg, "]...");
	if (dots < 0)
	{
		return;
	}
	other = skip(msg, dots + 4);
	open = find_char(other, '[');
	if (open < 0 || other.len < (size_t)open + 2 || other.s[other.len - 1] != ']')
	{
		return;
	}
	m->idi_type = id_type(span(other.s + open + 1, other.len - open - 2));
}

/* "looking for a child config for TSr === TSi" (gateway, DBG2) */
static void on_child_config(rw_logparse_t *p, const prefix_t *pf, thread_t *t,
							span_t msg)
{
	exch_t exch;
	dir_t dir;
	sa_rec_t *r = ctx_sa(p, pf, t, &exch, &dir);
	span_t rest = skip(msg, strlen("looking for a child config for "));
	long sep = find(rest, " === ");

	if (!r || !r->auth_done || (exch != X_AUTH && exch != X_AUTH_LATER) ||
		dir != D_REQ_PARSED || sep < 0 || r->sa.in.auth.n_tsi || r->sa.in.auth.n_tsr)
	{
		return;
	}
	add_ts(&r->sa.in.auth, span(rest.s, sep), true);
	add_ts(&r->sa.in.auth, skip(rest, sep + 5), false);
}

/* the KE group the client chose first, from an INVALID_KE_PAYLOAD round */
static void on_ke(rw_logparse_t *p, const prefix_t *pf, thread_t *t, span_t name,
				  bool client)
{
	rw_cl_transform_t tr;
	exch_t exch;
	dir_t dir;
	sa_rec_t *r = ctx_sa(p, pf, t, &exch, &dir);
	long end = find_char(name, ' ');

	if (end >= 0)
	{
		name.len = end;
	}
	if (name.len && name.s[name.len - 1] == ',')
	{
		name.len--;
	}
	if (!r || exch != X_INIT || r->sa.client_view != client || r->sa.in.init.ke_group)
	{
		return;
	}
	if (rw_cl_parse_transform(name.s, name.len, &tr) && (tr.type == RW_TRANS_KE ||
														 tr.type == 0))
	{
		r->sa.in.init.ke_group = tr.id;
	}
}

/* "authentication of 'ID' (myself) ..." in a client's log */
static void on_own_auth(rw_logparse_t *p, const prefix_t *pf, thread_t *t, span_t msg)
{
	exch_t exch;
	dir_t dir;
	sa_rec_t *r = ctx_sa(p, pf, t, &exch, &dir);
	span_t id = skip(msg, strlen("authentication of '"));
	long end = find(id, "' (myself)");

	if (!r || !r->sa.client_view || end < 0 || r->pending_idi)
	{
		return;
	}
	r->pending_idi = id_type(span(id.s, end));
}

static void on_packet(rw_logparse_t *p, thread_t *t, span_t msg, bool received)
{
	span_t from = skip(msg, strlen(received ? "received packet: from " :
										   "sending packet: from "));
	long open = find_char(from, '[');
	char peer[RW_LP_PEER_LEN];
	sa_rec_t *r;

	if (open <= 0)
	{
		return;
	}
	copy_printable(peer, sizeof(peer), span(from.s, open));
	if (received)
	{
		memcpy(t->recv_peer, peer, sizeof(peer));
		return;
	}
	/* the client's own address, after its first request */
	r = sa_get(p, t->sa);
	if (r && r->sa.client_view && t->dir == D_REQ_GENERATED)
	{
		set_peer(r, peer);
	}
}

/* which ending of "DH group X ..." lines name the client's group */
static bool ke_line(span_t msg, span_t *name, bool *client)
{
	static const struct {
		const char *prefix;
		const char *contains;
		bool client;
	} forms[] = {
		/* 5.x responder; "inacceptable" before 5.6 */
		{ "DH group ", " unacceptable, requesting ", false },
		{ "DH group ", " inacceptable, requesting ", false },
		/* 6.x responder */
		{ "key exchange method in received payload ", " doesn't match negotiated ",
		  false },
		{ "key exchange method ", " unacceptable, requesting ", false },
		/* initiator (a client's log) */
		{ "peer didn't accept DH group ", ", it requested ", true },
		{ "peer didn't accept key exchange method ", ", it requested ", true },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
	{
		if (starts(msg, forms[i].prefix) && find(msg, forms[i].contains) > 0)
		{
			*name = skip(msg, strlen(forms[i].prefix));
			*client = forms[i].client;
			return true;
		}
	}
	return false;
}

static void process(rw_logparse_t *p, span_t line)
{
	prefix_t pf;
	thread_t *t;
	span_t msg, name;
	bool client;

	if (!split_prefix(line, &pf))
	{
		return;
	}
	msg = trim(pf.msg);
	if (pf.at_start)
	{
		on_bare_proposal(p, &pf, msg);
		return;
	}
	if (starts(msg, "Starting IKE "))
	{
		/* a new charon: unique ids start over */
		emit_all(p);
		memset(p->threads, 0, sizeof(p->threads));
		p->last_sa = p->bare_sa = 0;
		p->last_exch = X_NONE;
		p->last_dir = D_NONE;
		return;
	}
	t = thread_get(p, pf.thread);
	if (starts(msg, "parsed ") || starts(msg, "generating "))
	{
		on_message(p, &pf, t, msg);
	}
	else if (starts(msg, "received packet: from "))
	{
		on_packet(p, t, msg, true);
	}
	else if (starts(msg, "sending packet: from "))
	{
		on_packet(p, t, msg, false);
	}
	else if (starts(msg, "received proposals: "))
	{
		on_proposals(p, &pf, t, skip(msg, strlen("received proposals: ")));
	}
	else if (find(msg, " vendor ID") > 0 &&
			 (starts(msg, "received ") || starts(msg, "sending ")) &&
			 (find(msg, "vendor ID: ") > 0 ||
			  (size_t)find(msg, " vendor ID") == msg.len - strlen(" vendor ID")))
	{
		on_vendor_id(p, &pf, t, msg);
	}
	else if (starts(msg, "received cert request") ||
			 (starts(msg, "received ") && find(msg, " cert requests for an unknown ca") > 0))
	{
		on_cert_request(p, &pf, t, msg);
	}
	else if (starts(msg, "looking for peer configs matching "))
	{
		on_peer_configs(p, &pf, t, msg);
	}
	else if (starts(msg, "looking for a child config for "))
	{
		on_child_config(p, &pf, t, msg);
	}
	else if (starts(msg, "authentication of '"))
	{
		on_own_auth(p, &pf, t, msg);
	}
	else if (ke_line(msg, &name, &client))
	{
		on_ke(p, &pf, t, name, client);
	}
}

/* ------------------------------------------------------------------------------ */
/* wrapped lines */

typedef enum {
	WRAP_NONE,
	/* a payload list without its ']' */
	WRAP_PAYLOADS,
	/* a proposal list (no end marker) */
	WRAP_PROPOSALS,
} wrap_t;

/* what kind of line may continue on the next one */
static wrap_t may_continue(span_t line)
{
	prefix_t pf;
	span_t msg;

	if (!split_prefix(line, &pf))
	{
		return WRAP_NONE;
	}
	msg = trim(pf.msg);
	if (pf.at_start || starts(msg, "received proposals: "))
	{
		return WRAP_PROPOSALS;
	}
	if ((starts(msg, "parsed ") || starts(msg, "generating ")) &&
		find_char(msg, '[') > 0 && msg.s[msg.len - 1] != ']')
	{
		return WRAP_PAYLOADS;
	}
	return WRAP_NONE;
}

static bool month_or_day(span_t s)
{
	static const char *const names[] = {
		"Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ",
		"Nov ", "Dec ", "Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun ",
		"Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		if (starts(s, names[i]))
		{
			return true;
		}
	}
	/* 2023-11-01 */
	return s.len >= 10 && is_digit(s.s[0]) && is_digit(s.s[1]) && is_digit(s.s[2]) &&
		   is_digit(s.s[3]) && s.s[4] == '-' && is_digit(s.s[5]) && s.s[7] == '-';
}

/* the rest of a line cut by a terminal: nothing that starts a log line, and only
 * characters charon prints in such a list (proposal names have no lower case, payload
 * lists no ':' or ',') */
static bool is_continuation(span_t line, wrap_t kind)
{
	prefix_t pf;
	int thread;
	size_t i;
	char c;

	line = trim(line);
	if (!line.len || month_or_day(line) || thread_prefix(line, &thread) >= 0 ||
		split_prefix(line, &pf))
	{
		return false;
	}
	for (i = 0; i < line.len; i++)
	{
		c = line.s[i];
		if (is_digit(c) || is_upper(c) || c == '_' || c == '/' || c == '(' ||
			c == ')' || c == ' ')
		{
			continue;
		}
		if (kind == WRAP_PROPOSALS && (c == ':' || c == ','))
		{
			continue;
		}
		if (kind == WRAP_PAYLOADS && ((c >= 'a' && c <= 'z') || c == ']'))
		{
			continue;
		}
		return false;
	}
	return true;
}

static void end_pending(rw_logparse_t *p)
{
	unsigned long lineno = p->lineno;

	if (!p->pend_active)
	{
		return;
	}
	p->pend_active = false;
	p->lineno = p->pend_lineno;
	process(p, span(p->pend, p->pend_len));
	p->lineno = lineno;
}

static void idle_check(rw_logparse_t *p)
{
	unsigned i;

	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		if (p->slots[i] && p->lineno - p->slots[i]->touched > RW_LP_IDLE_LINES)
		{
			emit(p, i);
		}
	}
}

void rw_logparse_line(rw_logparse_t *p, const char *line, size_t len)
{
	span_t s;

	if (!p)
	{
		return;
	}
	if (!line)
	{
		len = 0;
		line = "";
	}
	if (len > RW_LP_MAX_LINE)
	{
		len = RW_LP_MAX_LINE;
	}
	if (len && line[len - 1] == '\r')
	{
		len--;
	}
	p->lineno++;
	/* work on a copy: the caller's buffer may be anything */
	memcpy(p->line, line, len);
	s = span(p->line, len);
	if (p->pend_active)
	{
		if (p->pend_joins < MAX_JOINS && p->pend_len + len <= RW_LP_MAX_LINE &&
			is_continuation(s, p->pend_kind))
		{
			s = trim(s);
			memcpy(p->pend + p->pend_len, s.s, s.len);
			p->pend_len += s.len;
			p->pend_joins++;
			return;
		}
		end_pending(p);
	}
	p->pend_kind = may_continue(s);
	if (p->pend_kind != WRAP_NONE)
	{
		memcpy(p->pend, s.s, s.len);
		p->pend_len = s.len;
		p->pend_lineno = p->lineno;
		p->pend_joins = 0;
		p->pend_active = true;
	}
	else
	{
		process(p, s);
	}
	if (p->lineno % IDLE_CHECK_LINES == 0)
	{
		idle_check(p);
	}
}

void rw_logparse_feed(rw_logparse_t *p, const char *data, size_t len)
{
	size_t i, start = 0;

	if (!p || !data)
	{
		return;
	}
	for (i = 0; i < len; i++)
	{
		if (data[i] != '\n')
		{
			continue;
		}
		if (p->buf_len)
		{
			size_t n = i - start;

			if (p->buf_len + n > RW_LP_MAX_LINE)
			{
				n = RW_LP_MAX_LINE - p->buf_len;
			}
			memcpy(p->buf + p->buf_len, data + start, n);
			rw_logparse_line(p, p->buf, p->buf_len + n);
			p->buf_len = 0;
		}
		else
		{
			rw_logparse_line(p, data + start, i - start);
		}
		start = i + 1;
	}
	if (start < len)
	{
		size_t n = len - start;

		if (p->buf_len + n > RW_LP_MAX_LINE)
		{
			/* the rest of an overlong line is dropped */
			n = RW_LP_MAX_LINE - p->buf_len;
		}
		memcpy(p->buf + p->buf_len, data + start, n);
		p->buf_len += n;
	}
}

void rw_logparse_finish(rw_logparse_t *p)
{
	if (!p)
	{
		return;
	}
	if (p->buf_len)
	{
		rw_logparse_line(p, p->buf, p->buf_len);
		p->buf_len = 0;
	}
	end_pending(p);
	emit_all(p);
}

rw_logparse_t *rw_logparse_create(rw_lp_cb_t cb, void *ctx)
{
	rw_logparse_t *p;

	if (!cb)
	{
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
	{
		return NULL;
	}
	p->cb = cb;
	p->ctx = ctx;
	p->buf = malloc(RW_LP_MAX_LINE);
	p->pend = malloc(RW_LP_MAX_LINE);
	p->line = malloc(RW_LP_MAX_LINE);
	if (!p->buf || !p->pend || !p->line)
	{
		rw_logparse_destroy(p);
		return NULL;
	}
	return p;
}

void rw_logparse_destroy(rw_logparse_t *p)
{
	unsigned i;

	if (!p)
	{
		return;
	}
	for (i = 0; i < RW_LP_MAX_OPEN; i++)
	{
		free(p->slots[i]);
	}
	free(p->buf);
	free(p->pend);
	free(p->line);
	free(p);
}
