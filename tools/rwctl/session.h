/**
 * Sessions as session list and history show them (session.c).
 */

#ifndef RWCTL_SESSION_H_
#define RWCTL_SESSION_H_

#include <stddef.h>

#include "rw_store.h"

struct json_object;

/** A session as a JSON object (the fields documented in rwctl(8)). */
struct json_object *rwctl_session_json(const rw_session_t *s);

/** "addr:port" or "[v6addr]:port" of the client into buf, "" if unknown. */
const char *rwctl_session_remote(const rw_session_t *s, char *buf, size_t len);

#endif /* RWCTL_SESSION_H_ */
