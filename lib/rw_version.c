#include "rw_version.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char banner[] = "(strongSwan ";

/* A version is digits and dots, optionally followed by letters and digits
 * (5.9.8, 5.9.14rc1, 6.0.0dr2); the banner puts a comma right after it. */
static size_t version_len(const char *p, const char *end)
{
	const char *s = p;

	if (p >= end || !isdigit((unsigned char)*p))
	{
		return 0;
	}
	while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
	{
		p++;
	}
	while (p < end && isalnum((unsigned char)*p))
	{
		p++;
	}
	if (p >= end || *p != ',')
	{
		return 0;
	}
	return p - s;
}

int rw_version_find(const char *buf, size_t len, char *out, size_t outlen)
{
	const char *p = buf, *end = buf + len;
	size_t blen = sizeof(banner) - 1, vlen;

	while (p && (size_t)(end - p) > blen)
	{
		p = memmem(p, end - p, banner, blen);
		if (!p)
		{
			break;
		}
		p += blen;
		vlen = version_len(p, end);
		if (vlen && vlen < outlen)
		{
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return 0;
		}
	}
	return -1;
}

int rw_version_find_in_file(const char *path, char *out, size_t outlen)
{
	/* read in overlapping chunks so a banner split by a chunk border is found */
	enum { CHUNK = 65536, OVERLAP = 64 };
	char *buf;
	size_t have = 0, n;
	int found = -1;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
	{
		return -1;
	}
	buf = malloc(CHUNK + OVERLAP);
	if (!buf)
	{
		fclose(f);
		return -1;
	}
	while ((n = fread(buf + have, 1, CHUNK, f)) > 0)
	{
		have += n;
		if (rw_version_find(buf, have, out, outlen) == 0)
		{
			found = 0;
			break;
		}
		if (have > OVERLAP)
		{
			memmove(buf, buf + have - OVERLAP, OVERLAP);
			have = OVERLAP;
		}
	}
	free(buf);
	fclose(f);
	return found;
}

/* numeric value of the next dotted component, advancing *p past it and its dot */
static long next_component(const char **p)
{
	long v = 0;

	while (isdigit((unsigned char)**p))
	{
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	if (**p == '.')
	{
		(*p)++;
	}
	return v;
}

int rw_version_compare(const char *a, const char *b)
{
	long va, vb;

	while (isdigit((unsigned char)*a) || isdigit((unsigned char)*b))
	{
		va = next_component(&a);
		vb = next_component(&b);
		if (va != vb)
		{
			return va < vb ? -1 : 1;
		}
	}
	/* same numbers: a pre-release suffix sorts before the release */
	if (*a && !*b)
	{
		return -1;
	}
	if (!*a && *b)
	{
		return 1;
	}
	return strcmp(a, b);
}
