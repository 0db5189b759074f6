#include "rw_emulate_profile.h"
#include <rw_hex.h>

#include <ctype.h>
#include <errno.h>
#include <unistd.h>

#include <attributes/attributes.h>
#include <settings/settings.h>

/**
 * IKEv2 payload names as charon prints them (payload_type_short_names maps "SA"
 * to IKEv1 first, so the IKEv2 ones are listed here)
 */
static const struct {
	const char *name;
	payload_type_t type;
} payload_names[] = {
	{ "SA",			PLV2_SECURITY_ASSOCIATION },
	{ "KE",			PLV2_KEY_EXCHANGE },
	{ "IDi",		PLV2_ID_INITIATOR },
	{ "IDr",		PLV2_ID_RESPONDER },
	{ "CERT",		PLV2_CERTIFICATE },
	{ "CERTREQ",	PLV2_CERTREQ },
	{ "AUTH",		PLV2_AUTH },
	{ "No",			PLV2_NONCE },
	{ "N",			PLV2_NOTIFY },
	{ "D",			PLV2_DELETE },
	{ "V",			PLV2_VENDOR_ID },
	{ "TSi",		PLV2_TS_INITIATOR },
	{ "TSr",		PLV2_TS_RESPONDER },
	{ "CP",			PLV2_CONFIGURATION },
	{ "EAP",		PLV2_EAP },
};

/**
 * Parse a decimal type number, optionally in parentheses as charon prints
 * unknown types ("(25)", "(16430)")
 */
static bool parse_number(const char *str, size_t len, u_int max, u_int *value)
{
	char buf[16], *end;
	u_long v;

	if (len >= 2 && str[0] == '(' && str[len - 1] == ')')
	{
		str++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(buf))
	{
		return FALSE;
	}
	memcpy(buf, str, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
	{
		return FALSE;
	}
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || *end || v > max)
	{
		return FALSE;
	}
	*value = v;
	return TRUE;
}

/**
 * Copy a name of len characters into a terminated buffer
 */
static bool copy_name(const char *str, size_t len, char *buf, size_t size)
{
	if (len == 0 || len >= size)
	{
		return FALSE;
	}
	memcpy(buf, str, len);
	buf[len] = '\0';
	return TRUE;
}

static bool parse_notify(const char *str, size_t len, notify_type_t *type)
{
	char name[64];
	u_int value;

	if (parse_number(str, len, 65535, &value))
	{
		*type = value;
		return TRUE;
	}
	if (!copy_name(str, len, name, sizeof(name)))
	{
		return FALSE;
	}
	return enum_from_name(notify_type_short_names, name, type) ||
		   enum_from_name(notify_type_names, name, type);
}

static bool parse_attr(const char *str, size_t len, uint16_t *type)
{
	configuration_attribute_type_t attr;
	char name[64];
	u_int value;

	if (parse_number(str, len, 32767, &value))
	{
		*type = value;
		return TRUE;
	}
	if (!copy_name(str, len, name, sizeof(name)))
	{
		return FALSE;
	}
	if (enum_from_name(configuration_attribute_type_short_names, name, &attr) ||
		enum_from_name(configuration_attribute_type_names, name, &attr))
	{
		*type = attr;
		return TRUE;
	}
	return FALSE;
}

/**
 * Parse the attribute list of CPRQ(...)
 */
static bool parse_attrs(const char *str, size_t len, rw_emulate_item_t *item,
						char *err, size_t errlen)
{
	size_t i = 0, start;
	int depth;

	while (i < len)
	{
		while (i < len && isspace((u_char)str[i]))
		{
			i++;
		}
		if (i == len)
		{
			break;
		}
		start = i;
		depth = 0;
		/* "(25)" is one attribute, as charon prints unknown ones */
		while (i < len && (depth || !isspace((u_char)str[i])))
		{
			if (str[i] == '(')
			{
				depth++;
			}
			else if (str[i] == ')' && depth)
			{
				depth--;
			}
			i++;
		}
		if (item->attr_count >= RW_EMULATE_MAX_ATTRS)
		{
			snprintf(err, errlen, "more than %d attributes in CPRQ",
					 RW_EMULATE_MAX_ATTRS);
			return FALSE;
		}
		if (!parse_attr(str + start, i - start,
						&item->attrs[item->attr_count]))
		{
			snprintf(err, errlen, "unknown configuration attribute '%.*s'",
					 (int)(i - start), str + start);
			return FALSE;
		}
		item->attr_count++;
	}
	return TRUE;
}

/**
 * Parse one token: NAME, N(TYPE), CPRQ(ATTRS) or CP
 */
static bool parse_item(const char *tok, size_t len, rw_emulate_item_t *item,
					   char *err, size_t errlen)
{
	const char *open;
	size_t name_len, arg_len;
	int i;

	memset(item, 0, sizeof(*item));
	open = memchr(tok, '(', len);
	name_len = open ? (size_t)(open - tok) : len;
	if (open)
	{
		if (tok[len - 1] != ')')
		{
			snprintf(err, errlen, "unbalanced parentheses in '%.*s'",
					 (int)len, tok);
			return FALSE;
		}
		arg_len = len - name_len - 2;
		if (name_len == 1 && tok[0] == 'N')
		{
			item->type = PLV2_NOTIFY;
			if (!parse_notify(open + 1, arg_len, &item->notify))
			{
				snprintf(err, errlen, "unknown notify type '%.*s'",
						 (int)arg_len, open + 1);
				return FALSE;
			}
			return TRUE;
		}
		if (name_len == 4 && strneq(tok, "CPRQ", 4))
		{
			item->type = PLV2_CONFIGURATION;
			return parse_attrs(open + 1, arg_len, item, err, errlen);
		}
		snprintf(err, errlen, "'%.*s' takes no argument", (int)name_len, tok);
		return FALSE;
	}
	for (i = 0; i < countof(payload_names); i++)
	{
		if (strlen(payload_names[i].name) == len &&
			strneq(payload_names[i].name, tok, len))
		{
			if (payload_names[i].type == PLV2_NOTIFY)
			{
				snprintf(err, errlen, "N needs a notify type: N(NAME)");
				return FALSE;
			}
			item->type = payload_names[i].type;
			return TRUE;
		}
	}
	snprintf(err, errlen, "unknown payload '%.*s'", (int)len, tok);
	return FALSE;
}

/*
 * Described in header
 */
bool rw_emulate_parse_layout(const char *str, rw_emulate_layout_t *layout,
							 char *err, size_t len)
{
	size_t i = 0, start, n;
	int depth;

	memset(layout, 0, sizeof(*layout));
	if (!str)
	{
		snprintf(err, len, "no layout");
		return FALSE;
	}
	n = strlen(str);
	while (i < n)
	{
		while (i < n && isspace((u_char)str[i]))
		{
			i++;
		}
		if (i == n)
		{
			break;
		}
		start = i;
		depth = 0;
		while (i < n && (depth || !isspace((u_char)str[i])))
		{
			if (str[i] == '(')
			{
				depth++;
			}
			else if (str[i] == ')')
			{
				if (!depth)
				{
					snprintf(err, len, "unbalanced ')' at offset %zu", i);
					return FALSE;
				}
				depth--;
			}
			i++;
		}
		if (depth)
		{
			snprintf(err, len, "unbalanced '(' at offset %zu", start);
			return FALSE;
		}
		if (layout->count >= RW_EMULATE_MAX_ITEMS)
		{
			snprintf(err, len, "more than %d payloads", RW_EMULATE_MAX_ITEMS);
			return FALSE;
		}
		if (!parse_item(str + start, i - start, &layout->items[layout->count],
						err, len))
		{
			return FALSE;
		}
		layout->count++;
	}
	if (!layout->count)
	{
		snprintf(err, len, "empty layout");
		return FALSE;
	}
	layout->set = TRUE;
	return TRUE;
}


/*
 * Described in header
 */
bool rw_emulate_parse_vids(const char *str, rw_emulate_profile_t *profile,
						   char *err, size_t len)
{
	const char *pos = str;
	int hi, lo;

	profile->vid_count = 0;
	if (!str)
	{
		return TRUE;
	}
	while (*pos)
	{
		size_t n = 0;

		while (*pos == ',' || isspace((u_char)*pos))
		{
			pos++;
		}
		if (!*pos)
		{
			break;
		}
		if (profile->vid_count >= RW_EMULATE_MAX_VIDS)
		{
			snprintf(err, len, "more than %d vendor IDs", RW_EMULATE_MAX_VIDS);
			return FALSE;
		}
		while (*pos && *pos != ',' && !isspace((u_char)*pos))
		{
			if (*pos == ':')
			{
				pos++;
				continue;
			}
			hi = rw_hexval(pos[0]);
			lo = pos[1] ? rw_hexval(pos[1]) : -1;
			if (hi < 0 || lo < 0)
			{
				snprintf(err, len, "vendor ID %d is not hex",
						 profile->vid_count + 1);
				return FALSE;
			}
			if (n >= RW_EMULATE_MAX_VID_LEN)
			{
				snprintf(err, len, "vendor ID %d is longer than %d bytes",
						 profile->vid_count + 1, RW_EMULATE_MAX_VID_LEN);
				return FALSE;
			}
			profile->vids[profile->vid_count][n++] = (hi << 4) | lo;
			pos += 2;
		}
		profile->vid_len[profile->vid_count++] = n;
	}
	return TRUE;
}

/**
 * Read an optional layout
 */
static bool load_layout(settings_t *settings, char *key,
						rw_emulate_layout_t *layout, char *err, size_t len)
{
	char *str, buf[128];

	str = settings->get_str(settings, key, NULL);
	if (!str)
	{
		memset(layout, 0, sizeof(*layout));
		return TRUE;
	}
	if (!rw_emulate_parse_layout(str, layout, buf, sizeof(buf)))
	{
		snprintf(err, len, "%s: %s", key, buf);
		return FALSE;
	}
	return TRUE;
}

/*
 * Described in header
 */
bool rw_emulate_profile_load(char *file, rw_emulate_profile_t *profile,
							 char *err, size_t len)
{
	settings_t *settings;
	char *name, buf[128];
	bool ok = FALSE;

	memset(profile, 0, sizeof(*profile));
	/* settings_create() accepts a missing file silently */
	if (!file || access(file, R_OK) != 0)
	{
		snprintf(err, len, "cannot read profile '%s': %s", file ?: "",
				 file ? strerror(errno) : "not set");
		return FALSE;
	}
	settings = settings_create(file);
	name = settings->get_str(settings, "name", NULL);
	if (!name || !*name)
	{
		snprintf(err, len, "profile '%s' has no name (or does not parse)", file);
		goto out;
	}
	snprintf(profile->name, sizeof(profile->name), "%s", name);
	snprintf(profile->family, sizeof(profile->family), "%s",
			 settings->get_str(settings, "family", "unknown"));
	if (!load_layout(settings, "ike_sa_init", &profile->ike_sa_init, err, len) ||
		!load_layout(settings, "ike_auth", &profile->ike_auth, err, len))
	{
		goto out;
	}
	if (!rw_emulate_parse_vids(settings->get_str(settings, "vendor_ids", NULL),
							   profile, buf, sizeof(buf)))
	{
		snprintf(err, len, "vendor_ids: %s", buf);
		goto out;
	}
	profile->certreq_unknown = settings->get_int(settings, "certreq_unknown", 0);
	if (profile->certreq_unknown < 0 || profile->certreq_unknown > 200)
	{
		snprintf(err, len, "certreq_unknown must be 0..200");
		goto out;
	}
	profile->fail_without_cert = settings->get_bool(settings,
										"failures.without_cert", FALSE);
	profile->fail_on_modp1536 = settings->get_bool(settings,
										"failures.modp1536", FALSE);
	profile->ignore_natd_dpd = settings->get_bool(settings,
										"failures.natd_dpd", FALSE);
	profile->ipv6_needs_default = settings->get_bool(settings,
										"failures.ipv6_without_default", FALSE);
	ok = TRUE;
out:
	settings->destroy(settings);
	return ok;
}
