/**
 * @defgroup rw_logparse rw_logparse
 * @{ @ingroup librw
 *
 * Reads charon log text (strongSwan 5.x and 6.x: filelog, syslog and journal lines,
 * with or without timestamps, thread/group prefixes and <conn|N> IKE_SA prefixes)
 * and fills a classifier input (rw_classify.h) for each IKE_SA it sees, from a
 * gateway's log ("parsed IKE_SA_INIT request ...") or a client's own log
 * ("generating IKE_SA_INIT request ...").
 *
 * Lines used: the payload lists of IKE_SA_INIT and IKE_AUTH requests, "received
 * packet" / "sending packet" (the client's address), "received proposals:", vendor IDs
 * ("received ... vendor ID", "received unknown vendor ID: xx:..."), cert requests,
 * "looking for peer configs matching" (IDi type), "looking for a child config for"
 * (traffic selectors), the KE group of an INVALID_KE_PAYLOAD retry, and proposal lists
 * on their own line (as strongSwan's documentation lists them). Other lines are
 * ignored.
 *
 * Grouping into IKE_SAs:
 *  - with a <conn|N> prefix, by the unique id N;
 *  - otherwise an IKE_SA_INIT request starts a new IKE_SA, and an IKE_AUTH request
 *    belongs to the latest IKE_SA from the same client address (without port: NAT-T
 *    moves to 4500) that has no IKE_AUTH yet, else to the latest IKE_SA without
 *    IKE_AUTH, else it starts one of its own;
 *  - an IKE_SA_INIT request that retries after INVALID_KE_PAYLOAD or COOKIE (from the
 *    same address) continues the attempt it retries: charon makes a new IKE_SA for
 *    it, but the client's first choice of KE group is what tells it apart;
 *  - lines about an IKE_SA without the prefix (vendor IDs, proposals, cert requests)
 *    belong to the IKE_SA of the last request line of the same thread (the "09" of
 *    "09[ENC]"), or of the last request line at all in logs without thread numbers;
 *  - a line starting a new charon ("Starting IKE charon daemon", "Starting IKE
 *    service") completes every open IKE_SA (unique ids start over).
 *
 * Terminal-wrapped lines (a payload list without its closing ']' or a proposal list,
 * continued on lines that do not look like log lines) are joined.
 *
 * Memory does not grow with the log: at most RW_LP_MAX_OPEN IKE_SAs are open; the
 * least recently used one is completed when another is needed, and one not seen for
 * RW_LP_IDLE_LINES lines is completed too. Lines longer than RW_LP_MAX_LINE bytes are
 * cut. Any bytes are accepted.
 */

#ifndef RW_LOGPARSE_H_
#define RW_LOGPARSE_H_

#include "rw_classify.h"

#include <stdbool.h>
#include <stddef.h>

#define RW_LP_MAX_OPEN 32
#define RW_LP_IDLE_LINES 10000
#define RW_LP_MAX_LINE 16384
#define RW_LP_PEER_LEN 64
#define RW_LP_CONN_LEN 64

/** One IKE_SA as seen in the log. */
typedef struct {
	/** 1-based, in the order the IKE_SAs were first seen */
	unsigned index;
	/** charon's unique IKE_SA id from <conn|N>, 0 if the log has none */
	unsigned unique_id;
	/** connection name from <conn|N>, "" if none */
	char conn[RW_LP_CONN_LEN];
	/** the client's address (source of its requests) without port, "" if unknown */
	char peer[RW_LP_PEER_LEN];
	/** the client's own log ("generating ... request"), not a gateway's */
	bool client_view;
	/** line numbers (1-based) of the first and the last line about it */
	unsigned long first_line;
	unsigned long last_line;
	/** what the client sent */
	rw_cl_input_t in;
} rw_lp_sa_t;

/** Called for each completed IKE_SA; sa is valid during the call only. */
typedef void (*rw_lp_cb_t)(void *ctx, const rw_lp_sa_t *sa);

typedef struct rw_logparse_t rw_logparse_t;

/**
 * Create a parser calling cb for each IKE_SA it completes.
 *
 * @return parser, NULL if out of memory
 */
rw_logparse_t *rw_logparse_create(rw_lp_cb_t cb, void *ctx);

/**
 * Feed log text in chunks of any size (lines may span chunks; '\n' ends a line, a
 * trailing '\r' is dropped).
 */
void rw_logparse_feed(rw_logparse_t *p, const char *data, size_t len);

/** Feed one complete line (without its newline). */
void rw_logparse_line(rw_logparse_t *p, const char *line, size_t len);

/** End of input: process a pending line and complete all open IKE_SAs in order. */
void rw_logparse_finish(rw_logparse_t *p);

void rw_logparse_destroy(rw_logparse_t *p);

#endif /** RW_LOGPARSE_H_ @}*/
