/*
 * quirks_bench: what rw-quirks' decisions cost per IKE_SA, on the recorded client
 * samples (the .log files of tests/samples, read with the log parser as rwctl
 * classify does).
 *
 * Per IKE_SA the plugin classifies twice (IKE_SA_INIT alone, then with IKE_AUTH) and
 * shapes the IKE offer once; this measures exactly that sequence with the built-in
 * rules, over every sample, for a given number of rounds.
 *
 * usage: quirks_bench DIR [ROUNDS]
 * prints one row per sample (family, ns per IKE_SA) and a last line
 * "result: samples=N rounds=R ns_per_classify=... ns_per_ike_sa=...".
 */

#define _GNU_SOURCE
#include <rw_classify.h>
#include <rw_logparse.h>
#include <rw_quirks.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAS 1024

typedef struct {
	char name[64];
	rw_cl_input_t in;
} sample_t;

static sample_t *samples;
static size_t n_samples;
static const char *current;

static void collect(void *ctx, const rw_lp_sa_t *sa)
{
	if (n_samples < MAX_SAS && (sa->in.have_init || sa->in.have_auth))
	{
		snprintf(samples[n_samples].name, sizeof(samples[n_samples].name), "%s#%u",
				 current, sa->index);
		samples[n_samples++].in = sa->in;
	}
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_log(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 4 && strcmp(d->d_name + len - 4, ".log") == 0;
}

static void load(const char *dir)
{
	struct dirent **names;
	char path[4096], buf[65536];
	rw_logparse_t *lp;
	size_t len;
	FILE *f;
	int i, n;

	n = scandir(dir, &names, is_log, by_name);
	if (n < 0)
	{
		perror(dir);
		exit(1);
	}
	for (i = 0; i < n; i++)
	{
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = fopen(path, "r");
		if (!f)
		{
			perror(path);
			exit(1);
		}
		current = names[i]->d_name;
		lp = rw_logparse_create(collect, NULL);
		while ((len = fread(buf, 1, sizeof(buf), f)) > 0)
		{
			rw_logparse_feed(lp, buf, len);
		}
		rw_logparse_finish(lp);
		rw_logparse_destroy(lp);
		fclose(f);
		free(names[i]);
	}
	free(names);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* keeps the compiler from dropping the work */
static volatile unsigned sink;

/**
 * What the plugin does for one IKE_SA: classify IKE_SA_INIT, shape its offer,
 * classify again with IKE_AUTH
 */
static void ike_sa(const rw_classifier_t *cl, const rw_quirk_table_t *table,
				   const rw_cl_input_t *full, rw_cl_input_t *init_only)
{
	rw_cl_result_t result;
	rw_shape_t shape;

	rw_classify(cl, init_only, &result);
	rw_quirks_shape(rw_quirk_table_get(table, result.family),
					full->init.proposals, full->init.n_proposals,
					full->init.overflow > 0, true, &shape);
	rw_classify(cl, full, &result);
	sink += result.confidence + shape.left;
}

int main(int argc, char *argv[])
{
	rw_classifier_t *cl;
	rw_quirk_table_t *table;
	rw_cl_input_t *init_only;
	rw_cl_result_t result;
	unsigned long rounds = 20000, r, total = 0;
	double t0, t, sum = 0;
	size_t i;

	if (argc < 2 || argc > 3)
	{
		fprintf(stderr, "usage: quirks_bench DIR [ROUNDS]\n");
		return 2;
	}
	if (argc == 3)
	{
		rounds = strtoul(argv[2], NULL, 10);
	}
	samples = calloc(MAX_SAS, sizeof(*samples));
	init_only = calloc(MAX_SAS, sizeof(*init_only));
	cl = rw_classifier_create();
	table = rw_quirk_table_create();
	if (!samples || !init_only || !cl || !table)
	{
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	load(argv[1]);
	if (!n_samples)
	{
		fprintf(stderr, "no IKE_SA in %s/*.log\n", argv[1]);
		return 1;
	}
	for (i = 0; i < n_samples; i++)
	{
		init_only[i] = samples[i].in;
		init_only[i].have_auth = false;
		memset(&init_only[i].auth, 0, sizeof(init_only[i].auth));
	}

	printf("%-14s %-16s %5s %12s\n", "sample", "family", "conf", "ns/IKE_SA");
	for (i = 0; i < n_samples; i++)
	{
		rw_classify(cl, &samples[i].in, &result);
		t0 = now_ns();
		for (r = 0; r < rounds / 10 + 1; r++)
		{
			ike_sa(cl, table, &samples[i].in, &init_only[i]);
		}
		t = (now_ns() - t0) / (rounds / 10 + 1);
		printf("%-14s %-16s %5u %12.0f\n", samples[i].name, result.family,
			   result.confidence, t);
	}

	/* all samples interleaved, as a gateway sees a mixed fleet */
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
	{
		for (i = 0; i < n_samples; i++)
		{
			ike_sa(cl, table, &samples[i].in, &init_only[i]);
			total++;
		}
	}
	sum = now_ns() - t0;
	printf("result: samples=%zu rounds=%lu ike_sas=%lu ns_per_classify=%.0f "
		   "ns_per_ike_sa=%.0f\n", n_samples, rounds, total, sum / total / 2,
		   sum / total);

	rw_quirk_table_destroy(table);
	rw_classifier_destroy(cl);
	free(samples);
	free(init_only);
	return 0;
}
