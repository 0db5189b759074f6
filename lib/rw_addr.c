#include "rw_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t rw_addr_len(const rw_addr_t *a)
{
	return a->family == 4 ? 4 : a->family == 6 ? 16 : 0;
}

rw_status_t rw_addr_parse(const char *s, rw_addr_t *a)
{
	memset(a, 0, sizeof(*a));
	if (!s)
	{
		return RW_ERR_INVALID;
	}
	if (inet_pton(AF_INET, s, a->b) == 1)
	{
		a->family = 4;
		return RW_OK;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1)
	{
		a->family = 6;
		return RW_OK;
	}
	memset(a, 0, sizeof(*a));
	return RW_ERR_INVALID;
}

rw_status_t rw_addr_from_bytes(const void *bytes, size_t len, rw_addr_t *a)
{
	memset(a, 0, sizeof(*a));
	if (len != 4 && len != 16)
	{
		return RW_ERR_INVALID;
	}
	a->family = len == 4 ? 4 : 6;
	memcpy(a->b, bytes, len);
	return RW_OK;
}

char *rw_addr_format(const rw_addr_t *a, char *buf, size_t len)
{
	if (!a->family ||
		!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, buf, len))
	{
		snprintf(buf, len, "-");
	}
	return buf;
}

int rw_addr_cmp(const rw_addr_t *a, const rw_addr_t *b)
{
	if (a->family != b->family)
	{
		return a->family < b->family ? -1 : 1;
	}
	return memcmp(a->b, b->b, rw_addr_len(a));
}

bool rw_addr_inc(rw_addr_t *a)
{
	int i;

	for (i = (int)rw_addr_len(a) - 1; i >= 0; i--)
	{
		if (++a->b[i] != 0)
		{
			return true;
		}
	}
	/* wrapped around: undo */
	for (i = 0; i < (int)rw_addr_len(a); i++)
	{
		a->b[i] = 0xff;
	}
	return false;
}

/* host part of a prefix: all zero (want_ones false) or all one bits */
static bool host_bits(const rw_addr_t *a, int prefix, bool want_ones)
{
	int bits = (int)rw_addr_len(a) * 8, i;

	for (i = prefix; i < bits; i++)
	{
		bool set = a->b[i / 8] & (0x80 >> (i % 8));
		if (set != want_ones)
		{
			return false;
		}
	}
	return true;
}

static void set_host_bits(rw_addr_t *a, int prefix)
{
	int bits = (int)rw_addr_len(a) * 8, i;

	for (i = prefix; i < bits; i++)
	{
		a->b[i / 8] |= 0x80 >> (i % 8);
	}
}

rw_status_t rw_range_parse(const char *spec, rw_range_t *r, rw_error_t *err)
{
	char buf[RW_RANGE_STRLEN + 8], *sep, *end;
	long prefix;
	int bits;

	memset(r, 0, sizeof(*r));
	if (!spec || !*spec || strlen(spec) >= sizeof(buf))
	{
		return rw_error_set(err, RW_ERR_INVALID, "invalid pool range '%s'",
							spec ? spec : "");
	}
	strcpy(buf, spec);
	if ((sep = strchr(buf, '/')))
	{
		*sep++ = '\0';
		if (rw_addr_parse(buf, &r->start) != RW_OK)
		{
			return rw_error_set(err, RW_ERR_INVALID, "invalid address in '%s'", spec);
		}
		bits = (int)rw_addr_len(&r->start) * 8;
		prefix = strtol(sep, &end, 10);
		if (!*sep || *end || prefix < 1 || prefix > bits)
		{
			return rw_error_set(err, RW_ERR_INVALID, "invalid prefix length in '%s'",
								spec);
		}
		if (!host_bits(&r->start, prefix, false))
		{
			return rw_error_set(err, RW_ERR_INVALID, "'%s' has host bits set; the "
								"network is written with them zero", spec);
		}
		r->end = r->start;
		set_host_bits(&r->end, prefix);
		if (bits - prefix >= 2)
		{
			/* not the network address; for IPv4 not the broadcast either */
			rw_addr_inc(&r->start);
			if (r->start.family == 4)
			{
				r->end.b[3]--;
			}
		}
		return RW_OK;
	}
	if ((sep = strchr(buf, '-')))
	{
		*sep++ = '\0';
		if (rw_addr_parse(buf, &r->start) != RW_OK ||
			rw_addr_parse(sep, &r->end) != RW_OK)
		{
			return rw_error_set(err, RW_ERR_INVALID, "invalid address in '%s'", spec);
		}
		if (r->start.family != r->end.family)
		{
			return rw_error_set(err, RW_ERR_INVALID, "'%s' mixes IPv4 and IPv6", spec);
		}
		if (rw_addr_cmp(&r->start, &r->end) > 0)
		{
			return rw_error_set(err, RW_ERR_INVALID, "'%s' ends before it starts",
								spec);
		}
		return RW_OK;
	}
	return rw_error_set(err, RW_ERR_INVALID, "invalid pool range '%s': expected "
						"ADDRESS/PREFIX or FIRST-LAST", spec);
}

char *rw_range_format(const rw_range_t *r, char *buf, size_t len)
{
	char a[RW_ADDR_STRLEN], b[RW_ADDR_STRLEN];

	snprintf(buf, len, "%s-%s", rw_addr_format(&r->start, a, sizeof(a)),
			 rw_addr_format(&r->end, b, sizeof(b)));
	return buf;
}

bool rw_range_contains(const rw_range_t *r, const rw_addr_t *a)
{
	return a->family == r->start.family && rw_addr_cmp(&r->start, a) <= 0 &&
		   rw_addr_cmp(a, &r->end) <= 0;
}

bool rw_range_overlaps(const rw_range_t *a, const rw_range_t *b)
{
	return a->start.family == b->start.family &&
		   rw_addr_cmp(&a->start, &b->end) <= 0 && rw_addr_cmp(&b->start, &a->end) <= 0;
}

uint64_t rw_range_size(const rw_range_t *r)
{
	size_t len = rw_addr_len(&r->start), i;
	uint64_t diff = 0;
	int borrow = 0;
	uint8_t d[16];

	/* end - start, big-endian */
	for (i = len; i-- > 0;)
	{
		int v = r->end.b[i] - r->start.b[i] - borrow;
		borrow = v < 0;
		d[i] = (uint8_t)(v + (borrow ? 256 : 0));
	}
	for (i = 0; i + 8 < len; i++)
	{
		if (d[i])
		{
			return UINT64_MAX;
		}
	}
	for (i = len > 8 ? len - 8 : 0; i < len; i++)
	{
		diff = diff << 8 | d[i];
	}
	return diff == UINT64_MAX ? UINT64_MAX : diff + 1;
}
