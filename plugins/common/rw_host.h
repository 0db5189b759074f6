/**
 * @defgroup rw_host rw_host
 * @{ @ingroup rw_plugins
 *
 * Between charon's host_t and librw's rw_addr_t.
 */

#ifndef RW_HOST_H_
#define RW_HOST_H_

#include <networking/host.h>

#include <rw_addr.h>

/** A new host_t of addr (port 0), NULL if addr has no family. */
static inline host_t *rw_host_of(const rw_addr_t *addr)
{
	return host_create_from_chunk(addr->family == 6 ? AF_INET6 : AF_INET,
								  chunk_create((u_char*)addr->b, rw_addr_len(addr)), 0);
}

/** The address of host; FALSE if it is neither IPv4 nor IPv6. */
static inline bool rw_addr_of_host(host_t *host, rw_addr_t *addr)
{
	chunk_t bytes = host->get_address(host);

	return rw_addr_from_bytes(bytes.ptr, bytes.len, addr) == RW_OK;
}

#endif /** RW_HOST_H_ @}*/
