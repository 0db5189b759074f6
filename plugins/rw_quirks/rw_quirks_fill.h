/**
 * @defgroup rw_quirks_fill rw_quirks_fill
 * @{ @ingroup rw_quirks
 *
 * Translation of parsed charon messages and proposals into the classifier's neutral
 * description (numeric types and vendor ID bytes only, never log text).
 */

#ifndef RW_QUIRKS_FILL_H_
#define RW_QUIRKS_FILL_H_

#include <rw_classify.h>

#include <encoding/message.h>
#include <crypto/proposal/proposal.h>

/**
 * All transforms of a proposal, however many, in charon's print order (ENCR, INTEG,
 * PRF, KE, ESN): what the shaping decision is taken on.
 *
 * @param proposal		charon proposal
 * @param n				number of transforms
 * @return				allocated transforms (free()), NULL if none
 */
rw_cl_transform_t *rw_quirks_fill_transforms(proposal_t *proposal, size_t *n);

/**
 * Describe one proposal for the classifier, transforms in charon's print order (ENCR,
 * INTEG, PRF, KE, ESN), the first RW_CL_MAX_TRANSFORMS of them.
 *
 * @param proposal		charon proposal
 * @param out			description (zeroed first)
 * @return				FALSE if some transforms did not fit
 */
bool rw_quirks_fill_proposal(proposal_t *proposal, rw_cl_proposal_t *out);

/**
 * Describe a list of proposals (an SA payload) into msg->proposals.
 *
 * @param proposals		list of proposal_t
 * @param msg			description receiving the proposals
 * @return				FALSE if the list did not fit completely (too many
 *						proposals or transforms): do not shape it
 */
bool rw_quirks_fill_proposals(linked_list_t *proposals, rw_cl_msg_t *msg);

/**
 * Describe a parsed IKE_SA_INIT, IKE_AUTH or CREATE_CHILD_SA request (zeroes msg
 * first).
 *
 * @param message		parsed, decrypted request
 * @param msg			description
 * @param complete		set to FALSE if the SA payload's proposals did not fit the
 *						description (the classifier sees a part of them)
 */
void rw_quirks_fill_msg(message_t *message, rw_cl_msg_t *msg, bool *complete);

/**
 * Does a traffic selector cover its whole address space (0.0.0.0/0, ::/0)?
 */
bool rw_quirks_ts_is_full(traffic_selector_t *ts);

#endif /** RW_QUIRKS_FILL_H_ @}*/
