/*
 * Client quirks as data, the proposal shaping decision and certificate requirements.
 */

#include "rw_quirks.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
	char family[RW_FAMILY_LEN];
	rw_quirks_t quirks;
} rw_quirk_entry_t;

struct rw_quirk_table_t {
	rw_quirk_entry_t *entries;
	size_t count;
};

/* Built-in quirks. Sources: shared/seeds (strongSwan's iOS/macOS page) and
 * client-fingerprints.md. "unknown" has none: stock behaviour. */
static const rw_quirk_entry_t builtin[] = {
	{ "apple", {
		/* no CERTREQ unless the profile names the issuer */
		.send_cert = true,
		.strip_legacy = true,
		/* before iOS 14 the default offer is legacy only */
		.legacy = true,
		/* advertised but broken */
		.strip_modp1536 = true,
		.shape_esp = true,
		/* iOS 9/10 do not answer DPDs with NAT-D */
		.dpd_without_natd = true,
		/* no IPv6 routes without ::/0 */
		.ipv6_default_route = RW_V6_ROUTE_ADD,
		/* macOS fails responder-initiated reauthentication */
		.no_reauth = true,
		/* sleeping Macs forget their CHILD_SA: free the lease soon */
		.dpd_delay = 30,
	}},
	{ "windows", {
		.strip_legacy = true,
		/* the default offer is 3DES/SHA1/MODP_1024 only */
		.legacy = true,
		.shape_esp = true,
	}},
	{ "android-native", {
		/* no CERTREQ seen */
		.send_cert = true,
		.strip_legacy = true,
		.shape_esp = true,
	}},
	{ "strongswan", {
		.strip_legacy = true,
		.shape_esp = true,
	}},
	{ "unknown", {
		/* stock: legacy offers go through as charon would select them */
		.legacy = true,
	}},
};

static const rw_quirks_t none = {
	.legacy = true,
};

rw_quirk_table_t *rw_quirk_table_create(void)
{
	rw_quirk_table_t *table = calloc(1, sizeof(*table));

	if (!table)
	{
		return NULL;
	}
	table->entries = calloc(sizeof(builtin) / sizeof(builtin[0]),
							sizeof(rw_quirk_entry_t));
	if (!table->entries)
	{
		free(table);
		return NULL;
	}
	memcpy(table->entries, builtin, sizeof(builtin));
	table->count = sizeof(builtin) / sizeof(builtin[0]);
	return table;
}

void rw_quirk_table_destroy(rw_quirk_table_t *table)
{
	if (table)
	{
		free(table->entries);
		free(table);
	}
}

static rw_quirk_entry_t *find_entry(const rw_quirk_table_t *table, const char *family)
{
	size_t i;

	if (!table || !family)
	{
		return NULL;
	}
	for (i = 0; i < table->count; i++)
	{
		if (strcmp(table->entries[i].family, family) == 0)
		{
			return &table->entries[i];
		}
	}
	return NULL;
}

const rw_quirks_t *rw_quirk_table_get(const rw_quirk_table_t *table,
									  const char *family)
{
	rw_quirk_entry_t *entry;

	entry = find_entry(table, family);
	if (!entry)
	{
		entry = find_entry(table, "unknown");
	}
	return entry ? &entry->quirks : &none;
}

const char *rw_quirk_table_family(const rw_quirk_table_t *table, size_t i)
{
	return table && i < table->count ? table->entries[i].family : NULL;
}

bool rw_quirks_parse_bool(const char *value, bool *out)
{
	static const char *yes[] = { "yes", "true", "on", "1", "enabled" };
	static const char *no[] = { "no", "false", "off", "0", "disabled" };
	size_t i;

	if (!value)
	{
		return false;
	}
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
	{
		if (strcasecmp(value, yes[i]) == 0)
		{
			*out = true;
			return true;
		}
		if (strcasecmp(value, no[i]) == 0)
		{
			*out = false;
			return true;
		}
	}
	return false;
}

bool rw_quirks_parse_time(const char *value, unsigned *out)
{
	unsigned long n, mult = 1;
	char *end;

	if (!value || !isdigit((unsigned char)*value))
	{
		return false;
	}
	n = strtoul(value, &end, 10);
	switch (*end)
	{
		case '\0':
		case 's':
			break;
		case 'm':
			mult = 60;
			break;
		case 'h':
			mult = 3600;
			break;
		case 'd':
			mult = 86400;
			break;
		default:
			return false;
	}
	if (*end && end[1])
	{
		return false;
	}
	if (n > UINT_MAX / mult)
	{
		return false;
	}
	*out = (unsigned)(n * mult);
	return true;
}

/* family names are what the classifier gives: lower case letters, digits and '-'
 * (rw_classify.c valid_family()), and "unknown" */
bool rw_quirk_family_valid(const char *family)
{
	size_t len;

	if (!family || !*family)
	{
		return false;
	}
	len = strlen(family);
	if (len >= RW_FAMILY_LEN)
	{
		return false;
	}
	for (; *family; family++)
	{
		if (!(*family >= 'a' && *family <= 'z') &&
			!(*family >= '0' && *family <= '9') && *family != '-')
		{
			return false;
		}
	}
	return true;
}

rw_status_t rw_quirk_table_set(rw_quirk_table_t *table, const char *family,
							   const char *key, const char *value, rw_error_t *err)
{
	static const struct {
		const char *key;
		size_t offset;
	} bools[] = {
		{ "send_cert", offsetof(rw_quirks_t, send_cert) },
		{ "strip_legacy", offsetof(rw_quirks_t, strip_legacy) },
		{ "legacy", offsetof(rw_quirks_t, legacy) },
		{ "strip_modp1536", offsetof(rw_quirks_t, strip_modp1536) },
		{ "shape_esp", offsetof(rw_quirks_t, shape_esp) },
		{ "dpd_without_natd", offsetof(rw_quirks_t, dpd_without_natd) },
		{ "no_reauth", offsetof(rw_quirks_t, no_reauth) },
	};
	rw_quirk_entry_t *entry, *grown;
	rw_quirks_t quirks;
	size_t i;
	bool b;

	if (!table || !rw_quirk_family_valid(family))
	{
		return rw_error_set(err, RW_ERR_INVALID, "invalid family name '%s' (the "
							"classifier names families in lower case letters, digits "
							"and '-')", family ? family : "(null)");
	}
	if (!key || !value)
	{
		return rw_error_set(err, RW_ERR_INVALID, "%s: missing option or value",
							family);
	}
	entry = find_entry(table, family);
	quirks = entry ? entry->quirks : none;

	for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
	{
		if (strcmp(key, bools[i].key) == 0)
		{
			if (!rw_quirks_parse_bool(value, &b))
			{
				return rw_error_set(err, RW_ERR_INVALID,
									"%s.%s: '%s' is not yes or no", family, key, value);
			}
			*(bool*)((char*)&quirks + bools[i].offset) = b;
			break;
		}
	}
	if (i == sizeof(bools) / sizeof(bools[0]))
	{
		if (strcmp(key, "ipv6_default_route") == 0)
		{
			if (strcasecmp(value, "add") == 0)
			{
				quirks.ipv6_default_route = RW_V6_ROUTE_ADD;
			}
			else if (strcasecmp(value, "warn") == 0)
			{
				quirks.ipv6_default_route = RW_V6_ROUTE_WARN;
			}
			else if (strcasecmp(value, "off") == 0 ||
					 (rw_quirks_parse_bool(value, &b) && !b))
			{
				quirks.ipv6_default_route = RW_V6_ROUTE_OFF;
			}
			else
			{
				return rw_error_set(err, RW_ERR_INVALID,
									"%s.%s: '%s' is not add, warn or off", family, key,
									value);
			}
		}
		else if (strcmp(key, "dpd_delay") == 0)
		{
			if (!rw_quirks_parse_time(value, &quirks.dpd_delay))
			{
				return rw_error_set(err, RW_ERR_INVALID,
									"%s.%s: '%s' is not a duration", family, key, value);
			}
		}
		else
		{
			return rw_error_set(err, RW_ERR_INVALID, "%s: unknown option '%s'", family,
								key);
		}
	}

	if (!entry)
	{
		grown = realloc(table->entries, (table->count + 1) * sizeof(*grown));
		if (!grown)
		{
			return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
		}
		table->entries = grown;
		entry = &table->entries[table->count++];
		memset(entry, 0, sizeof(*entry));
		snprintf(entry->family, sizeof(entry->family), "%s", family);
	}
	entry->quirks = quirks;
	rw_error_clear(err);
	return RW_OK;
}

/* --- proposal shaping --------------------------------------------------------------- */

static bool drop_transform(bool drop_legacy, bool drop_modp1536,
						   const rw_cl_transform_t *t)
{
	if (t->type == RW_TRANS_ESN)
	{
		return false;
	}
	if (drop_modp1536 && t->type == RW_TRANS_KE && t->id == RW_KE_MODP_1536)
	{
		return true;
	}
	return drop_legacy && rw_cl_transform_is_legacy(t);
}

/**
 * A proposal survives a filter if every transform type it had keeps a transform.
 */
static bool survives(const rw_shape_proposal_t *p, bool drop_legacy, bool drop_modp1536,
					 unsigned *removed)
{
	/* per transform type (unknown ones in 0): had one, kept one */
	bool had[16] = { false }, kept[16] = { false };
	unsigned gone = 0;
	size_t i;

	for (i = 0; i < p->n_transforms; i++)
	{
		const rw_cl_transform_t *t = &p->transforms[i];
		unsigned type = t->type < 16 ? t->type : 0;

		had[type] = true;
		if (drop_transform(drop_legacy, drop_modp1536, t))
		{
			gone++;
		}
		else
		{
			kept[type] = true;
		}
	}
	if (removed)
	{
		*removed = gone;
	}
	for (i = 0; i < 16; i++)
	{
		if (had[i] && !kept[i])
		{
			return false;
		}
	}
	return p->n_transforms > 0;
}

static unsigned count_survivors(const rw_shape_proposal_t *proposals, size_t n,
								bool drop_legacy, bool drop_modp1536)
{
	unsigned left = 0;
	size_t i;

	for (i = 0; i < n; i++)
	{
		if (survives(&proposals[i], drop_legacy, drop_modp1536, NULL))
		{
			left++;
		}
	}
	return left;
}

static bool has_modp1536(const rw_shape_proposal_t *proposals, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
	{
		for (j = 0; j < proposals[i].n_transforms; j++)
		{
			if (proposals[i].transforms[j].type == RW_TRANS_KE &&
				proposals[i].transforms[j].id == RW_KE_MODP_1536)
			{
				return true;
			}
		}
	}
	return false;
}

void rw_quirks_shape_offer(const rw_quirks_t *q, const rw_shape_proposal_t *proposals,
						   size_t n, bool allow_reject, rw_shape_t *out)
{
	bool drop_legacy, drop_modp1536;
	unsigned removed;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->action = RW_SHAPE_KEEP;
	out->left = n;
	if (!q || !proposals || n == 0 || n > RW_CL_MAX_PROPOSALS)
	{
		return;
	}
	for (i = 0; i < n; i++)
	{
		if (proposals[i].n_transforms && !proposals[i].transforms)
		{
			return;
		}
	}
	out->had_modp1536 = has_modp1536(proposals, n);
	/* MODP_1536 goes only while something else remains: an offer of nothing but
	 * MODP_1536 fails on the client either way, charon decides as usual */
	drop_modp1536 = q->strip_modp1536 && out->had_modp1536 &&
					count_survivors(proposals, n, false, true) > 0;
	out->legacy_only = count_survivors(proposals, n, true, drop_modp1536) == 0;

	if (out->legacy_only)
	{
		drop_legacy = false;
		if (!q->legacy && allow_reject)
		{
			out->action = RW_SHAPE_REJECT;
			out->removed_proposals = n;
			out->left = 0;
			return;
		}
	}
	else
	{
		drop_legacy = q->strip_legacy;
	}
	if (!drop_legacy && !drop_modp1536)
	{
		return;
	}

	out->drop_legacy = drop_legacy;
	out->drop_modp1536 = drop_modp1536;
	out->left = 0;
	for (i = 0; i < n; i++)
	{
		out->keep[i] = survives(&proposals[i], drop_legacy, drop_modp1536, &removed);
		if (out->keep[i])
		{
			out->left++;
			out->removed_transforms += removed;
		}
		else
		{
			out->removed_proposals++;
		}
	}
	if (out->removed_proposals || out->removed_transforms)
	{
		out->action = RW_SHAPE_STRIP;
	}
}

void rw_quirks_shape(const rw_quirks_t *q, const rw_cl_proposal_t *proposals, size_t n,
					 bool overflow, bool allow_reject, rw_shape_t *out)
{
	rw_shape_proposal_t offer[RW_CL_MAX_PROPOSALS];
	size_t i;

	if (!q || !proposals || n == 0 || n > RW_CL_MAX_PROPOSALS || overflow)
	{
		memset(out, 0, sizeof(*out));
		out->action = RW_SHAPE_KEEP;
		out->left = n;
		return;
	}
	for (i = 0; i < n; i++)
	{
		offer[i] = (rw_shape_proposal_t){
			.transforms = proposals[i].transforms,
			.n_transforms = proposals[i].n_transforms < RW_CL_MAX_TRANSFORMS ?
							proposals[i].n_transforms : RW_CL_MAX_TRANSFORMS,
		};
	}
	rw_quirks_shape_offer(q, offer, n, allow_reject, out);
}

bool rw_shape_keep_transform(const rw_shape_t *shape, const rw_cl_transform_t *t)
{
	if (!shape || shape->action == RW_SHAPE_KEEP)
	{
		return true;
	}
	if (shape->action == RW_SHAPE_REJECT)
	{
		return false;
	}
	return !drop_transform(shape->drop_legacy, shape->drop_modp1536, t);
}

const char *rw_quirks_legacy_hint(const char *family)
{
	if (family && strcmp(family, "windows") == 0)
	{
		return "push the Windows profile with stronger parameters "
			   "(Set-VpnConnectionIPsecConfiguration, or the registry value "
			   "NegotiateDH2048_AES256)";
	}
	if (family && strcmp(family, "apple") == 0)
	{
		return "push an Apple configuration profile with stronger IKE proposals "
			   "(AES-256, SHA2-256, MODP_2048 or ECP_256; iOS 14 and later)";
	}
	return "configure the client with stronger proposals";
}

/* --- certificate requirements ------------------------------------------------------- */

static const struct {
	const char *family;
	unsigned requires;
} cert_requirements[] = {
	/* iOS 13+/macOS 10.15+ need the name in a SAN, macOS the serverAuth EKU; no
	 * CERTREQ, so the chain must come from the gateway */
	{ "apple", RW_CERT_NO_SAN | RW_CERT_NO_SERVERAUTH | RW_CERT_CHAIN_INCOMPLETE },
	/* Windows checks the server name against SANs and requires serverAuth */
	{ "windows", RW_CERT_NO_SAN | RW_CERT_NO_SERVERAUTH | RW_CERT_CHAIN_INCOMPLETE },
	{ "android-native", RW_CERT_NO_SAN | RW_CERT_CHAIN_INCOMPLETE },
	/* charon matches a FQDN or IP identity against SANs only */
	{ "strongswan", RW_CERT_NO_SAN | RW_CERT_CHAIN_INCOMPLETE },
};

unsigned rw_quirks_cert_problems(const char *family, const rw_cert_facts_t *facts)
{
	unsigned problems = 0, requires = 0;
	size_t i;

	if (!family || !facts)
	{
		return 0;
	}
	for (i = 0; i < sizeof(cert_requirements) / sizeof(cert_requirements[0]); i++)
	{
		if (strcmp(cert_requirements[i].family, family) == 0)
		{
			requires = cert_requirements[i].requires;
		}
	}
	if (!facts->san_matches_id)
	{
		problems |= RW_CERT_NO_SAN;
	}
	if (!facts->server_auth)
	{
		problems |= RW_CERT_NO_SERVERAUTH;
	}
	if (!facts->chain_complete)
	{
		problems |= RW_CERT_CHAIN_INCOMPLETE;
	}
	return problems & requires;
}

const char *rw_quirks_cert_family(size_t i)
{
	return i < sizeof(cert_requirements) / sizeof(cert_requirements[0]) ?
		   cert_requirements[i].family : NULL;
}

const char *rw_quirks_cert_problem_str(unsigned bit)
{
	switch (bit)
	{
		case RW_CERT_NO_SAN:
			return "no subjectAltName with the gateway's identity";
		case RW_CERT_NO_SERVERAUTH:
			return "no serverAuth extended key usage";
		case RW_CERT_CHAIN_INCOMPLETE:
			return "chain incomplete (the gateway does not hold every CA certificate "
				   "up to a root)";
		default:
			return "unknown problem";
	}
}
