#include "rw_dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[RW_DNS_FIELDS] = { "dns", "domains", "split" };

const char *rw_dns_field_name(rw_dns_field_t field)
{
	return field < RW_DNS_FIELDS ? field_names[field] : "?";
}

static bool is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* next value of a list into buf; returns false at the end, a too long value is
 * returned truncated with *toolong set */
static bool next_value(const char **pos, char *buf, size_t len, bool *toolong)
{
	const char *p = *pos, *start;
	size_t n;

	while (*p && is_sep(*p))
	{
		p++;
	}
	if (!*p)
	{
		*pos = p;
		return false;
	}
	start = p;
	while (*p && !is_sep(*p))
	{
		p++;
	}
	n = (size_t)(p - start);
	*toolong = n >= len;
	if (n >= len)
	{
		n = len - 1;
	}
	memcpy(buf, start, n);
	buf[n] = '\0';
	*pos = p;
	return true;
}

rw_status_t rw_dns_domain_check(const char *domain, rw_error_t *err)
{
	size_t len = strlen(domain), label = 0, i;
	char c;

	if (len && domain[len - 1] == '.')
	{	/* an absolute name; the dot is not sent */
		len--;
	}
	if (len == 0)
	{
		return rw_error_set(err, RW_ERR_INVALID, "empty domain name");
	}
	if (len > RW_DNS_DOMAIN_MAX)
	{
		return rw_error_set(err, RW_ERR_INVALID, "domain name longer than %d characters",
							RW_DNS_DOMAIN_MAX);
	}
	for (i = 0; i <= len; i++)
	{
		c = i < len ? domain[i] : '.';
		if (c == '.')
		{
			if (label == 0)
			{
				return rw_error_set(err, RW_ERR_INVALID, "empty label in domain name");
			}
			if (domain[i - 1] == '-' || domain[i - label] == '-')
			{
				return rw_error_set(err, RW_ERR_INVALID, "label of a domain name starts "
									"or ends with '-'");
			}
			label = 0;
			continue;
		}
		/* '_' appears in service names (_ldap._tcp) that resolvers look up */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_'))
		{
			return rw_error_set(err, RW_ERR_INVALID, "character '%c' not allowed in a "
								"domain name", c > 0x20 && c < 0x7f ? c : '?');
		}
		if (++label > 63)
		{
			return rw_error_set(err, RW_ERR_INVALID, "label of a domain name longer than "
								"63 characters");
		}
	}
	return RW_OK;
}

rw_status_t rw_cidr_parse(const char *s, rw_cidr_t *cidr, rw_error_t *err)
{
	char buf[RW_ADDR_STRLEN + 8], *slash, *end;
	unsigned max, i;
	long prefix;
	uint8_t mask;

	if (strlen(s) >= sizeof(buf))
	{
		return rw_error_set(err, RW_ERR_INVALID, "invalid network '%.64s'", s);
	}
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
	{
		*slash++ = '\0';
	}
	if (rw_addr_parse(buf, &cidr->net) != RW_OK)
	{
		return rw_error_set(err, RW_ERR_INVALID, "invalid network '%s': not an address", s);
	}
	max = cidr->net.family == 4 ? 32 : 128;
	prefix = max;
	if (slash)
	{
		prefix = strtol(slash, &end, 10);
		if (!*slash || *end || prefix < 0 || prefix > (long)max)
		{
			return rw_error_set(err, RW_ERR_INVALID, "invalid network '%s': prefix must be "
								"0 to %u", s, max);
		}
	}
	cidr->prefix = (uint8_t)prefix;
	for (i = 0; i < max / 8; i++)
	{
		mask = i * 8 >= (unsigned)prefix ? 0 :
			   (i + 1) * 8 <= (unsigned)prefix ? 0xff : (uint8_t)(0xff << (8 - prefix % 8));
		if (cidr->net.b[i] & ~mask)
		{
			return rw_error_set(err, RW_ERR_INVALID, "invalid network '%s': host bits set "
								"(the network is not %s/%ld)", s, buf, prefix);
		}
	}
	return RW_OK;
}

char *rw_cidr_format(const rw_cidr_t *cidr, char *buf, size_t len)
{
	char addr[RW_ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", rw_addr_format(&cidr->net, addr, sizeof(addr)),
			 cidr->prefix);
	return buf;
}

bool rw_cidr_contains(const rw_cidr_t *cidr, const rw_addr_t *addr)
{
	unsigned bits = cidr->prefix, i;
	uint8_t mask;

	if (cidr->net.family != addr->family)
	{
		return false;
	}
	for (i = 0; bits; i++)
	{
		mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((addr->b[i] & mask) != cidr->net.b[i])
		{
			return false;
		}
		bits = bits >= 8 ? bits - 8 : 0;
	}
	return true;
}

/* add one value to a field of conf (the field is reset by the caller) */
static rw_status_t add_value(rw_dns_conf_t *conf, rw_dns_field_t field, const char *value,
							 rw_error_t *err)
{
	rw_error_t detail;
	rw_addr_t addr;
	rw_cidr_t cidr;
	unsigned i;
	size_t len;

	switch (field)
	{
		case RW_DNS_SERVERS:
			if (rw_addr_parse(value, &addr) != RW_OK)
			{
				return rw_error_set(err, RW_ERR_INVALID, "invalid DNS server '%s': not an "
									"IPv4 or IPv6 address", value);
			}
			for (i = 0; i < conf->n_servers; i++)
			{
				if (rw_addr_cmp(&conf->servers[i], &addr) == 0)
				{
					return RW_OK;
				}
			}
			if (conf->n_servers == RW_DNS_MAX_SERVERS)
			{
				return rw_error_set(err, RW_ERR_INVALID, "too many DNS servers: at most %d",
									RW_DNS_MAX_SERVERS);
			}
			conf->servers[conf->n_servers++] = addr;
			return RW_OK;
		case RW_DNS_DOMAINS:
			if (rw_dns_domain_check(value, &detail) != RW_OK)
			{
				return rw_error_set(err, RW_ERR_INVALID, "invalid domain '%.64s%s': %s",
									value, strlen(value) > 64 ? "..." : "", detail.msg);
			}
			/* stored and sent without the dot of an absolute name */
			len = strlen(value);
			len -= value[len - 1] == '.';
			for (i = 0; i < conf->n_domains; i++)
			{
				if (strlen(conf->domains[i]) == len &&
					strncasecmp(conf->domains[i], value, len) == 0)
				{
					return RW_OK;
				}
			}
			if (conf->n_domains == RW_DNS_MAX_DOMAINS)
			{
				return rw_error_set(err, RW_ERR_INVALID, "too many domains: at most %d",
									RW_DNS_MAX_DOMAINS);
			}
			memcpy(conf->domains[conf->n_domains], value, len);
			conf->domains[conf->n_domains][len] = '\0';
			conf->n_domains++;
			return RW_OK;
		case RW_DNS_SPLIT:
			if (rw_cidr_parse(value, &cidr, &detail) != RW_OK)
			{
				return rw_error_set(err, RW_ERR_INVALID, "%s", detail.msg);
			}
			for (i = 0; i < conf->n_split; i++)
			{
				if (rw_addr_cmp(&conf->split[i].net, &cidr.net) == 0 &&
					conf->split[i].prefix == cidr.prefix)
				{
					return RW_OK;
				}
			}
			if (conf->n_split == RW_DNS_MAX_SPLIT)
			{
				return rw_error_set(err, RW_ERR_INVALID, "too many split networks: at "
									"most %d", RW_DNS_MAX_SPLIT);
			}
			conf->split[conf->n_split++] = cidr;
			return RW_OK;
		default:
			return rw_error_set(err, RW_ERR_INVALID, "unknown DNS field");
	}
}

static void reset_field(rw_dns_conf_t *conf, rw_dns_field_t field)
{
	switch (field)
	{
		case RW_DNS_SERVERS:
			conf->n_servers = 0;
			break;
		case RW_DNS_DOMAINS:
			conf->n_domains = 0;
			break;
		case RW_DNS_SPLIT:
			conf->n_split = 0;
			break;
		default:
			break;
	}
}

rw_status_t rw_dns_parse(rw_dns_conf_t *conf, rw_dns_field_t field, const char *list,
						 rw_error_t *err)
{
	char value[RW_DNS_DOMAIN_MAX + 2];
	rw_dns_conf_t *tmp;
	rw_status_t status = RW_OK;
	bool toolong;

	if (field >= RW_DNS_FIELDS)
	{
		return rw_error_set(err, RW_ERR_INVALID, "unknown DNS field");
	}
	/* parse into a copy: conf stays as it was on failure */
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
	{
		return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
	}
	*tmp = *conf;
	reset_field(tmp, field);
	while (status == RW_OK && next_value(&list, value, sizeof(value), &toolong))
	{
		if (toolong)
		{
			status = rw_error_set(err, RW_ERR_INVALID, "invalid %s value '%.32s...': too "
								  "long", rw_dns_field_name(field), value);
			break;
		}
		status = add_value(tmp, field, value, err);
	}
	if (status == RW_OK)
	{
		tmp->set[field] = true;
		*conf = *tmp;
	}
	free(tmp);
	return status;
}

void rw_dns_parse_lenient(rw_dns_conf_t *conf, rw_dns_field_t field, const char *list,
						  void (*skip)(void *ctx, const char *msg), void *ctx)
{
	char value[RW_DNS_DOMAIN_MAX + 2];
	rw_error_t err;
	bool toolong;

	if (field >= RW_DNS_FIELDS)
	{
		return;
	}
	reset_field(conf, field);
	conf->set[field] = true;
	while (next_value(&list, value, sizeof(value), &toolong))
	{
		if (toolong)
		{
			rw_error_set(&err, RW_ERR_INVALID, "invalid %s value '%.32s...': too long",
						 rw_dns_field_name(field), value);
		}
		else if (add_value(conf, field, value, &err) == RW_OK)
		{
			continue;
		}
		if (skip)
		{
			skip(ctx, err.msg);
		}
	}
}

char *rw_dns_format(const rw_dns_conf_t *conf, rw_dns_field_t field, char *buf,
					size_t len)
{
	char value[RW_DNS_DOMAIN_MAX + 2];
	size_t used = 0;
	unsigned i, n;
	int written;

	n = field == RW_DNS_SERVERS ? conf->n_servers :
		field == RW_DNS_DOMAINS ? conf->n_domains :
		field == RW_DNS_SPLIT ? conf->n_split : 0;
	if (len)
	{
		buf[0] = '\0';
	}
	for (i = 0; i < n; i++)
	{
		switch (field)
		{
			case RW_DNS_SERVERS:
				rw_addr_format(&conf->servers[i], value, sizeof(value));
				break;
			case RW_DNS_DOMAINS:
				snprintf(value, sizeof(value), "%s", conf->domains[i]);
				break;
			default:
				rw_cidr_format(&conf->split[i], value, sizeof(value));
				break;
		}
		if (used >= len)
		{
			break;
		}
		written = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", value);
		used += written > 0 ? (size_t)written : 0;
	}
	return buf;
}

void rw_dns_merge(const rw_dns_conf_t *const *levels, int n, rw_dns_conf_t *out,
				  int source[RW_DNS_FIELDS])
{
	const rw_dns_conf_t *from;
	int field, i;

	memset(out, 0, sizeof(*out));
	for (field = 0; field < RW_DNS_FIELDS; field++)
	{
		source[field] = -1;
		for (i = 0; i < n; i++)
		{
			if (levels[i] && levels[i]->set[field])
			{
				source[field] = i;
				break;
			}
		}
		if (source[field] < 0)
		{
			continue;
		}
		from = levels[source[field]];
		out->set[field] = true;
		switch (field)
		{
			case RW_DNS_SERVERS:
				memcpy(out->servers, from->servers, sizeof(out->servers));
				out->n_servers = from->n_servers;
				break;
			case RW_DNS_DOMAINS:
				memcpy(out->domains, from->domains, sizeof(out->domains));
				out->n_domains = from->n_domains;
				break;
			case RW_DNS_SPLIT:
				memcpy(out->split, from->split, sizeof(out->split));
				out->n_split = from->n_split;
				break;
		}
	}
}

rw_status_t rw_dns_check(const rw_dns_conf_t *conf, rw_error_t *err)
{
	char addr[RW_ADDR_STRLEN];
	unsigned i, j;

	if (!conf->n_split)
	{
		return RW_OK;
	}
	for (i = 0; i < conf->n_servers; i++)
	{
		for (j = 0; j < conf->n_split; j++)
		{
			if (rw_cidr_contains(&conf->split[j], &conf->servers[i]))
			{
				break;
			}
		}
		if (j == conf->n_split)
		{
			return rw_error_set(err, RW_ERR_INVALID, "DNS server %s lies outside the split "
								"networks: its queries would bypass the tunnel; add "
								"%s/%d or a network containing it",
								rw_addr_format(&conf->servers[i], addr, sizeof(addr)), addr,
								conf->servers[i].family == 4 ? 32 : 128);
		}
	}
	return RW_OK;
}
