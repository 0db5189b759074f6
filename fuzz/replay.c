/*
 * A main() for a fuzz target built without libFuzzer (gcc, make check): runs the
 * target once on every file of the directories in REPLAY_DIRS (':'-separated) or of
 * the files and directories given as arguments. With REPLAY_ENCODE_LOGS (the
 * classifier target), the IKE_SAs of each file read as a charon log are run as
 * encoded inputs too, and "--seeds DIR" writes them to DIR instead (fuzz/run's seed
 * corpus).
 */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef REPLAY_ENCODE_LOGS
#include <rw_logparse.h>
#include "cl_codec.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned runs;
static const char *seeds_dir;

#ifdef REPLAY_ENCODE_LOGS
typedef struct {
	const char *name;
	unsigned n;
} encode_ctx_t;

static void encode_sa(void *data, const rw_lp_sa_t *sa)
{
	encode_ctx_t *ctx = data;
	uint8_t buf[16384];
	char path[4096];
	size_t len = cl_encode(&sa->in, buf, sizeof(buf));
	FILE *f;

	ctx->n++;
	if (!seeds_dir)
	{
		LLVMFuzzerTestOneInput(buf, len);
		runs++;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s-%u", seeds_dir, ctx->name, ctx->n);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
	{
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

static void encode_log(const char *name, const uint8_t *data, size_t size)
{
	encode_ctx_t ctx = { name, 0 };
	rw_logparse_t *p = rw_logparse_create(encode_sa, &ctx);

	if (!p)
	{
		exit(1);
	}
	rw_logparse_feed(p, (const char *)data, size);
	rw_logparse_finish(p);
	rw_logparse_destroy(p);
}
#endif

static void run_file(const char *path, const char *name)
{
	uint8_t *data;
	long size;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
	{
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != (size_t)size)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	if (!seeds_dir)
	{
		LLVMFuzzerTestOneInput(data, size);
		runs++;
	}
#ifdef REPLAY_ENCODE_LOGS
	encode_log(name, data, size);
#endif
	free(data);
}

static void run_path(const char *path)
{
	struct dirent **entries;
	char file[4096];
	struct stat st;
	int n, i;

	if (stat(path, &st))
	{
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (!S_ISDIR(st.st_mode))
	{
		const char *base = strrchr(path, '/');

		run_file(path, base ? base + 1 : path);
		return;
	}
	/* sorted: the same order every time */
	n = scandir(path, &entries, NULL, alphasort);
	if (n < 0)
	{
		fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (i = 0; i < n; i++)
	{
		if (entries[i]->d_name[0] != '.')
		{
			snprintf(file, sizeof(file), "%s/%s", path, entries[i]->d_name);
			if (!stat(file, &st) && S_ISREG(st.st_mode))
			{
				run_file(file, entries[i]->d_name);
			}
		}
		free(entries[i]);
	}
	free(entries);
}

int main(int argc, char **argv)
{
	char dirs[4096], *dir, *save;
	int i = 1;

#ifdef REPLAY_ENCODE_LOGS
	if (argc > 2 && !strcmp(argv[1], "--seeds"))
	{
		seeds_dir = argv[2];
		i = 3;
	}
#endif
	if (i < argc)
	{
		for (; i < argc; i++)
		{
			run_path(argv[i]);
		}
	}
	else
	{
#ifdef REPLAY_DIRS
		snprintf(dirs, sizeof(dirs), "%s", REPLAY_DIRS);
		for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		{
			run_path(dir);
		}
#else
		(void)dirs;
		(void)dir;
		(void)save;
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
#endif
	}
	if (!seeds_dir)
	{
		printf("%u inputs replayed\n", runs);
		if (!runs)
		{
			return 1;
		}
	}
	return 0;
}
