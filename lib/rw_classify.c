/*
 * Client classifier: scores the families a client may belong to with a table of
 * rules, each a set of conditions on what the client sent, and picks the best.
 *
 * Rule text (built-in rules below use the same syntax; one rule per line, '#' starts
 * a comment):
 *
 *   NAME family=FAMILY weight=N [hint="TEXT"] CONDITION...
 *   NAME off
 *
 * A rule whose conditions all hold adds its weight (-1000..1000) to the score of its
 * family. The family with the highest score wins if that score is at least
 * RW_CL_MIN_SCORE and no other family has the same score; confidence is the winner's
 * score minus the runner-up's (positive) score, at most 100. The hint is that of the
 * first matching rule of the winning family that has one; rules added as text are
 * checked before the built-in ones. A rule with the name of an existing rule replaces
 * it in place; "NAME off" disables it. FAMILY is a new or existing family name
 * (lower case letters, digits, '-'), not "unknown".
 *
 * Conditions (all must hold; a condition on something that was not seen is false):
 *
 *   Lists, LIST one of init_notify, auth_notify (notify types), cp (configuration
 *   request attributes), init_payload, auth_payload (payload types), items as charon's
 *   short names or numbers (REDIR_SUP, 16406, DOMAIN, (25), TSr ...):
 *     LIST_has=A,B       all present           LIST_any=A,B     at least one present
 *     LIST_lacks=A,B     none present          LIST_first=A     first item is A
 *     LIST_last=A        last item is A        LIST_seq=A,B,C   exactly this sequence
 *     LIST_begins=A,B    starts with A,B       LIST_only=A,B    non-empty, only these
 *     LIST_order=A,B     A occurs before B     LIST_count<op>N  number of items
 *   IKE_SA_INIT:
 *     vid=HEX            a vendor ID starts with these bytes (colons allowed)
 *     vid_count<op>N     number of vendor ID payloads
 *     ke_group=G,...     group of the KE payload is one of (MODP_2048_256 or 24)
 *     first_ke=G,...     first key exchange method of the first proposal is one of
 *     proposal_count<op>N
 *     proposal_style=single|multi   every proposal has at most one transform of each
 *                        type (Windows, Apple) / some has several (charon)
 *     first_proposal_has=T, any_proposal_has=T, all_proposals_have=T
 *                        T as charon prints it: AES_CBC_256, MODP_1024 ...
 *     first_proposal=T/T/T   the first proposal is exactly these transforms
 *     legacy_only=yes|no the offer is legacy only (rw_cl_offer_is_legacy_only)
 *   IKE_AUTH:
 *     certreq_count<op>N CERTREQ payloads       certreq_cas<op>N  CAs requested
 *     idi_type=T,...     IPV4 FQDN RFC822 IPV6 DN KEY_ID or numbers
 *   have=init|auth       that message was seen
 *
 * <op> is one of = >= <= > <.
 */

#include "rw_classify.h"
#include "rw_hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** a family needs this score to be reported */
#define RW_CL_MIN_SCORE 20
#define MAX_FAMILIES 16
#define MAX_RULES 256
#define MAX_CONDS 8
#define MAX_VALUES 8
#define NAME_LEN 32
#define MAX_LINE 1024

/* ------------------------------------------------------------------------------ */
/* names */

typedef struct {
	uint16_t value;
	const char *name;
} name_t;

static const name_t payload_names[] = {
	{ 33, "SA" }, { 34, "KE" }, { 35, "IDi" }, { 36, "IDr" }, { 37, "CERT" },
	{ 38, "CERTREQ" }, { 39, "AUTH" }, { 40, "No" }, { 41, "N" }, { 42, "D" },
	{ 43, "V" }, { 44, "TSi" }, { 45, "TSr" }, { 46, "E" }, { 47, "CP" },
	{ 48, "EAP" }, { 49, "GSPM" }, { 50, "IDg" }, { 51, "GSA" }, { 52, "KD" },
	{ 53, "EF" },
};

/* notify_type_short_names of strongSwan 5.9.8 (notify_payload.c), plus IKE_INT_SUP of
 * 6.x; tests/test_names.c compares them with the installed libcharon */
static const name_t notify_names[] = {
	{ 1, "CRIT" }, { 4, "INVAL_IKE_SPI" },
	{ 5, "INVAL_MAJOR" }, { 7, "INVAL_SYN" }, { 9, "INVAL_MID" }, { 11, "INVAL_SPI" },
	{ 13, "ATTR_UNSUP" }, { 14, "NO_PROP" }, { 16, "PLD_MAL" }, { 17, "INVAL_KE" },
	{ 18, "INVAL_ID" }, { 19, "INVAL_CERTEN" }, { 20, "INVAL_CERT" },
	{ 21, "CERT_UNSUP" }, { 22, "INVAL_CA" }, { 23, "INVAL_HASH" },
	{ 24, "AUTH_FAILED" }, { 34, "SINGLE_PAIR" }, { 35, "NO_ADD_SAS" },
	{ 36, "INT_ADDR_FAIL" }, { 37, "FAIL_CP_REQ" }, { 38, "TS_UNACCEPT" },
	{ 39, "INVAL_SEL" }, { 40, "UNACCEPT_ADDR" }, { 41, "UNEXPECT_NAT" },
	{ 42, "ASSIGNED_HoA" }, { 43, "TEMP_FAIL" }, { 44, "NO_CHILD_SA" },
	{ 8192, "ME_CONN_FAIL" }, { 12345, "MS_STATUS" },
	{ 16384, "INIT_CONTACT" }, { 16385, "SET_WINSIZE" }, { 16386, "ADD_TS_POSS" },
	{ 16387, "IPCOMP_SUP" }, { 16388, "NATD_S_IP" }, { 16389, "NATD_D_IP" },
	{ 16390, "COOKIE" }, { 16391, "USE_TRANSP" }, { 16392, "HTTP_CERT_LOOK" },
	{ 16393, "REKEY_SA" }, { 16394, "ESP_TFC_PAD_N" }, { 16395, "NON_FIRST_FRAG" },
	{ 16396, "MOBIKE_SUP" }, { 16397, "ADD_4_ADDR" }, { 16398, "ADD_6_ADDR" },
	{ 16399, "NO_ADD_ADDR" }, { 16400, "UPD_SA_ADDR" }, { 16401, "COOKIE2" },
	{ 16402, "NO_NATS" }, { 16403, "AUTH_LFT" }, { 16404, "MULT_AUTH" },
	{ 16405, "AUTH_FOLLOWS" }, { 16406, "REDIR_SUP" }, { 16407, "REDIR" },
	{ 16408, "REDIR_FROM" }, { 16409, "TKT_LT_OPAK" }, { 16410, "TKT_REQ" },
	{ 16411, "TKT_ACK" }, { 16412, "TKT_NACK" }, { 16413, "TKT_OPAK" },
	{ 16414, "LINK_ID" }, { 16415, "WESP_MODE" }, { 16416, "ROHC_SUP" },
	{ 16417, "EAP_ONLY" }, { 16418, "CHDLESS_SUP" }, { 16419, "CRASH_DET" },
	{ 16420, "MSG_ID_SYN_SUP" }, { 16421, "RPL_CTR_SYN_SUP" },
	{ 16422, "MSG_ID_SYN" }, { 16423, "RPL_CTR_SYN" }, { 16424, "SEC_PASSWD" },
	{ 16425, "PSK_PST" }, { 16426, "PSK_CFM" }, { 16427, "ERX_SUP" },
	{ 16428, "IFOM_CAP" }, { 16429, "SENDER_REQ_ID" }, { 16430, "FRAG_SUP" },
	{ 16431, "HASH_ALG" }, { 16435, "USE_PPK" }, { 16436, "PPK_ID" },
	{ 16437, "NO_PPK" }, { 16438, "IKE_INT_SUP" }, { 24578, "INITIAL_CONTACT" },
	{ 36136, "DPD" }, { 36137, "DPD_ACK" }, { 40501, "UNITY_LB" },
	{ 40961, "BEET_MODE" }, { 40962, "ME_MED" }, { 40963, "ME_EP" },
	{ 40964, "ME_CB" }, { 40965, "ME_CID" }, { 40966, "ME_CKEY" },
	{ 40967, "ME_CAUTH" }, { 40968, "ME_R" }, { 40969, "RADIUS" },
};

/* configuration_attribute_type_short_names (attributes.c) */
static const name_t cp_attr_names[] = {
	{ 1, "ADDR" }, { 2, "MASK" }, { 3, "DNS" }, { 4, "NBNS" }, { 5, "EXP" },
	{ 6, "DHCP" }, { 7, "VER" }, { 8, "ADDR6" }, { 9, "MASK6" }, { 10, "DNS6" },
	{ 11, "NBNS6" }, { 12, "DHCP6" }, { 13, "SUBNET" }, { 14, "SUP" },
	{ 15, "SUBNET6" }, { 16, "MIP6HPFX" }, { 17, "LINK6" }, { 18, "PFX6" },
	{ 19, "HOA" }, { 20, "PCSCF4" }, { 21, "PCSCF6" }, { 22, "FTTKAT" },
	{ 23, "EXTSRC4" }, { 24, "DPD" }, { 25, "DOMAIN" }, { 26, "TA" },
	{ 16520, "X_TYPE" }, { 16521, "X_USER" }, { 16522, "X_PWD" },
	{ 16523, "X_CODE" }, { 16524, "X_MSG" }, { 16525, "X_CHALL" },
	{ 16526, "X_DOMAIN" }, { 16527, "X_STATUS" }, { 16528, "X_PIN" },
	{ 16529, "X_ANSWER" }, { 23456, "SRV" }, { 23457, "SRV6" },
	{ 28672, "U_BANNER" }, { 28673, "U_SAVEPWD" }, { 28674, "U_DEFDOM" },
	{ 28675, "U_SPLITDNS" }, { 28676, "U_SPLITINC" }, { 28677, "U_NATTPORT" },
	{ 28678, "U_LOCALLAN" }, { 28679, "U_PFS" }, { 28680, "U_FWTYPE" },
	{ 28681, "U_BKPSRV" }, { 28682, "U_DDNSHOST" },
};

static const name_t id_type_names[] = {
	{ 1, "IPV4" }, { 2, "FQDN" }, { 3, "RFC822" }, { 5, "IPV6" }, { 9, "DN" },
	{ 11, "KEY_ID" },
};

/* transform names as printed by proposal_printf_hook (crypter.c, signer.c, prf.c,
 * key_exchange.c, transform.c); ML_KEM_* are strongSwan 6.x */
static const name_t encr_names[] = {
	{ 1, "DES_IV64" }, { 2, "DES_CBC" }, { 3, "3DES_CBC" }, { 4, "RC5_CBC" },
	{ 5, "IDEA_CBC" }, { 6, "CAST_CBC" }, { 7, "BLOWFISH_CBC" }, { 8, "3IDEA" },
	{ 9, "DES_IV32" }, { 11, "NULL" }, { 12, "AES_CBC" }, { 13, "AES_CTR" },
	{ 14, "AES_CCM_8" }, { 15, "AES_CCM_12" }, { 16, "AES_CCM_16" },
	{ 18, "AES_GCM_8" }, { 19, "AES_GCM_12" }, { 20, "AES_GCM_16" },
	{ 21, "NULL_AES_GMAC" }, { 23, "CAMELLIA_CBC" }, { 24, "CAMELLIA_CTR" },
	{ 25, "CAMELLIA_CCM_8" }, { 26, "CAMELLIA_CCM_12" }, { 27, "CAMELLIA_CCM_16" },
	{ 28, "CHACHA20_POLY1305" }, { 1024, "UNDEFINED" }, { 1025, "DES_ECB" },
	{ 1026, "SERPENT_CBC" }, { 1027, "TWOFISH_CBC" }, { 1028, "RC2_CBC" },
	{ 1029, "AES_ECB" }, { 1030, "AES_CFB" },
};

static const name_t integ_names[] = {
	{ 1, "HMAC_MD5_96" }, { 2, "HMAC_SHA1_96" }, { 3, "DES_MAC" }, { 4, "KPDK_MD5" },
	{ 5, "AES_XCBC_96" }, { 6, "HMAC_MD5_128" }, { 7, "HMAC_SHA1_160" },
	{ 8, "AES_CMAC_96" }, { 9, "AES_128_GMAC" }, { 10, "AES_192_GMAC" },
	{ 11, "AES_256_GMAC" }, { 12, "HMAC_SHA2_256_128" }, { 13, "HMAC_SHA2_384_192" },
	{ 14, "HMAC_SHA2_512_256" }, { 1025, "HMAC_SHA1_128" },
	{ 1026, "HMAC_SHA2_256_96" }, { 1027, "HMAC_SHA2_256_256" },
	{ 1028, "HMAC_SHA2_384_384" }, { 1029, "HMAC_SHA2_512_512" },
	{ 1030, "CAMELLIA_XCBC_96" },
};

static const name_t prf_names[] = {
	{ 1, "PRF_HMAC_MD5" }, { 2, "PRF_HMAC_SHA1" }, { 3, "PRF_HMAC_TIGER" },
	{ 4, "PRF_AES128_XCBC" }, { 5, "PRF_HMAC_SHA2_256" }, { 6, "PRF_HMAC_SHA2_384" },
	{ 7, "PRF_HMAC_SHA2_512" }, { 8, "PRF_AES128_CMAC" }, { 1024, "PRF_UNDEFINED" },
	{ 1025, "PRF_FIPS_SHA1_160" }, { 1026, "PRF_FIPS_DES" },
	{ 1027, "PRF_KEYED_SHA1" }, { 1028, "PRF_CAMELLIA128_XCBC" },
};

static const name_t ke_names[] = {
	{ 0, "KE_NONE" }, { 1, "MODP_768" }, { 2, "MODP_1024" }, { 5, "MODP_1536" },
	{ 14, "MODP_2048" }, { 15, "MODP_3072" }, { 16, "MODP_4096" },
	{ 17, "MODP_6144" }, { 18, "MODP_8192" }, { 19, "ECP_256" }, { 20, "ECP_384" },
	{ 21, "ECP_521" }, { 22, "MODP_1024_160" }, { 23, "MODP_2048_224" },
	{ 24, "MODP_2048_256" }, { 25, "ECP_192" }, { 26, "ECP_224" },
	{ 27, "ECP_224_BP" }, { 28, "ECP_256_BP" }, { 29, "ECP_384_BP" },
	{ 30, "ECP_512_BP" }, { 31, "CURVE_25519" }, { 32, "CURVE_448" },
	{ 35, "ML_KEM_512" }, { 36, "ML_KEM_768" }, { 37, "ML_KEM_1024" },
	{ 1024, "MODP_NULL" }, { 1030, "NTRU_112" }, { 1031, "NTRU_128" },
	{ 1032, "NTRU_192" }, { 1033, "NTRU_256" }, { 1040, "NEWHOPE_128" },
};

static const name_t esn_names[] = {
	{ 0, "NO_EXT_SEQ" }, { 1, "EXT_SEQ" },
};

#define countof(a) (sizeof(a) / sizeof((a)[0]))

static const name_t *names_of(rw_cl_names_t kind, size_t *count)
{
	switch (kind)
	{
		case RW_CL_NAMES_PAYLOAD:
			*count = countof(payload_names);
			return payload_names;
		case RW_CL_NAMES_NOTIFY:
			*count = countof(notify_names);
			return notify_names;
		case RW_CL_NAMES_CP_ATTR:
			*count = countof(cp_attr_names);
			return cp_attr_names;
		case RW_CL_NAMES_ID_TYPE:
			*count = countof(id_type_names);
			return id_type_names;
	}
	*count = 0;
	return NULL;
}

static bool find_name(const name_t *names, size_t count, const char *s, size_t len,
					  uint16_t *value)
{
	size_t i;

	for (i = 0; i < count; i++)
	{
		if (strlen(names[i].name) == len && !memcmp(names[i].name, s, len))
		{
			*value = names[i].value;
			return true;
		}
	}
	return false;
}

/* decimal 0..65535 of exactly len bytes */
static bool parse_u16(const char *s, size_t len, uint16_t *value)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 5)
	{
		return false;
	}
	for (i = 0; i < len; i++)
	{
		if (s[i] < '0' || s[i] > '9')
		{
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (v > 0xffff)
	{
		return false;
	}
	*value = (uint16_t)v;
	return true;
}

/* "(N)" as charon prints values without a name, or "N" */
static bool parse_number(const char *s, size_t len, uint16_t *value)
{
	if (len >= 3 && s[0] == '(' && s[len - 1] == ')')
	{
		return parse_u16(s + 1, len - 2, value);
	}
	return parse_u16(s, len, value);
}

bool rw_cl_name_lookup(rw_cl_names_t kind, const char *name, size_t len,
					   uint16_t *value)
{
	const name_t *names;
	size_t count;

	if (!name)
	{
		return false;
	}
	names = names_of(kind, &count);
	if (names && find_name(names, count, name, len, value))
	{
		return true;
	}
	return parse_number(name, len, value);
}

const char *rw_cl_name(rw_cl_names_t kind, uint16_t value)
{
	const name_t *names;
	size_t count, i;

	names = names_of(kind, &count);
	for (i = 0; i < count; i++)
	{
		if (names[i].value == value)
		{
			return names[i].name;
		}
	}
	return NULL;
}

static const name_t *transform_names(uint8_t type, size_t *count)
{
	switch (type)
	{
		case RW_TRANS_ENCR:
			*count = countof(encr_names);
			return encr_names;
		case RW_TRANS_PRF:
			*count = countof(prf_names);
			return prf_names;
		case RW_TRANS_INTEG:
			*count = countof(integ_names);
			return integ_names;
		case RW_TRANS_KE:
			*count = countof(ke_names);
			return ke_names;
		case RW_TRANS_ESN:
			*count = countof(esn_names);
			return esn_names;
		default:
			if (type >= RW_TRANS_ADDKE1 && type <= RW_TRANS_ADDKE7)
			{
				*count = countof(ke_names);
				return ke_names;
			}
	}
	*count = 0;
	return NULL;
}

/* a name without key length, in the order charon prints the types */
static bool lookup_transform(const char *s, size_t len, rw_cl_transform_t *t)
{
	static const uint8_t types[] = {
		RW_TRANS_ENCR, RW_TRANS_INTEG, RW_TRANS_PRF, RW_TRANS_KE, RW_TRANS_ESN,
	};
	const name_t *names;
	size_t i, count;

	for (i = 0; i < countof(types); i++)
	{
		names = transform_names(types[i], &count);
		if (find_name(names, count, s, len, &t->id))
		{
			t->type = types[i];
			return true;
		}
	}
	return false;
}

bool rw_cl_parse_transform(const char *s, size_t len, rw_cl_transform_t *t)
{
	const name_t *names;
	uint16_t a, b;
	size_t i, count;

	memset(t, 0, sizeof(*t));
	if (!s || !len)
	{
		return false;
	}
	if (s[0] == '(')
	{
		return parse_number(s, len, &t->id);
	}
	/* additional key exchanges: KE1_ML_KEM_768 */
	if (len > 4 && s[0] == 'K' && s[1] == 'E' && s[2] >= '1' && s[2] <= '7' &&
		s[3] == '_')
	{
		names = transform_names(RW_TRANS_KE, &count);
		if (find_name(names, count, s + 4, len - 4, &t->id) ||
			parse_number(s + 4, len - 4, &t->id))
		{
			t->type = RW_TRANS_ADDKE1 + (s[2] - '1');
			return true;
		}
		return false;
	}
	/* UNKNOWN_<type>_<id> of transforms without a name table */
	if (len > 8 && !memcmp(s, "UNKNOWN_", 8))
	{
		for (i = 8; i < len && s[i] != '_'; i++)
		{
		}
		if (i < len && parse_u16(s + 8, i - 8, &a) && parse_u16(s + i + 1, len - i - 1,
																&b) && a < 256)
		{
			t->type = a;
			t->id = b;
			return true;
		}
		return false;
	}
	if (lookup_transform(s, len, t))
	{
		return true;
	}
	/* NAME_KEYLEN (AES_CBC_256, AES_GCM_16_128, CHACHA20_POLY1305_256) */
	for (i = len; i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'; i--)
	{
	}
	if (i > 1 && i < len && s[i - 1] == '_' && parse_u16(s + i, len - i, &a) &&
		lookup_transform(s, i - 1, t) && t->type == RW_TRANS_ENCR)
	{
		t->keylen = a;
		return true;
	}
	memset(t, 0, sizeof(*t));
	return false;
}

const char *rw_cl_transform_name(const rw_cl_transform_t *t, char *buf, size_t len)
{
	const name_t *names;
	const char *name = NULL;
	size_t count, i;

	names = transform_names(t->type, &count);
	for (i = 0; i < count; i++)
	{
		if (names[i].value == t->id)
		{
			name = names[i].name;
			break;
		}
	}
	if (!name)
	{
		if (t->type)
		{
			snprintf(buf, len, "UNKNOWN_%u_%u", t->type, t->id);
		}
		else
		{
			snprintf(buf, len, "(%u)", t->id);
		}
		return buf;
	}
	if (t->type >= RW_TRANS_ADDKE1 && t->type <= RW_TRANS_ADDKE7)
	{
		snprintf(buf, len, "KE%d_%s", t->type - RW_TRANS_ADDKE1 + 1, name);
	}
	else if (t->keylen)
	{
		snprintf(buf, len, "%s_%u", name, t->keylen);
	}
	else
	{
		snprintf(buf, len, "%s", name);
	}
	return buf;
}

/* ------------------------------------------------------------------------------ */
/* legacy algorithms */

bool rw_cl_transform_is_legacy(const rw_cl_transform_t *t)
{
	switch (t->type)
	{
		case RW_TRANS_ENCR:
			/* DES, 3DES, RC5, IDEA, CAST, Blowfish, 3IDEA, NULL; DES_ECB, RC2 */
			return (t->id >= 1 && t->id <= 9) || t->id == 11 || t->id == 1025 ||
				   t->id == 1028;
		case RW_TRANS_INTEG:
			/* MD5 and SHA1 HMACs, DES_MAC, KPDK_MD5 */
			return (t->id >= 1 && t->id <= 4) || t->id == 6 || t->id == 7 ||
				   t->id == 1025;
		case RW_TRANS_PRF:
			/* MD5, SHA1, Tiger; FIPS SHA1/DES, keyed SHA1 */
			return (t->id >= 1 && t->id <= 3) || (t->id >= 1025 && t->id <= 1027);
		case RW_TRANS_KE:
			/* MODP_768, MODP_1024, MODP_1536, MODP_1024_160, ECP_192, MODP_NULL */
			return t->id == 1 || t->id == 2 || t->id == 5 || t->id == 22 ||
				   t->id == 25 || t->id == 1024;
		default:
			return false;
	}
}

bool rw_cl_proposal_is_legacy(const rw_cl_proposal_t *p)
{
	/* per type: [0] offered, [1] some non-legacy offered */
	bool seen[RW_TRANS_ADDKE7 + 1][2] = { { false } };
	unsigned i, n = p->n_transforms;
	uint8_t type;

	if (n > RW_CL_MAX_TRANSFORMS)
	{
		n = RW_CL_MAX_TRANSFORMS;
	}
	for (i = 0; i < n; i++)
	{
		type = p->transforms[i].type;
		if (type == 0 || type > RW_TRANS_ADDKE7 || type == RW_TRANS_ESN)
		{
			continue;
		}
		seen[type][0] = true;
		if (!rw_cl_transform_is_legacy(&p->transforms[i]))
		{
			seen[type][1] = true;
		}
	}
	for (type = 1; type <= RW_TRANS_ADDKE7; type++)
	{
		if (seen[type][0] && !seen[type][1])
		{
			return true;
		}
	}
	return false;
}

bool rw_cl_offer_is_legacy_only(const rw_cl_msg_t *msg)
{
	unsigned i, n = msg->n_proposals;

	if (n > RW_CL_MAX_PROPOSALS)
	{
		n = RW_CL_MAX_PROPOSALS;
	}
	if (!n)
	{
		return false;
	}
	for (i = 0; i < n; i++)
	{
		if (!rw_cl_proposal_is_legacy(&msg->proposals[i]))
		{
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------------ */
/* append helpers */

void rw_cl_add_payload(rw_cl_msg_t *msg, uint8_t type)
{
	if (msg->n_payloads < RW_CL_MAX_PAYLOADS)
	{
		msg->payloads[msg->n_payloads++] = type;
		return;
	}
	msg->overflow++;
}

void rw_cl_add_notify(rw_cl_msg_t *msg, uint16_t type)
{
	if (msg->n_notifies < RW_CL_MAX_NOTIFIES)
	{
		msg->notifies[msg->n_notifies++] = type;
		return;
	}
	msg->overflow++;
}

void rw_cl_add_vid(rw_cl_msg_t *msg, const uint8_t *data, size_t len)
{
	rw_cl_vid_t *vid;

	if (msg->n_vids >= RW_CL_MAX_VIDS)
	{
		msg->overflow++;
		return;
	}
	vid = &msg->vids[msg->n_vids++];
	if (len > RW_CL_MAX_VID_LEN)
	{
		/* rules match prefixes: the first bytes are what counts */
		len = RW_CL_MAX_VID_LEN;
		msg->overflow++;
	}
	vid->len = (uint8_t)len;
	if (len)
	{
		memcpy(vid->data, data, len);
	}
}

void rw_cl_add_cp_attr(rw_cl_msg_t *msg, uint16_t type)
{
	if (msg->n_cp_attrs < RW_CL_MAX_ATTRS)
	{
		msg->cp_attrs[msg->n_cp_attrs++] = type;
		return;
	}
	msg->overflow++;
}

rw_cl_proposal_t *rw_cl_add_proposal(rw_cl_msg_t *msg, uint8_t protocol)
{
	rw_cl_proposal_t *p;

	if (msg->n_proposals >= RW_CL_MAX_PROPOSALS)
	{
		msg->overflow++;
		return NULL;
	}
	p = &msg->proposals[msg->n_proposals++];
	memset(p, 0, sizeof(*p));
	p->protocol = protocol;
	return p;
}

void rw_cl_add_transform(rw_cl_msg_t *msg, rw_cl_proposal_t *proposal, uint8_t type,
						 uint16_t id, uint16_t keylen)
{
	rw_cl_transform_t *t;

	if (!proposal || proposal->n_transforms >= RW_CL_MAX_TRANSFORMS)
	{
		msg->overflow++;
		return;
	}
	t = &proposal->transforms[proposal->n_transforms++];
	t->type = type;
	t->id = id;
	t->keylen = keylen;
}

void rw_cl_add_ts(rw_cl_msg_t *msg, bool responder, uint8_t type, bool full)
{
	rw_cl_ts_t *list = responder ? msg->tsr : msg->tsi;
	uint8_t *n = responder ? &msg->n_tsr : &msg->n_tsi;

	if (*n >= RW_CL_MAX_TS)
	{
		msg->overflow++;
		return;
	}
	list[*n].type = type;
	list[*n].full = full;
	(*n)++;
}

/* ------------------------------------------------------------------------------ */
/* rules */

typedef enum {
	C_LIST,
	C_VID,
	C_VID_COUNT,
	C_KE_GROUP,
	C_FIRST_KE,
	C_PROPOSAL_COUNT,
	C_PROPOSAL_STYLE,
	C_FIRST_PROPOSAL_HAS,
	C_ANY_PROPOSAL_HAS,
	C_ALL_PROPOSALS_HAVE,
	C_FIRST_PROPOSAL,
	C_LEGACY_ONLY,
	C_CERTREQ_COUNT,
	C_CERTREQ_CAS,
	C_IDI_TYPE,
	C_HAVE,
} cond_kind_t;

typedef enum {
	L_INIT_NOTIFY,
	L_AUTH_NOTIFY,
	L_CP,
	L_INIT_PAYLOAD,
	L_AUTH_PAYLOAD,
} list_t;

typedef enum {
	OP_HAS,
	OP_ANY,
	OP_LACKS,
	OP_FIRST,
	OP_LAST,
	OP_SEQ,
	OP_BEGINS,
	OP_ONLY,
	OP_ORDER,
	OP_COUNT,
} list_op_t;

typedef enum {
	CMP_EQ,
	CMP_GE,
	CMP_LE,
	CMP_GT,
	CMP_LT,
} cmp_t;

typedef struct {
	uint8_t kind;
	uint8_t list;
	uint8_t op;
	uint8_t cmp;
	uint8_t n;
	/* flag: proposal_style=multi, legacy_only=yes, have=auth */
	bool flag;
	int32_t count;
	uint16_t values[MAX_VALUES];
	rw_cl_transform_t transforms[MAX_VALUES];
	uint8_t bytes[RW_CL_MAX_VID_LEN];
} cond_t;

typedef struct {
	char name[NAME_LEN];
	bool off;
	uint8_t family;
	int weight;
	char hint[RW_HINT_LEN];
	uint8_t n_conds;
	cond_t conds[MAX_CONDS];
} rule_t;

struct rw_classifier_t {
	char families[MAX_FAMILIES][RW_FAMILY_LEN];
	unsigned n_families;
	/* in hint order: rules added as text first */
	rule_t *rules;
	unsigned n_rules;
};

/*
 * The built-in rules, from the summary of client-fingerprints.md ("Strongest
 * separators"). Weights: a strong separator alone decides (>= 45), weaker signals
 * need company; negative weights for what a family never sends.
 */
static const struct {
	const char *name;
	const char *family;
	int weight;
	const char *hint;
	const char *when;
} builtin_rules[] = {
	/* 1. vendor IDs: MD5("MS NT5 ISAKMPOAKLEY") + version, MS-Negotiation Discovery
	 * Capable, Vid-Initial-Contact, the unnamed Microsoft VID; strongSwan's own */
	{ "ms-nt5-vid", "windows", 70, NULL, "vid=1e2b516905991c7d7c96fcbfb587e461" },
	{ "ms-negotiation-vid", "windows", 40, NULL,
	  "vid=fb1de3cdf341b7ea16b7e5be0855f120" },
	{ "ms-initial-contact-vid", "windows", 30, NULL,
	  "vid=26244d38eddb61b3172a36e3d0cfb819" },
	{ "ms-unnamed-vid", "windows", 30, NULL,
	  "vid=01528bbbc00696121849ab9a1c5b2a51" },
	{ "strongswan-vid", "strongswan", 60, NULL,
	  "vid=882fe56d6fd20dbc2251613b2ebe5beb" },
	{ "apple-no-vids", "apple", -40, NULL, "vid_count>=1" },
	{ "android-no-vids", "android-native", -40, NULL, "vid_count>=1" },

	/* 2. configuration request attributes */
	{ "windows-cp-nbns-srv", "windows", 50, NULL, "cp_has=NBNS cp_any=SRV,SRV6" },
	{ "windows-cp-srv", "windows", 25, NULL, "cp_any=SRV,SRV6" },
	{ "apple-cp-domain", "apple", 45, NULL, "cp_has=DOMAIN cp_any=DHCP,DHCP6,MASK" },
	{ "apple-cp-dhcp", "apple", 20, NULL, "cp_any=DHCP,DHCP6" },
	{ "android-cp-ver", "android-native", 50, NULL, "cp_has=VER" },
	{ "charon-cp-plain", "strongswan", 25, NULL, "cp_only=ADDR,ADDR6,DNS,DNS6" },

	/* 3. IKE_SA_INIT notifies */
	{ "apple-redir-first", "apple", 50, NULL, "init_notify_first=REDIR_SUP" },
	{ "apple-no-redir", "apple", 15, NULL,
	  "init_notify_seq=NATD_S_IP,NATD_D_IP,FRAG_SUP vid_count=0" },
	{ "windows-frag-first", "windows", 20, NULL,
	  "init_notify_first=FRAG_SUP vid_count>=1" },
	{ "windows-no-redir", "windows", -40, NULL, "init_notify_any=REDIR_SUP,HASH_ALG" },
	{ "charon-init-order", "strongswan", 35, NULL,
	  "init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,REDIR_SUP" },
	{ "android-init-order", "android-native", 25, NULL,
	  "init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,REDIR_SUP" },
	{ "charon-ike-int", "strongswan", 15, NULL, "init_notify_has=IKE_INT_SUP" },

	/* 4. IKE_AUTH notifies and layout */
	{ "apple-auth-notifies", "apple", 35, NULL,
	  "auth_notify_has=ESP_TFC_PAD_N,NON_FIRST_FRAG" },
	{ "windows-auth-layout", "windows", 30, NULL,
	  "auth_payload_lacks=IDr auth_notify_count<=1 auth_payload_order=CP,SA" },
	{ "windows-auth-no-contact", "windows", -30, NULL,
	  "auth_notify_any=INIT_CONTACT,ESP_TFC_PAD_N,NON_FIRST_FRAG,EAP_ONLY" },
	{ "android-cp-after-tsr", "android-native", 30, NULL,
	  "auth_payload_order=TSr,CP" },
	{ "android-auth-no-notifies", "android-native", 20, NULL,
	  "auth_notify_count=0 auth_payload_has=IDi,SA" },
	{ "charon-no-add-addr", "strongswan", 40, NULL, "auth_notify_has=NO_ADD_ADDR" },
	{ "charon-msg-id-sync", "strongswan", 25, NULL, "auth_notify_has=MSG_ID_SYN_SUP" },
	{ "charon-mult-auth", "strongswan", 10, NULL, "auth_notify_has=MULT_AUTH" },

	/* 5. KE group and proposal style */
	{ "android-ke-modp2048s256", "android-native", 45, NULL, "ke_group=MODP_2048_256" },
	{ "android-ke-modp4096", "android-native", 35, NULL,
	  "first_ke=MODP_4096 proposal_style=multi" },
	{ "charon-ke-ecc", "strongswan", 15, NULL,
	  "ke_group=ECP_256,ECP_384,CURVE_25519 "
	  "init_notify_begins=NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG" },
	{ "charon-multi-proposals", "strongswan", 10, NULL, "proposal_style=multi" },
	{ "windows-default-proposals", "windows", 45,
	  "Windows default proposals (3DES/MODP_1024)",
	  "proposal_count>=4 proposal_style=single all_proposals_have=MODP_1024 "
	  "first_proposal_has=3DES_CBC" },
	{ "windows-win11-gcm", "windows", 30, "Windows 11 default proposals (GCM/MODP_1024)",
	  "proposal_count>=4 proposal_style=single all_proposals_have=MODP_1024 "
	  "any_proposal_has=AES_GCM_16_256" },
	{ "apple-modp1536", "apple", 30, NULL,
	  "proposal_style=single any_proposal_has=MODP_1536" },
	{ "apple-ios17-proposals", "apple", 35, "iOS 17+/macOS 14+ (GCM/ECP_256 first)",
	  "proposal_style=single proposal_count>=2 "
	  "first_proposal=AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256" },
	{ "apple-2017-proposals", "apple", 35, "iOS/macOS 2017-2023 proposal set",
	  "proposal_style=single proposal_count>=4 "
	  "first_proposal=AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" },
	{ "apple-single-proposal", "apple", 20,
	  "macOS 13 default or Apple profile (single proposal)",
	  "proposal_count=1 "
	  "first_proposal=AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" },
	{ "windows-dh2048-aes256", "windows", 10, NULL,
	  "proposal_count<=3 proposal_style=single all_proposals_have=AES_CBC_256 "
	  "all_proposals_have=MODP_2048" },

	/* 6. CERTREQ count and IDi type */
	{ "windows-idi-ipv4", "windows", 15, NULL, "idi_type=IPV4" },
	{ "windows-many-certreqs", "windows", 10, NULL,
	  "certreq_cas>=20 auth_notify_count<=1" },

	/* hints only (weight 0), most specific first */
	{ "hint-windows-custom", "windows", 0, "Windows custom proposal (PowerShell/profile)",
	  "proposal_count=1" },
	{ "hint-windows-nofrag", "windows", 0, "Windows before 10 1803 (no IKEv2 fragmentation)",
	  "init_notify_seq=NATD_S_IP,NATD_D_IP" },
	{ "hint-windows-frag", "windows", 0, "Windows 10 1803+ or 11",
	  "init_notify_first=FRAG_SUP" },
	{ "hint-apple-legacy", "apple", 0, "Apple before iOS 14 (legacy-only offer)",
	  "legacy_only=yes" },
	{ "hint-apple-ios17-auth", "apple", 0, "iOS 17+/macOS 14+ (EAP_ONLY, MOBIKE_SUP last)",
	  "auth_notify_has=EAP_ONLY auth_notify_last=EAP_ONLY" },
	{ "hint-apple-ios17-init", "apple", 0, "iOS 17+/macOS 14+ (HASH_ALG)",
	  "init_notify_first=REDIR_SUP init_notify_has=HASH_ALG" },
	{ "hint-apple-old-auth", "apple", 0, "iOS/macOS before 17 (MOBIKE_SUP after INIT_CONTACT)",
	  "auth_notify_begins=INIT_CONTACT,MOBIKE_SUP" },
	{ "hint-apple-noredir", "apple", 0, "Apple profile with redirect disabled",
	  "init_notify_lacks=REDIR_SUP" },
	{ "hint-apple-modp2048", "apple", 0, "iOS/macOS default (MODP_2048 first)",
	  "init_notify_first=REDIR_SUP ke_group=MODP_2048" },
	{ "hint-android", "android-native", 0, "Android 11+ platform client", "have=init" },
	{ "hint-android-auth", "android-native", 0, "Android 11+ platform client",
	  "have=auth" },
	{ "hint-charon6", "strongswan", 0, "strongSwan 6.x (IKE_INT_SUP)",
	  "init_notify_has=IKE_INT_SUP" },
	{ "hint-charon-truststore", "strongswan", 0,
	  "charon-based, CERTREQ for a whole trust store (Android app)",
	  "certreq_cas>=20" },
	{ "hint-charon-old", "strongswan", 0, "charon 5.x before MSG_ID_SYN_SUP",
	  "auth_notify_has=NO_ADD_ADDR auth_notify_lacks=MSG_ID_SYN_SUP" },
	/* the family's own words when nothing more specific matched */
	{ "hint-apple", "apple", 0, "iOS/macOS native client", "have=init" },
	{ "hint-apple-auth", "apple", 0, "iOS/macOS native client", "have=auth" },
	{ "hint-windows", "windows", 0, "Windows native client (Agile VPN)", "have=init" },
	{ "hint-windows-auth", "windows", 0, "Windows native client (Agile VPN)",
	  "have=auth" },
	{ "hint-charon", "strongswan", 0,
	  "charon-based (strongSwan app, NetworkManager, swanctl ...)", "have=init" },
	{ "hint-charon-auth", "strongswan", 0,
	  "charon-based (strongSwan app, NetworkManager, swanctl ...)", "have=auth" },
};

static const char *const builtin_families[] = {
	"apple", "windows", "android-native", "strongswan",
};

/* ------------------------------------------------------------------------------ */
/* rule text */

typedef struct {
	const char *s;
	size_t len;
} span_t;

static bool span_eq(span_t a, const char *b)
{
	return strlen(b) == a.len && !memcmp(a.s, b, a.len);
}

static bool valid_family(span_t f)
{
	size_t i;

	if (!f.len || f.len >= RW_FAMILY_LEN || span_eq(f, "unknown"))
	{
		return false;
	}
	for (i = 0; i < f.len; i++)
	{
		if (!((f.s[i] >= 'a' && f.s[i] <= 'z') || (f.s[i] >= '0' && f.s[i] <= '9') ||
			  f.s[i] == '-'))
		{
			return false;
		}
	}
	return true;
}

static bool valid_rule_name(span_t n)
{
	size_t i;

	if (!n.len || n.len >= NAME_LEN)
	{
		return false;
	}
	for (i = 0; i < n.len; i++)
	{
		if (!((n.s[i] >= 'a' && n.s[i] <= 'z') || (n.s[i] >= 'A' && n.s[i] <= 'Z') ||
			  (n.s[i] >= '0' && n.s[i] <= '9') || n.s[i] == '-' || n.s[i] == '_' ||
			  n.s[i] == '.'))
		{
			return false;
		}
	}
	return true;
}

static int family_index(rw_classifier_t *cl, span_t f, bool add)
{
	unsigned i;

	for (i = 0; i < cl->n_families; i++)
	{
		if (span_eq(f, cl->families[i]))
		{
			return (int)i;
		}
	}
	if (!add || cl->n_families >= MAX_FAMILIES)
	{
		return -1;
	}
	memcpy(cl->families[cl->n_families], f.s, f.len);
	cl->families[cl->n_families][f.len] = '\0';
	return (int)cl->n_families++;
}

/* split "a,b,c" */
static int split_list(span_t v, span_t *items, int max)
{
	size_t start = 0, i;
	int n = 0;

	for (i = 0; i <= v.len; i++)
	{
		if (i == v.len || v.s[i] == ',')
		{
			if (i == start || n == max)
			{
				return -1;
			}
			items[n].s = v.s + start;
			items[n].len = i - start;
			n++;
			start = i + 1;
		}
	}
	return n;
}

static bool parse_int(span_t v, int32_t min, int32_t max, int32_t *out)
{
	long value = 0;
	bool neg = false;
	size_t i = 0;

	if (v.len && (v.s[0] == '-' || v.s[0] == '+'))
	{
		neg = v.s[0] == '-';
		i++;
	}
	if (i == v.len || v.len - i > 6)
	{
		return false;
	}
	for (; i < v.len; i++)
	{
		if (v.s[i] < '0' || v.s[i] > '9')
		{
			return false;
		}
		value = value * 10 + (v.s[i] - '0');
	}
	if (neg)
	{
		value = -value;
	}
	if (value < min || value > max)
	{
		return false;
	}
	*out = (int32_t)value;
	return true;
}


/* hex with optional ':' separators into bytes; returns the count or -1 */
static int parse_hex(span_t v, uint8_t *out, size_t max)
{
	size_t i = 0, n = 0;
	int hi, lo;

	while (i < v.len)
	{
		if (v.s[i] == ':')
		{
			i++;
			continue;
		}
		if (i + 1 >= v.len || n == max)
		{
			return -1;
		}
		hi = rw_hexval(v.s[i]);
		lo = rw_hexval(v.s[i + 1]);
		if (hi < 0 || lo < 0)
		{
			return -1;
		}
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n ? (int)n : -1;
}

static const struct {
	const char *name;
	list_t list;
	rw_cl_names_t names;
} list_keys[] = {
	{ "init_notify", L_INIT_NOTIFY, RW_CL_NAMES_NOTIFY },
	{ "auth_notify", L_AUTH_NOTIFY, RW_CL_NAMES_NOTIFY },
	{ "cp", L_CP, RW_CL_NAMES_CP_ATTR },
	{ "init_payload", L_INIT_PAYLOAD, RW_CL_NAMES_PAYLOAD },
	{ "auth_payload", L_AUTH_PAYLOAD, RW_CL_NAMES_PAYLOAD },
};

static const struct {
	const char *name;
	list_op_t op;
} list_ops[] = {
	{ "has", OP_HAS }, { "any", OP_ANY }, { "lacks", OP_LACKS },
	{ "first", OP_FIRST }, { "last", OP_LAST }, { "seq", OP_SEQ },
	{ "begins", OP_BEGINS }, { "only", OP_ONLY }, { "order", OP_ORDER },
	{ "count", OP_COUNT },
};

static const struct {
	const char *name;
	cond_kind_t kind;
} scalar_keys[] = {
	{ "vid", C_VID }, { "vid_count", C_VID_COUNT }, { "ke_group", C_KE_GROUP },
	{ "first_ke", C_FIRST_KE }, { "proposal_count", C_PROPOSAL_COUNT },
	{ "proposal_style", C_PROPOSAL_STYLE },
	{ "first_proposal_has", C_FIRST_PROPOSAL_HAS },
	{ "any_proposal_has", C_ANY_PROPOSAL_HAS },
	{ "all_proposals_have", C_ALL_PROPOSALS_HAVE },
	{ "first_proposal", C_FIRST_PROPOSAL }, { "legacy_only", C_LEGACY_ONLY },
	{ "certreq_count", C_CERTREQ_COUNT }, { "certreq_cas", C_CERTREQ_CAS },
	{ "idi_type", C_IDI_TYPE }, { "have", C_HAVE },
};

static bool is_count_kind(cond_t *c)
{
	return (c->kind == C_LIST && c->op == OP_COUNT) || c->kind == C_VID_COUNT ||
		   c->kind == C_PROPOSAL_COUNT || c->kind == C_CERTREQ_COUNT ||
		   c->kind == C_CERTREQ_CAS;
}

static bool parse_ke(span_t s, uint16_t *value)
{
	rw_cl_transform_t t;

	if (rw_cl_parse_transform(s.s, s.len, &t) && t.type == RW_TRANS_KE)
	{
		*value = t.id;
		return true;
	}
	return parse_number(s.s, s.len, value);
}

/* one condition "key<op>value"; err receives the reason */
static bool parse_cond(span_t key, cmp_t cmp, span_t value, cond_t *c, const char **err)
{
	span_t items[MAX_VALUES + 1];
	rw_cl_names_t names = RW_CL_NAMES_NOTIFY;
	size_t i, j;
	int n;

	memset(c, 0, sizeof(*c));
	c->cmp = cmp;
	c->kind = 0xff;
	for (i = 0; i < countof(list_keys) && c->kind == 0xff; i++)
	{
		size_t l = strlen(list_keys[i].name);

		if (key.len <= l + 1 || memcmp(key.s, list_keys[i].name, l) || key.s[l] != '_')
		{
			continue;
		}
		for (j = 0; j < countof(list_ops); j++)
		{
			if (key.len - l - 1 == strlen(list_ops[j].name) &&
				!memcmp(key.s + l + 1, list_ops[j].name, key.len - l - 1))
			{
				c->kind = C_LIST;
				c->list = list_keys[i].list;
				c->op = list_ops[j].op;
				names = list_keys[i].names;
				break;
			}
		}
	}
	for (i = 0; i < countof(scalar_keys) && c->kind == 0xff; i++)
	{
		if (span_eq(key, scalar_keys[i].name))
		{
			c->kind = scalar_keys[i].kind;
		}
	}
	if (c->kind == 0xff)
	{
		*err = "unknown condition";
		return false;
	}
	if (is_count_kind(c))
	{
		if (!parse_int(value, 0, 65535, &c->count))
		{
			*err = "expected a number";
			return false;
		}
		return true;
	}
	if (cmp != CMP_EQ)
	{
		*err = "only counts compare with < or >";
		return false;
	}
	switch (c->kind)
	{
		case C_LIST:
			n = split_list(value, items, MAX_VALUES);
			if (n <= 0)
			{
				*err = "expected a list of up to 8 names";
				return false;
			}
			if ((c->op == OP_FIRST || c->op == OP_LAST) && n != 1)
			{
				*err = "expected one name";
				return false;
			}
			if (c->op == OP_ORDER && n != 2)
			{
				*err = "expected two names";
				return false;
			}
			for (i = 0; i < (size_t)n; i++)
			{
				if (!rw_cl_name_lookup(names, items[i].s, items[i].len, &c->values[i]))
				{
					*err = "unknown name";
					return false;
				}
			}
			c->n = n;
			return true;
		case C_VID:
			n = parse_hex(value, c->bytes, sizeof(c->bytes));
			if (n <= 0)
			{
				*err = "expected hex bytes (up to 32)";
				return false;
			}
			c->n = n;
			return true;
		case C_KE_GROUP:
		case C_FIRST_KE:
		case C_IDI_TYPE:
			n = split_list(value, items, MAX_VALUES);
			if (n <= 0)
			{
				*err = "expected a list of up to 8 values";
				return false;
			}
			for (i = 0; i < (size_t)n; i++)
			{
				if (c->kind == C_IDI_TYPE ?
						!rw_cl_name_lookup(RW_CL_NAMES_ID_TYPE, items[i].s, items[i].len,
										   &c->values[i]) :
						!parse_ke(items[i], &c->values[i]))
				{
					*err = c->kind == C_IDI_TYPE ? "unknown ID type" :
												  "unknown key exchange method";
					return false;
				}
			}
			c->n = n;
			return true;
		case C_FIRST_PROPOSAL_HAS:
		case C_ANY_PROPOSAL_HAS:
		case C_ALL_PROPOSALS_HAVE:
			if (!rw_cl_parse_transform(value.s, value.len, &c->transforms[0]) ||
				!c->transforms[0].type)
			{
				*err = "unknown transform";
				return false;
			}
			c->n = 1;
			return true;
		case C_FIRST_PROPOSAL:
			j = 0;
			n = 0;
			for (i = 0; i <= value.len; i++)
			{
				if (i == value.len || value.s[i] == '/')
				{
					if (n == MAX_VALUES ||
						!rw_cl_parse_transform(value.s + j, i - j, &c->transforms[n]) ||
						!c->transforms[n].type)
					{
						*err = "expected up to 8 transforms separated by '/'";
						return false;
					}
					n++;
					j = i + 1;
				}
			}
			c->n = n;
			return true;
		case C_PROPOSAL_STYLE:
			if (span_eq(value, "single") || span_eq(value, "multi"))
			{
				c->flag = span_eq(value, "multi");
				return true;
			}
			*err = "expected single or multi";
			return false;
		case C_LEGACY_ONLY:
			if (span_eq(value, "yes") || span_eq(value, "no"))
			{
				c->flag = span_eq(value, "yes");
				return true;
			}
			*err = "expected yes or no";
			return false;
		case C_HAVE:
			if (span_eq(value, "init") || span_eq(value, "auth"))
			{
				c->flag = span_eq(value, "auth");
				return true;
			}
			*err = "expected init or auth";
			return false;
		default:
			*err = "unknown condition";
			return false;
	}
}

/* next token of a rule line: a word, or key=value / key="quoted value" */
static bool next_token(const char **pos, const char *end, span_t *tok)
{
	const char *p = *pos;
	bool quoted = false;

	while (p < end && (*p == ' ' || *p == '\t'))
	{
		p++;
	}
	if (p == end || *p == '#')
	{
		*pos = end;
		return false;
	}
	tok->s = p;
	while (p < end && (quoted || (*p != ' ' && *p != '\t')))
	{
		if (*p == '"')
		{
			quoted = !quoted;
		}
		p++;
	}
	tok->len = p - tok->s;
	*pos = p;
	return true;
}

/* split "key<op>value" of a token */
static bool split_token(span_t tok, span_t *key, cmp_t *cmp, span_t *value)
{
	size_t i;

	for (i = 0; i < tok.len; i++)
	{
		if (tok.s[i] == '=' || tok.s[i] == '<' || tok.s[i] == '>')
		{
			break;
		}
	}
	if (i == 0 || i == tok.len)
	{
		return false;
	}
	key->s = tok.s;
	key->len = i;
	if (tok.s[i] == '=')
	{
		*cmp = CMP_EQ;
		i++;
	}
	else if (i + 1 < tok.len && tok.s[i + 1] == '=')
	{
		*cmp = tok.s[i] == '>' ? CMP_GE : CMP_LE;
		i += 2;
	}
	else
	{
		*cmp = tok.s[i] == '>' ? CMP_GT : CMP_LT;
		i++;
	}
	value->s = tok.s + i;
	value->len = tok.len - i;
	return value->len > 0;
}

/*
 * Parse one line into rule; families are resolved (and added) in cl. Returns 1 for
 * a rule, 0 for an empty or comment line, -1 on error with *err set.
 */
static int parse_rule(rw_classifier_t *cl, const char *line, size_t len, rule_t *rule,
					  const char **err)
{
	const char *pos = line, *end = line + len;
	span_t tok, key, value, family = { NULL, 0 };
	bool have_weight = false;
	int32_t weight = 0;
	cmp_t cmp;
	int idx;

	memset(rule, 0, sizeof(*rule));
	if (!next_token(&pos, end, &tok))
	{
		return 0;
	}
	if (!valid_rule_name(tok))
	{
		*err = "expected a rule name (letters, digits, '-', '_', '.'; up to 31)";
		return -1;
	}
	memcpy(rule->name, tok.s, tok.len);
	while (next_token(&pos, end, &tok))
	{
		if (span_eq(tok, "off"))
		{
			rule->off = true;
			continue;
		}
		if (!split_token(tok, &key, &cmp, &value))
		{
			*err = "expected key=value";
			return -1;
		}
		if (span_eq(key, "family"))
		{
			family = value;
		}
		else if (span_eq(key, "weight"))
		{
			if (cmp != CMP_EQ || !parse_int(value, -1000, 1000, &weight))
			{
				*err = "weight takes a number from -1000 to 1000";
				return -1;
			}
			have_weight = true;
		}
		else if (span_eq(key, "hint"))
		{
			if (value.len >= 2 && value.s[0] == '"' && value.s[value.len - 1] == '"')
			{
				value.s++;
				value.len -= 2;
			}
			if (cmp != CMP_EQ || !value.len || value.len >= RW_HINT_LEN ||
				memchr(value.s, '"', value.len))
			{
				*err = "hint takes a text of up to 95 characters";
				return -1;
			}
			memcpy(rule->hint, value.s, value.len);
			rule->hint[value.len] = '\0';
		}
		else
		{
			if (rule->n_conds == MAX_CONDS)
			{
				*err = "more than 8 conditions";
				return -1;
			}
			if (!parse_cond(key, cmp, value, &rule->conds[rule->n_conds], err))
			{
				return -1;
			}
			rule->n_conds++;
		}
	}
	if (rule->off)
	{
		if (family.len || have_weight || rule->hint[0] || rule->n_conds)
		{
			*err = "'off' takes nothing else";
			return -1;
		}
		return 1;
	}
	if (!valid_family(family))
	{
		*err = "expected family=NAME (lower case, digits, '-'; not 'unknown')";
		return -1;
	}
	if (!have_weight && !rule->hint[0])
	{
		*err = "expected weight=N or hint=\"...\"";
		return -1;
	}
	if (!rule->n_conds)
	{
		*err = "a rule needs at least one condition";
		return -1;
	}
	idx = family_index(cl, family, true);
	if (idx < 0)
	{
		*err = "too many families";
		return -1;
	}
	rule->family = (uint8_t)idx;
	rule->weight = weight;
	return 1;
}

static int find_rule(rw_classifier_t *cl, const char *name)
{
	unsigned i;

	for (i = 0; i < cl->n_rules; i++)
	{
		if (!strcmp(cl->rules[i].name, name))
		{
			return (int)i;
		}
	}
	return -1;
}

rw_classifier_t *rw_classifier_create(void)
{
	char line[MAX_LINE];
	rw_classifier_t *cl;
	const char *err;
	unsigned i;
	int len;

	cl = calloc(1, sizeof(*cl));
	if (!cl)
	{
		return NULL;
	}
	cl->rules = calloc(MAX_RULES, sizeof(rule_t));
	if (!cl->rules)
	{
		free(cl);
		return NULL;
	}
	for (i = 0; i < countof(builtin_families); i++)
	{
		family_index(cl, (span_t){ builtin_families[i], strlen(builtin_families[i]) },
					 true);
	}
	/* the built-in table goes through the text parser: one grammar for both */
	for (i = 0; i < countof(builtin_rules); i++)
	{
		if (builtin_rules[i].hint)
		{
			len = snprintf(line, sizeof(line), "%s family=%s weight=%d hint=\"%s\" %s",
						   builtin_rules[i].name, builtin_rules[i].family,
						   builtin_rules[i].weight, builtin_rules[i].hint,
						   builtin_rules[i].when);
		}
		else
		{
			len = snprintf(line, sizeof(line), "%s family=%s weight=%d %s",
						   builtin_rules[i].name, builtin_rules[i].family,
						   builtin_rules[i].weight, builtin_rules[i].when);
		}
		if (len < 0 || (size_t)len >= sizeof(line) ||
			parse_rule(cl, line, (size_t)len, &cl->rules[cl->n_rules], &err) != 1)
		{
			rw_classifier_destroy(cl);
			return NULL;
		}
		cl->n_rules++;
	}
	return cl;
}

/*
 * Add the rules of text; numbered: errors name the line ("rule line N: ...")
 */
static rw_status_t add_rules(rw_classifier_t *cl, const char *text, bool numbered,
							 rw_error_t *err)
{
	char where[32] = "";
	rw_classifier_t tmp;
	rule_t *rules = NULL, rule;
	const char *line, *end, *why;
	unsigned n = 0, lineno = 0, i, added = 0;
	size_t len;
	int rc, idx;

	rw_error_clear(err);
	if (!text)
	{
		return RW_OK;
	}
	/* parse everything before changing anything: a bad line changes nothing */
	tmp = *cl;
	rules = calloc(MAX_RULES, sizeof(rule_t));
	if (!rules)
	{
		return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
	}
	for (line = text; *line; line = *end ? end + 1 : end)
	{
		end = strchr(line, '\n');
		if (!end)
		{
			end = line + strlen(line);
		}
		len = end - line;
		if (len && line[len - 1] == '\r')
		{
			len--;
		}
		lineno++;
		if (numbered)
		{
			snprintf(where, sizeof(where), "rule line %u: ", lineno);
		}
		if (len >= MAX_LINE)
		{
			free(rules);
			return rw_error_set(err, RW_ERR_INVALID, "%stoo long", where);
		}
		rc = parse_rule(&tmp, line, len, &rule, &why);
		if (rc < 0)
		{
			free(rules);
			return rw_error_set(err, RW_ERR_INVALID, "%s%s", where, why);
		}
		if (rc == 0)
		{
			continue;
		}
		if (rule.off && find_rule(cl, rule.name) < 0)
		{
			/* also a rule switched off earlier in the same text */
			for (i = 0; i < n && strcmp(rules[i].name, rule.name); i++)
			{
			}
			if (i == n)
			{
				free(rules);
				return rw_error_set(err, RW_ERR_INVALID, "%sno rule '%s' to "
									"switch off", where, rule.name);
			}
		}
		/* a later line with the same name replaces an earlier one of the text */
		for (i = 0; i < n && strcmp(rules[i].name, rule.name); i++)
		{
		}
		if (i == n)
		{
			if (n == MAX_RULES)
			{
				free(rules);
				return rw_error_set(err, RW_ERR_INVALID, "%smore than %d rules",
									where, MAX_RULES);
			}
			n++;
		}
		rules[i] = rule;
	}
	for (i = 0; i < n; i++)
	{
		if (find_rule(cl, rules[i].name) < 0)
		{
			added++;
		}
	}
	if (cl->n_rules + added > MAX_RULES)
	{
		free(rules);
		return rw_error_set(err, RW_ERR_INVALID, "more than %d rules", MAX_RULES);
	}
	/* apply: the families the new rules named, replacements in place, new rules in
	 * front (their hints are checked first) */
	memcpy(cl->families, tmp.families, sizeof(cl->families));
	cl->n_families = tmp.n_families;
	for (i = 0; i < n; i++)
	{
		idx = find_rule(cl, rules[i].name);
		if (idx >= 0)
		{
			cl->rules[idx] = rules[i];
			continue;
		}
		memmove(&cl->rules[1], &cl->rules[0], cl->n_rules * sizeof(rule_t));
		cl->rules[0] = rules[i];
		cl->n_rules++;
	}
	free(rules);
	return RW_OK;
}

rw_status_t rw_classifier_add_rules(rw_classifier_t *cl, const char *text,
									rw_error_t *err)
{
	return add_rules(cl, text, true, err);
}

rw_status_t rw_classifier_add_rule(rw_classifier_t *cl, const char *line, size_t len,
								   rw_error_t *err)
{
	char buf[MAX_LINE];

	rw_error_clear(err);
	if (!line)
	{
		return RW_OK;
	}
	if (len && line[len - 1] == '\r')
	{
		len--;
	}
	if (memchr(line, '\n', len))
	{
		return rw_error_set(err, RW_ERR_INVALID, "more than one line");
	}
	if (memchr(line, '\0', len))
	{
		return rw_error_set(err, RW_ERR_INVALID, "not text (a NUL byte)");
	}
	if (len >= MAX_LINE)
	{
		return rw_error_set(err, RW_ERR_INVALID, "too long");
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	return add_rules(cl, buf, false, err);
}

void rw_classifier_destroy(rw_classifier_t *cl)
{
	if (cl)
	{
		free(cl->rules);
		free(cl);
	}
}

/* ------------------------------------------------------------------------------ */
/* classification */

typedef struct {
	const uint16_t *items;
	unsigned n;
} view_t;

static unsigned clamp(unsigned n, unsigned max)
{
	return n > max ? max : n;
}

static bool cmp_count(const cond_t *c, long value)
{
	switch (c->cmp)
	{
		case CMP_EQ:
			return value == c->count;
		case CMP_GE:
			return value >= c->count;
		case CMP_LE:
			return value <= c->count;
		case CMP_GT:
			return value > c->count;
		case CMP_LT:
			return value < c->count;
	}
	return false;
}

static bool contains(view_t v, uint16_t item)
{
	unsigned i;

	for (i = 0; i < v.n; i++)
	{
		if (v.items[i] == item)
		{
			return true;
		}
	}
	return false;
}

static int position(view_t v, uint16_t item)
{
	unsigned i;

	for (i = 0; i < v.n; i++)
	{
		if (v.items[i] == item)
		{
			return (int)i;
		}
	}
	return -1;
}

static bool eval_list(const cond_t *c, view_t v)
{
	unsigned i;
	int a, b;

	switch (c->op)
	{
		case OP_HAS:
			for (i = 0; i < c->n; i++)
			{
				if (!contains(v, c->values[i]))
				{
					return false;
				}
			}
			return true;
		case OP_ANY:
			for (i = 0; i < c->n; i++)
			{
				if (contains(v, c->values[i]))
				{
					return true;
				}
			}
			return false;
		case OP_LACKS:
			for (i = 0; i < c->n; i++)
			{
				if (contains(v, c->values[i]))
				{
					return false;
				}
			}
			return true;
		case OP_FIRST:
			return v.n && v.items[0] == c->values[0];
		case OP_LAST:
			return v.n && v.items[v.n - 1] == c->values[0];
		case OP_SEQ:
			return v.n == c->n && !memcmp(v.items, c->values, c->n * sizeof(uint16_t));
		case OP_BEGINS:
			return v.n >= c->n && !memcmp(v.items, c->values, c->n * sizeof(uint16_t));
		case OP_ONLY:
			if (!v.n)
			{
				return false;
			}
			for (i = 0; i < v.n; i++)
			{
				if (position((view_t){ c->values, c->n }, v.items[i]) < 0)
				{
					return false;
				}
			}
			return true;
		case OP_ORDER:
			a = position(v, c->values[0]);
			b = position(v, c->values[1]);
			return a >= 0 && b >= 0 && a < b;
		case OP_COUNT:
			return cmp_count(c, v.n);
	}
	return false;
}

/* payload lists are uint8_t: widen into buf */
static view_t payload_view(const rw_cl_msg_t *msg, uint16_t *buf)
{
	unsigned i, n = clamp(msg->n_payloads, RW_CL_MAX_PAYLOADS);

	for (i = 0; i < n; i++)
	{
		buf[i] = msg->payloads[i];
	}
	return (view_t){ buf, n };
}

static bool msg_known(bool have, const rw_cl_msg_t *msg)
{
	return have && !msg->payloads_unknown;
}

static bool transform_matches(const rw_cl_transform_t *want, const rw_cl_transform_t *t)
{
	return want->type == t->type && want->id == t->id &&
		   (!want->keylen || want->keylen == t->keylen);
}

static bool proposal_has(const rw_cl_proposal_t *p, const rw_cl_transform_t *want)
{
	unsigned i, n = clamp(p->n_transforms, RW_CL_MAX_TRANSFORMS);

	for (i = 0; i < n; i++)
	{
		if (transform_matches(want, &p->transforms[i]))
		{
			return true;
		}
	}
	return false;
}

/* at most one transform of each type */
static bool proposal_single(const rw_cl_proposal_t *p)
{
	unsigned i, j, n = clamp(p->n_transforms, RW_CL_MAX_TRANSFORMS);

	for (i = 0; i < n; i++)
	{
		for (j = i + 1; j < n; j++)
		{
			if (p->transforms[i].type && p->transforms[i].type == p->transforms[j].type)
			{
				return false;
			}
		}
	}
	return true;
}

static bool eval_proposals(const cond_t *c, const rw_cl_msg_t *msg)
{
	unsigned i, j, n = clamp(msg->n_proposals, RW_CL_MAX_PROPOSALS), nt;
	const rw_cl_proposal_t *first = &msg->proposals[0];

	if (!n)
	{
		return false;
	}
	switch (c->kind)
	{
		case C_PROPOSAL_COUNT:
			return cmp_count(c, n);
		case C_PROPOSAL_STYLE:
			for (i = 0; i < n; i++)
			{
				if (!proposal_single(&msg->proposals[i]))
				{
					return c->flag;
				}
			}
			return !c->flag;
		case C_FIRST_PROPOSAL_HAS:
			return proposal_has(first, &c->transforms[0]);
		case C_ANY_PROPOSAL_HAS:
			for (i = 0; i < n; i++)
			{
				if (proposal_has(&msg->proposals[i], &c->transforms[0]))
				{
					return true;
				}
			}
			return false;
		case C_ALL_PROPOSALS_HAVE:
			for (i = 0; i < n; i++)
			{
				if (!proposal_has(&msg->proposals[i], &c->transforms[0]))
				{
					return false;
				}
			}
			return true;
		case C_FIRST_PROPOSAL:
			nt = clamp(first->n_transforms, RW_CL_MAX_TRANSFORMS);
			if (nt != c->n)
			{
				return false;
			}
			for (j = 0; j < nt; j++)
			{
				if (!transform_matches(&c->transforms[j], &first->transforms[j]))
				{
					return false;
				}
			}
			return true;
		case C_FIRST_KE:
			nt = clamp(first->n_transforms, RW_CL_MAX_TRANSFORMS);
			for (j = 0; j < nt; j++)
			{
				if (first->transforms[j].type == RW_TRANS_KE)
				{
					return contains((view_t){ c->values, c->n }, first->transforms[j].id);
				}
			}
			return false;
		case C_LEGACY_ONLY:
			return rw_cl_offer_is_legacy_only(msg) == c->flag;
		default:
			return false;
	}
}

static bool eval_vid(const cond_t *c, const rw_cl_msg_t *msg)
{
	unsigned i, n = clamp(msg->n_vids, RW_CL_MAX_VIDS);

	for (i = 0; i < n; i++)
	{
		if (msg->vids[i].len >= c->n && msg->vids[i].len <= RW_CL_MAX_VID_LEN &&
			!memcmp(msg->vids[i].data, c->bytes, c->n))
		{
			return true;
		}
	}
	return false;
}

static bool eval_cond(const cond_t *c, const rw_cl_input_t *in)
{
	const rw_cl_msg_t *init = &in->init, *auth = &in->auth;
	uint16_t buf[RW_CL_MAX_PAYLOADS];
	unsigned i, n;

	switch (c->kind)
	{
		case C_LIST:
			switch (c->list)
			{
				case L_INIT_NOTIFY:
					return msg_known(in->have_init, init) &&
						   eval_list(c, (view_t){ init->notifies,
								clamp(init->n_notifies, RW_CL_MAX_NOTIFIES) });
				case L_AUTH_NOTIFY:
					return msg_known(in->have_auth, auth) &&
						   eval_list(c, (view_t){ auth->notifies,
								clamp(auth->n_notifies, RW_CL_MAX_NOTIFIES) });
				case L_CP:
					return msg_known(in->have_auth, auth) && auth->has_cp &&
						   eval_list(c, (view_t){ auth->cp_attrs,
								clamp(auth->n_cp_attrs, RW_CL_MAX_ATTRS) });
				case L_INIT_PAYLOAD:
					return msg_known(in->have_init, init) &&
						   eval_list(c, payload_view(init, buf));
				case L_AUTH_PAYLOAD:
					return msg_known(in->have_auth, auth) &&
						   eval_list(c, payload_view(auth, buf));
			}
			return false;
		case C_VID:
			return in->have_init && eval_vid(c, init);
		case C_VID_COUNT:
			if (!msg_known(in->have_init, init))
			{
				return false;
			}
			/* the payload list counts VIDs whose data a log excerpt may not show */
			n = clamp(init->n_payloads, RW_CL_MAX_PAYLOADS);
			for (i = 0, buf[0] = 0; i < n; i++)
			{
				buf[0] += init->payloads[i] == 43;
			}
			return cmp_count(c, buf[0] > init->n_vids ? buf[0] :
							 clamp(init->n_vids, RW_CL_MAX_VIDS));
		case C_KE_GROUP:
			return in->have_init && init->ke_group &&
				   contains((view_t){ c->values, c->n }, init->ke_group);
		case C_FIRST_KE:
		case C_PROPOSAL_COUNT:
		case C_PROPOSAL_STYLE:
		case C_FIRST_PROPOSAL_HAS:
		case C_ANY_PROPOSAL_HAS:
		case C_ALL_PROPOSALS_HAVE:
		case C_FIRST_PROPOSAL:
		case C_LEGACY_ONLY:
			return in->have_init && eval_proposals(c, init);
		case C_CERTREQ_COUNT:
			return msg_known(in->have_auth, auth) && auth->n_certreq >= 0 &&
				   cmp_count(c, auth->n_certreq);
		case C_CERTREQ_CAS:
			return msg_known(in->have_auth, auth) && cmp_count(c, auth->certreq_cas);
		case C_IDI_TYPE:
			return in->have_auth && auth->idi_type &&
				   contains((view_t){ c->values, c->n }, auth->idi_type);
		case C_HAVE:
			return c->flag ? in->have_auth : in->have_init;
	}
	return false;
}

static bool eval_rule(const rule_t *rule, const rw_cl_input_t *in)
{
	unsigned i;

	if (rule->off)
	{
		return false;
	}
	for (i = 0; i < rule->n_conds; i++)
	{
		if (!eval_cond(&rule->conds[i], in))
		{
			return false;
		}
	}
	return true;
}

void rw_classify(const rw_classifier_t *cl, const rw_cl_input_t *in,
				 rw_cl_result_t *out)
{
	uint8_t matched[MAX_RULES / 8] = { 0 };
	long scores[MAX_FAMILIES] = { 0 };
	int best = -1, second = -1;
	bool tie = false;
	unsigned i;

	memset(out, 0, sizeof(*out));
	snprintf(out->family, sizeof(out->family), "unknown");
	if (!cl || !in)
	{
		return;
	}
	for (i = 0; i < cl->n_rules; i++)
	{
		if (eval_rule(&cl->rules[i], in))
		{
			matched[i / 8] |= 1 << (i % 8);
			scores[cl->rules[i].family] += cl->rules[i].weight;
		}
	}
	for (i = 0; i < cl->n_families; i++)
	{
		if (scores[i] <= 0)
		{
			continue;
		}
		if (best < 0 || scores[i] > scores[best])
		{
			second = best;
			best = (int)i;
			tie = false;
		}
		else if (scores[i] == scores[best])
		{
			tie = true;
			second = (int)i;
		}
		else if (second < 0 || scores[i] > scores[second])
		{
			second = (int)i;
		}
	}
	out->legacy_only = in->have_init && rw_cl_offer_is_legacy_only(&in->init);
	if (second >= 0)
	{
		snprintf(out->alt_family, sizeof(out->alt_family), "%s", cl->families[second]);
	}
	if (best < 0 || scores[best] < RW_CL_MIN_SCORE || tie)
	{
		if (best >= 0 && !out->alt_family[0])
		{
			snprintf(out->alt_family, sizeof(out->alt_family), "%s", cl->families[best]);
		}
		return;
	}
	snprintf(out->family, sizeof(out->family), "%s", cl->families[best]);
	out->confidence = (unsigned)(scores[best] - (second >= 0 ? scores[second] : 0));
	if (out->confidence > 100)
	{
		out->confidence = 100;
	}
	for (i = 0; i < cl->n_rules; i++)
	{
		if ((matched[i / 8] & (1 << (i % 8))) && cl->rules[i].family == best &&
			cl->rules[i].hint[0])
		{
			snprintf(out->hint, sizeof(out->hint), "%s", cl->rules[i].hint);
			break;
		}
	}
}
