#include "rw_nthash.h"
#include "rw_hex.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

int rw_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char*)str;
	uint32_t c, min;
	int n, i;

	if (!len)
	{
		return -1;
	}
	if (s[0] < 0x80)
	{
		*cp = s[0];
		return 1;
	}
	else if ((s[0] & 0xe0) == 0xc0)
	{
		n = 2, c = s[0] & 0x1f, min = 0x80;
	}
	else if ((s[0] & 0xf0) == 0xe0)
	{
		n = 3, c = s[0] & 0x0f, min = 0x800;
	}
	else if ((s[0] & 0xf8) == 0xf0)
	{
		n = 4, c = s[0] & 0x07, min = 0x10000;
	}
	else
	{
		return -1;
	}
	if ((size_t)n > len)
	{
		return -1;
	}
	for (i = 1; i < n; i++)
	{
		if ((s[i] & 0xc0) != 0x80)
		{
			return -1;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
	{
		return -1;
	}
	*cp = c;
	return n;
}

/* MD4 lives in OpenSSL 3's legacy provider: load it once into a private library
 * context, so the process' default providers stay as they are (the context lives
 * as long as the process, like OpenSSL's own default one) */
static pthread_once_t md4_once = PTHREAD_ONCE_INIT;
static EVP_MD *md4_md;

static void md4_init(void)
{
	OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();

	if (ctx && OSSL_PROVIDER_load(ctx, "legacy"))
	{
		md4_md = EVP_MD_fetch(ctx, "MD4", NULL);
	}
}

static rw_status_t md4(const uint8_t *data, size_t len, uint8_t hash[16],
					   rw_error_t *err)
{
	unsigned int hlen = 0;

	pthread_once(&md4_once, md4_init);
	if (!md4_md || !EVP_Digest(data, len, hash, &hlen, md4_md, NULL) || hlen != 16)
	{
		return rw_error_set(err, RW_ERR_IO, "MD4 not available from OpenSSL "
							"(legacy provider missing?)");
	}
	return RW_OK;
}

rw_status_t rw_nthash(const char *password, uint8_t hash[16], rw_error_t *err)
{
	size_t len, pos = 0, out = 0;
	uint8_t *utf16;
	uint32_t cp;
	rw_status_t status;
	int n;

	len = password ? strlen(password) : 0;
	if (!len)
	{
		return rw_error_set(err, RW_ERR_INVALID, "empty password");
	}
	if (len > RW_PASSWORD_MAX)
	{
		return rw_error_set(err, RW_ERR_INVALID, "password longer than %d bytes",
							RW_PASSWORD_MAX);
	}
	/* at most two UTF-16 units (4 bytes) per input byte */
	utf16 = malloc(len * 4);
	if (!utf16)
	{
		return rw_error_set(err, RW_ERR_NOMEM, "out of memory");
	}
	while (pos < len)
	{
		n = rw_utf8_decode(password + pos, len - pos, &cp);
		if (n < 0)
		{
			free(utf16);
			return rw_error_set(err, RW_ERR_INVALID, "password is not valid UTF-8 "
								"(at byte %zu)", pos + 1);
		}
		pos += n;
		if (cp >= 0x10000)
		{
			uint32_t v = cp - 0x10000;
			uint16_t hi = 0xd800 | (v >> 10), lo = 0xdc00 | (v & 0x3ff);
			utf16[out++] = hi & 0xff;
			utf16[out++] = hi >> 8;
			utf16[out++] = lo & 0xff;
			utf16[out++] = lo >> 8;
		}
		else
		{
			utf16[out++] = cp & 0xff;
			utf16[out++] = cp >> 8;
		}
	}
	status = md4(utf16, out, hash, err);
	/* the UTF-16 copy is the password: do not leave it in freed memory */
	OPENSSL_cleanse(utf16, len * 4);
	free(utf16);
	return status;
}


rw_status_t rw_nthash_parse(const char *hex, uint8_t hash[16], rw_error_t *err)
{
	int i, hi, lo;

	if (!hex || strlen(hex) != 32)
	{
		return rw_error_set(err, RW_ERR_INVALID, "an NT hash is 32 hex digits");
	}
	for (i = 0; i < 16; i++)
	{
		hi = rw_hexval(hex[2 * i]);
		lo = rw_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
		{
			return rw_error_set(err, RW_ERR_INVALID, "an NT hash is 32 hex digits");
		}
		hash[i] = (uint8_t)(hi << 4 | lo);
	}
	return RW_OK;
}

char *rw_nthash_format(const uint8_t hash[16], char *buf)
{
	int i;

	for (i = 0; i < 16; i++)
	{
		sprintf(buf + 2 * i, "%02x", hash[i]);
	}
	return buf;
}
