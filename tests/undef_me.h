/* Included after strongSwan's config.h: a config.h as if strongSwan had been
 * configured without --enable-mediation, which Debian's charon uses. */
#undef ME
