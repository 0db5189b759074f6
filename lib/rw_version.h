/**
 * @defgroup rw_version rw_version
 * @{ @ingroup librw
 *
 * strongSwan version strings: finding the version a daemon binary was built as, and
 * comparing versions.
 */

#ifndef RW_VERSION_H_
#define RW_VERSION_H_

#include <stddef.h>

/** Longest version string handled, including the terminating NUL. */
#define RW_VERSION_MAX 32

/**
 * Find the strongSwan version in the image of a daemon binary.
 *
 * charon and charon-systemd carry their start-up banner as a string literal,
 * e.g. "Starting IKE charon daemon (strongSwan 5.9.8, %s %s, %s)". This finds the
 * first "(strongSwan " followed by a version and a comma.
 *
 * @param buf		binary image (need not be NUL-terminated)
 * @param len		length of buf
 * @param out		receives the version, e.g. "5.9.8"
 * @param outlen	size of out
 * @return			0 if found, -1 otherwise
 */
int rw_version_find(const char *buf, size_t len, char *out, size_t outlen);

/**
 * Find the strongSwan version in a file (see rw_version_find()).
 *
 * @param path		file to read, e.g. "/proc/self/exe"
 * @param out		receives the version
 * @param outlen	size of out
 * @return			0 if found, -1 if not found or unreadable
 */
int rw_version_find_in_file(const char *path, char *out, size_t outlen);

/**
 * Compare two dotted versions numerically ("5.9.10" > "5.9.8"); a suffix such as
 * "dr1" or "rc1" sorts before the release it belongs to.
 *
 * @return			<0, 0 or >0
 */
int rw_version_compare(const char *a, const char *b);

#endif /** RW_VERSION_H_ @}*/
