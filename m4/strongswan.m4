# RW_STRONGSWAN
# -------------
# Find strongSwan headers that match the installed charon and produce a config.h with
# the options Debian builds strongSwan with (those that change public struct layouts).
#
# Sets and substitutes:
#   STRONGSWAN_SRC      the strongSwan source tree
#   STRONGSWAN_VERSION  its upstream version
#   STRONGSWAN_CFLAGS   -include config.h and include paths
#   STRONGSWAN_LIBS     libcharon and libstrongswan of the installed charon
#   ipsecdir            directory of charon and its libraries (/usr/lib/ipsec)
#   plugindir           where charon loads plugins from (ipsecdir/plugins)
#   strongswanddir      strongswan.d snippet directory (/etc/strongswan.d)
AC_DEFUN([RW_STRONGSWAN], [
AC_ARG_WITH([strongswan-source],
	[AS_HELP_STRING([--with-strongswan-source=DIR],
		[strongSwan source tree of the installed version (default: the one
		 fetched by scripts/fetch-strongswan-source)])],
	[rw_ss_src=$withval], [rw_ss_src=])
AC_ARG_WITH([ipsecdir],
	[AS_HELP_STRING([--with-ipsecdir=DIR],
		[directory of the installed charon and its libraries @<:@/usr/lib/ipsec@:>@])],
	[ipsecdir=$withval], [ipsecdir=/usr/lib/ipsec])
AC_ARG_WITH([plugindir],
	[AS_HELP_STRING([--with-plugindir=DIR],
		[where charon loads plugins from @<:@IPSECDIR/plugins@:>@])],
	[plugindir=$withval], [plugindir=$ipsecdir/plugins])
AC_ARG_WITH([strongswand],
	[AS_HELP_STRING([--with-strongswand=DIR],
		[strongswan.d directory for option snippets @<:@/etc/strongswan.d@:>@])],
	[strongswanddir=$withval], [strongswanddir=/etc/strongswan.d])
AC_ARG_VAR([STRONGSWAN_CONFIGURE_ARGS],
	[options for strongSwan's configure when generating config.h
	 @<:@--enable-mediation --with-capabilities=libcap --disable-gmp@:>@])
: ${STRONGSWAN_CONFIGURE_ARGS="--enable-mediation --with-capabilities=libcap --disable-gmp"}

AC_MSG_CHECKING([for the strongSwan source tree])
if test -z "$rw_ss_src"; then
	rw_stamp="$srcdir/build/strongswan-src/.version"
	if test -f "$rw_stamp"; then
		rw_ss_src=`sed -n 3p "$rw_stamp"`
	fi
fi
if test -z "$rw_ss_src" || test ! -f "$rw_ss_src/src/libcharon/daemon.h" ||
   test ! -x "$rw_ss_src/configure"; then
	AC_MSG_RESULT([not found])
	AC_MSG_ERROR([no usable strongSwan source tree${rw_ss_src:+ at $rw_ss_src}.
  Run 'sudo scripts/fetch-strongswan-source' to fetch the Debian source of the
  installed strongSwan, or pass --with-strongswan-source=DIR (an unpacked release
  tarball of the installed version, with src/libcharon/daemon.h and configure).])
fi
rw_ss_src=`cd "$rw_ss_src" && pwd`
AC_MSG_RESULT([$rw_ss_src])

AC_MSG_CHECKING([the strongSwan version of the source])
STRONGSWAN_VERSION=`sed -n 's/^AC.INIT(.strongSwan.,.\(@<:@0-9a-z.@:>@*\).).*/\1/p' "$rw_ss_src/configure.ac" 2>/dev/null`
if test -z "$STRONGSWAN_VERSION"; then
	AC_MSG_RESULT([unknown])
	AC_MSG_ERROR([cannot read the version from $rw_ss_src/configure.ac])
fi
AC_MSG_RESULT([$STRONGSWAN_VERSION])

AC_MSG_CHECKING([the strongSwan version of the installed charon])
rw_charon_version=
if test -x "$ipsecdir/charon"; then
	rw_charon_version=`"$ipsecdir/charon" --version 2>/dev/null | sed -n 's/.*strongSwan \(@<:@^ @:>@*\).*/\1/p'`
fi
if test -z "$rw_charon_version"; then
	AC_MSG_RESULT([not found])
	AC_MSG_ERROR([no strongSwan charon at $ipsecdir/charon.
  Install it with 'sudo scripts/install-deps' (Debian package strongswan-charon)
  or pass --with-ipsecdir=DIR.])
fi
AC_MSG_RESULT([$rw_charon_version])
if test "x$rw_charon_version" != "x$STRONGSWAN_VERSION"; then
	AC_MSG_ERROR([the source is strongSwan $STRONGSWAN_VERSION but the installed charon is
  strongSwan $rw_charon_version: plugins built so would not match its ABI.
  Fetch the matching source with 'sudo scripts/fetch-strongswan-source' or pass
  --with-strongswan-source=DIR of strongSwan $rw_charon_version.])
fi
for rw_lib in libcharon.so libstrongswan.so; do
	if test ! -e "$ipsecdir/$rw_lib"; then
		AC_MSG_ERROR([$ipsecdir/$rw_lib not found; install strongswan-libcharon and
  libstrongswan (sudo scripts/install-deps)])
	fi
done

# strongSwan's own configure writes config.h; it is cached per source and options.
rw_ss_obj="`pwd`/strongswan-config"
rw_ss_key="$rw_ss_src $STRONGSWAN_CONFIGURE_ARGS"
AC_MSG_CHECKING([for a strongSwan config.h ($STRONGSWAN_CONFIGURE_ARGS)])
if test -f "$rw_ss_obj/config.h" && test -f "$rw_ss_obj/key" &&
   test "x`cat "$rw_ss_obj/key"`" = "x$rw_ss_key"; then
	AC_MSG_RESULT([cached])
else
	AC_MSG_RESULT([generating])
	rm -rf "$rw_ss_obj"
	mkdir -p "$rw_ss_obj"
	AC_MSG_NOTICE([running strongSwan's configure, see $rw_ss_obj/configure.log])
	if (cd "$rw_ss_obj" && eval "\"$rw_ss_src/configure\" $STRONGSWAN_CONFIGURE_ARGS" \
		>configure.log 2>&1) && test -f "$rw_ss_obj/config.h"; then
		echo "$rw_ss_key" > "$rw_ss_obj/key"
	else
		AC_MSG_ERROR([strongSwan's configure failed; the reason is at the end of
  $rw_ss_obj/configure.log (a missing -dev package: run sudo scripts/install-deps)])
	fi
fi

STRONGSWAN_SRC=$rw_ss_src
STRONGSWAN_CFLAGS="-include $rw_ss_obj/config.h -I$rw_ss_src/src/libstrongswan -I$rw_ss_src/src/libcharon"
STRONGSWAN_LIBS="-L$ipsecdir -lcharon -lstrongswan"

AC_MSG_CHECKING([that a plugin compiles and links against strongSwan $STRONGSWAN_VERSION])
rw_save_CFLAGS=$CFLAGS
rw_save_LIBS=$LIBS
CFLAGS="$CFLAGS $STRONGSWAN_CFLAGS"
LIBS="$LIBS $STRONGSWAN_LIBS"
AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <daemon.h>]],
	[[return libcharon_init() ? 0 : 1;]])],
	[AC_MSG_RESULT([yes])],
	[AC_MSG_RESULT([no])
	 AC_MSG_ERROR([cannot compile or link against strongSwan headers in $rw_ss_src
  and libraries in $ipsecdir; see config.log])])
CFLAGS=$rw_save_CFLAGS
LIBS=$rw_save_LIBS

AC_SUBST([STRONGSWAN_SRC])
AC_SUBST([STRONGSWAN_VERSION])
AC_SUBST([STRONGSWAN_CFLAGS])
AC_SUBST([STRONGSWAN_LIBS])
AC_SUBST([ipsecdir])
AC_SUBST([plugindir])
AC_SUBST([strongswanddir])
])
