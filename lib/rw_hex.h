/**
 * @defgroup rw_hex rw_hex
 * @{ @ingroup librw
 *
 * Hex digits, for the parsers of librw (NT hashes, vendor IDs, log text).
 */

#ifndef RW_HEX_H_
#define RW_HEX_H_

/** Value of a hex digit, -1 if c is none. */
static inline int rw_hexval(char c)
{
	if (c >= '0' && c <= '9')
	{
		return c - '0';
	}
	if (c >= 'a' && c <= 'f')
	{
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F')
	{
		return c - 'A' + 10;
	}
	return -1;
}

#endif /** RW_HEX_H_ @}*/
