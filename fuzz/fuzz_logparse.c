/*
 * libFuzzer target: the charon log parser on any bytes, fed in chunks of a size the
 * first byte picks (lines span chunks), each IKE_SA it completes classified. Checks
 * what every IKE_SA must look like, and aborts (a finding) otherwise.
 */

#include <rw_logparse.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rw_classifier_t *cl;

static void check_msg(const rw_cl_msg_t *m)
{
	unsigned i;

	if (m->n_payloads > RW_CL_MAX_PAYLOADS || m->n_notifies > RW_CL_MAX_NOTIFIES ||
		m->n_vids > RW_CL_MAX_VIDS || m->n_proposals > RW_CL_MAX_PROPOSALS ||
		m->n_cp_attrs > RW_CL_MAX_ATTRS || m->n_tsi > RW_CL_MAX_TS ||
		m->n_tsr > RW_CL_MAX_TS)
	{
		abort();
	}
	for (i = 0; i < m->n_vids; i++)
	{
		if (m->vids[i].len > RW_CL_MAX_VID_LEN)
		{
			abort();
		}
	}
	for (i = 0; i < m->n_proposals; i++)
	{
		if (m->proposals[i].n_transforms > RW_CL_MAX_TRANSFORMS)
		{
			abort();
		}
	}
}

static void on_sa(void *ctx, const rw_lp_sa_t *sa)
{
	unsigned *count = ctx;
	rw_cl_result_t r;

	if (!memchr(sa->peer, '\0', sizeof(sa->peer)) ||
		!memchr(sa->conn, '\0', sizeof(sa->conn)) || !sa->index ||
		sa->first_line > sa->last_line || (!sa->in.have_init && !sa->in.have_auth))
	{
		abort();
	}
	check_msg(&sa->in.init);
	check_msg(&sa->in.auth);
	rw_classify(cl, &sa->in, &r);
	if (r.confidence > 100 || !memchr(r.family, '\0', sizeof(r.family)))
	{
		abort();
	}
	(*count)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rw_logparse_t *p;
	unsigned count = 0;
	size_t chunk, off;

	if (!cl)
	{
		cl = rw_classifier_create();
		if (!cl)
		{
			abort();
		}
	}
	p = rw_logparse_create(on_sa, &count);
	if (!p)
	{
		abort();
	}
	chunk = size ? (size_t)data[0] % 97 + 1 : 1;
	if (size && data[0] >= 0xf0)
	{
		/* all at once */
		chunk = size;
	}
	for (off = 0; off < size; off += chunk)
	{
		rw_logparse_feed(p, (const char *)data + off, size - off < chunk ?
						 size - off : chunk);
	}
	rw_logparse_finish(p);
	rw_logparse_destroy(p);
	return 0;
}
