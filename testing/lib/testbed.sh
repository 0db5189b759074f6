# Scenario test bed: network namespaces with one real Debian charon each.
#
# Sourced by testing/scenarios/*/test. A scenario calls tb_init, builds a topology,
# writes configurations, starts daemons and checks with tb_expect; tb_finish (also run
# on exit) stops every process it started, by PID, and deletes its namespaces.
#
# Addresses (documentation ranges only):
#   192.0.2.0/24      "internet" between clients and gateway (gateway .1, clients .10+)
#   198.51.100.0/24   internal network behind the gateway (gateway .1, internal host .10,
#                     internal DNS .53)
#   198.18.0.0/15     virtual IP pools

TB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TB_IPSECDIR=${TB_IPSECDIR:-/usr/lib/ipsec}
TB_CHARON=$TB_IPSECDIR/charon
TB_TIMEOUT=${TB_TIMEOUT:-20}
# project plugins come from the build tree unless told otherwise
TB_BUILD=${TB_BUILD:-$TB_TOP/build/default}
# upstream plugins Debian does not ship (load-tester ...) from bench/build-upstream
TB_PLUGIN_DIRS=${TB_PLUGIN_DIRS-"$TB_BUILD/.libs $TB_BUILD/testing/plugins/.libs $TB_TOP/build/bench/plugins"}

TB_FAILED=0
TB_NS=()
TB_PIDS=()

tb_log() { echo "  $*"; }
tb_die() { echo "  FATAL - $*"; TB_FAILED=1; exit 1; }

# tb_init NAME: per-scenario work directory and namespace prefix.
# TB_PERSIST=1 (the demo) leaves everything running at exit; TB_PREFIX and TB_DIR then
# name the namespaces and the directory, and tb_teardown removes them later.
tb_init() {
	TB_NAME=$1
	for cmd in ip unshare nsenter setsid swanctl pki "$TB_CHARON"; do
		command -v "$cmd" >/dev/null 2>&1 ||
			tb_die "'$cmd' not found; run 'sudo scripts/install-deps'"
	done
	[ "$(id -u)" = 0 ] || tb_die "scenarios need root (network namespaces)"
	[ -c /dev/net/tun ] || tb_die "/dev/net/tun missing: kernel-libipsec needs TUN devices"
	if [ -n "${TB_PERSIST:-}" ]; then
		: "${TB_PREFIX:?}" "${TB_DIR:?}"
		mkdir -p "$TB_DIR"
	else
		# short unique prefix: interface and namespace names are limited in length
		TB_PREFIX="rw$$"
		TB_DIR=$(mktemp -d "/tmp/rwtb-$TB_NAME.XXXXXX")
		trap tb_finish EXIT
		trap 'exit 130' INT TERM
	fi
	chmod 755 "$TB_DIR"
}

# tb_teardown PREFIX DIR: stop what a persistent run (TB_PERSIST) left, by its PID files
tb_teardown() {
	local prefix=$1 dir=$2 f pid ns i
	for f in "$dir"/*/charon.pid "$dir"/*/dnsmasq.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		# only a daemon we started, of the kind its PID file names
		if [ -n "$pid" ] && grep -qs "$(basename "$f" .pid)" "/proc/$pid/cmdline"; then
			kill -TERM "$pid" 2>/dev/null
			for i in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL "$pid" 2>/dev/null
		fi
	done
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$prefix-"); do
		ip netns del "$ns"
	done
	rm -rf "$dir"
}

# tb_finish: stop daemons by PID, delete namespaces, keep the logs if anything failed
tb_finish() {
	local rc=$? pid i ns
	trap - EXIT
	[ "$rc" = 0 ] || TB_FAILED=1
	for pid in "${TB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${TB_PIDS[@]}"; do
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			tb_log "process $pid did not stop in 5 s, killing it"
			kill -KILL "$pid" 2>/dev/null
		fi
	done
	for ns in "${TB_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${TB_DIR:-}" ] && [ -d "$TB_DIR" ]; then
		if [ "$TB_FAILED" != 0 ] && [ -n "${TB_KEEP_LOGS:-}" ]; then
			rm -rf "$TB_KEEP_LOGS"
			mkdir -p "$(dirname "$TB_KEEP_LOGS")"
			cp -r "$TB_DIR" "$TB_KEEP_LOGS" 2>/dev/null
			# never keep private keys or secrets around in logs
			find "$TB_KEEP_LOGS" \( -name '*.key' -o -name 'swanctl.conf' \) -delete 2>/dev/null
			find "$TB_KEEP_LOGS" -type l -delete 2>/dev/null
			rm -rf "$TB_KEEP_LOGS"/*/plugins "$TB_KEEP_LOGS"/*/sysplugins
			tb_log "logs kept in $TB_KEEP_LOGS"
		fi
		rm -rf "$TB_DIR"
	fi
	if [ "$TB_FAILED" != 0 ]; then
		exit 1
	fi
	exit 0
}

# tb_expect DESCRIPTION CMD...: run a check, record its result
tb_expect() {
	local what=$1
	shift
	if "$@" >>"$TB_DIR/checks.log" 2>&1; then
		tb_log "ok - $what"
	else
		tb_log "FAIL - $what"
		TB_FAILED=1
	fi
}

# tb_expect_not DESCRIPTION CMD...: like tb_expect, CMD must fail
tb_expect_not() {
	local what=$1
	shift
	if ! "$@" >>"$TB_DIR/checks.log" 2>&1; then
		tb_log "ok - $what"
	else
		tb_log "FAIL - $what"
		TB_FAILED=1
	fi
}

# tb_wait SECONDS CMD...: poll CMD every 0.2 s until it succeeds or time runs out
tb_wait() {
	local secs=$1 i
	shift
	for i in $(seq $((secs * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

tb_ns() { echo "$TB_PREFIX-$1"; }

# tb_host NAME: a namespace with loopback up
tb_host() {
	local ns
	ns=$(tb_ns "$1")
	ip netns add "$ns" || tb_die "cannot create namespace $ns"
	TB_NS+=("$ns")
	ip -n "$ns" link set lo up
	mkdir -p "$TB_DIR/$1"
}

# tb_exec HOST CMD...: run CMD in HOST's network namespace
tb_exec() {
	local host=$1
	shift
	ip netns exec "$(tb_ns "$host")" "$@"
}

# tb_link HOST1 IF1 ADDR1 HOST2 IF2 ADDR2: veth pair between two hosts
tb_link() {
	ip link add "$TB_PREFIX$2" netns "$(tb_ns "$1")" type veth \
		peer name "$TB_PREFIX$5" netns "$(tb_ns "$4")" ||
		tb_die "cannot create veth $1:$2 - $4:$5"
	ip -n "$(tb_ns "$1")" link set "$TB_PREFIX$2" name "$2"
	ip -n "$(tb_ns "$4")" link set "$TB_PREFIX$5" name "$5"
	[ -z "$3" ] || ip -n "$(tb_ns "$1")" addr add "$3" dev "$2"
	[ -z "$6" ] || ip -n "$(tb_ns "$4")" addr add "$6" dev "$5"
	ip -n "$(tb_ns "$1")" link set "$2" up
	ip -n "$(tb_ns "$4")" link set "$5" up
}

# tb_topology N: gateway "gw", internal host "int", clients c1..cN on a bridge "net"
tb_topology() {
	local n=${1:-1} i
	tb_host net
	ip -n "$(tb_ns net)" link add br0 type bridge
	ip -n "$(tb_ns net)" link set br0 up
	tb_host gw
	tb_host int
	tb_link gw eth0 192.0.2.1/24 net gw ""
	ip -n "$(tb_ns net)" link set gw master br0
	tb_link gw eth1 198.51.100.1/24 int eth0 198.51.100.10/24
	ip -n "$(tb_ns int)" addr add 198.51.100.53/24 dev eth0
	ip -n "$(tb_ns int)" route add default via 198.51.100.1
	tb_exec gw sysctl -qw net.ipv4.ip_forward=1
	for i in $(seq "$n"); do
		tb_host "c$i"
		tb_link "c$i" eth0 "192.0.2.$((9 + i))/24" net "c$i" ""
		ip -n "$(tb_ns net)" link set "c$i" master br0
	done
}

# tb_pki NAME: CA and a server certificate for NAME (SAN NAME, serverAuth EKU)
tb_pki() {
	local d="$TB_DIR/pki" name=$1
	mkdir -p "$d"
	(
		cd "$d" &&
		pki --gen --type rsa --size 2048 --outform pem > ca.key &&
		pki --self --ca --lifetime 30 --in ca.key --type rsa \
			--dn "C=CH, O=rw-testbed, CN=rw-testbed CA" --outform pem > ca.pem &&
		pki --gen --type rsa --size 2048 --outform pem > "$name.key" &&
		pki --pub --in "$name.key" --type rsa |
			pki --issue --lifetime 30 --cacert ca.pem --cakey ca.key \
				--dn "C=CH, O=rw-testbed, CN=$name" --san "$name" \
				--flag serverAuth --flag ikeIntermediate --outform pem > "$name.pem"
	) >"$d/pki.log" 2>&1 || tb_die "pki failed, see pki.log"
}

# tb_password: a fresh random password (no secret lives in the repository)
tb_password() {
	head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 16
}

# tb_strongswan_conf HOST "PLUGINS" [EXTRA]: strongswan.conf for HOST's charon
tb_strongswan_conf() {
	local host=$1 plugins=$2 extra=${3:-}
	cat > "$TB_DIR/$host/strongswan.conf" <<-EOF
	charon {
	    load = $plugins
	    port = 500
	    port_nat_t = 4500
	    # the test bed's own charon, nothing from the system configuration
	    install_routes = yes
	    filelog {
	        tb {
	            path = $TB_DIR/$host/charon.log
	            time_format = ${TB_LOG_TIME:-%T}
	            time_add_ms = ${TB_LOG_MS:-no}
	            default = ${TB_LOG_DEFAULT:-1}
	            ike = ${TB_LOG_IKE:-2}
	            cfg = ${TB_LOG_CFG:-2}
	            flush_line = yes
	        }
	    }
	    syslog {
	        daemon {
	            default = -1
	        }
	    }
	    plugins {
	        resolve {
	            file = $TB_DIR/$host/resolv.conf
	        }
	    }
	$extra
	}
	swanctl {
	    load = pem pkcs1 x509 revocation constraints pubkey openssl random
	}
	EOF
}

# tb_swanctl_dir HOST: the directory bound to /etc/swanctl for HOST
tb_swanctl_dir() {
	local d="$TB_DIR/$1/swanctl" sub
	for sub in conf.d x509 x509ca x509aa x509ocsp x509ac x509crl pubkey private \
			   rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$d/$sub"
	done
	chmod 700 "$d/private" "$d/rsa" "$d/ecdsa" "$d/pkcs8" "$d/pkcs12"
	echo "$d"
}

# tb_charon_start HOST: start a charon in HOST's namespace with its own mount namespace
# (private /run, /etc/swanctl and plugin directory); waits until vici answers
tb_charon_start() {
	local host=$1 d="$TB_DIR/$1" ns f dir pid
	ns=$(tb_ns "$host")
	mkdir -p "$d/plugins" "$d/sysplugins"
	# system plugins through a bind of the original directory, project plugins from
	# the build tree; this directory is then bound over the plugin directory
	for f in "$TB_IPSECDIR"/plugins/*.so; do
		ln -sf "$d/sysplugins/${f##*/}" "$d/plugins/${f##*/}"
	done
	for dir in $TB_PLUGIN_DIRS; do
		for f in "$dir"/libstrongswan-*.so; do
			[ -e "$f" ] && ln -sf "$f" "$d/plugins/${f##*/}"
		done
	done
	setsid ip netns exec "$ns" unshare -m --propagation private sh -c '
		set -e
		mount --bind "$2/plugins" "$1/sysplugins"
		mount --bind "$1/plugins" "$2/plugins"
		mount -t tmpfs -o mode=755 tmpfs /run
		mount --bind "$1/swanctl" /etc/swanctl
		echo $$ > "$1/charon.pid"
		export STRONGSWAN_CONF="$1/strongswan.conf"
		shift 2
		exec "$@"
	' sh "$d" "$TB_IPSECDIR" $(tb_wrapper "$host") "$TB_CHARON" >"$d/charon.out" 2>&1 </dev/null &
	# shellcheck disable=SC2034
	local launcher=$!
	if ! tb_wait 5 test -s "$d/charon.pid"; then
		tb_die "charon on $host did not start: $(tail -n 3 "$d/charon.out")"
	fi
	pid=$(cat "$d/charon.pid")
	TB_PIDS+=("$pid")
	eval "TB_PID_$host=$pid"
	# a charon that does its job and exits (load-tester) is not waited for
	[ -z "${TB_NO_VICI_WAIT:-}" ] || return 0
	if ! tb_wait "$TB_TIMEOUT" tb_vici_up_or_dead "$host" || ! tb_vici_up "$host" >/dev/null 2>&1; then
		if ! kill -0 "$pid" 2>/dev/null; then
			tb_die "charon on $host exited at start: $(tail -q -n 3 "$d/charon.out" "$d/charon.log" 2>/dev/null | tr '\n' ' ')"
		fi
		tb_die "charon on $host did not open its vici socket within ${TB_TIMEOUT}s"
	fi
}

# TB_VALGRIND="HOST..." runs those hosts' charon under valgrind (log HOST/valgrind.log)
tb_wrapper() {
	case " ${TB_VALGRIND:-} " in
	*" $1 "*)
		# keep-debuginfo: charon dlcloses plugins at exit, their frames must still resolve
		echo "valgrind --leak-check=full --show-leak-kinds=definite,indirect" \
			"--keep-debuginfo=yes --num-callers=30 --log-file=$TB_DIR/$1/valgrind.log"
		;;
	esac
}

tb_pid() { eval "echo \${TB_PID_$1:-}"; }

# succeeds when vici answers or charon has exited: stops waiting early
tb_vici_up_or_dead() {
	! kill -0 "$(tb_pid "$1")" 2>/dev/null || tb_vici_up "$1"
}

tb_vici_up() {
	tb_swanctl "$1" --stats
}

# tb_swanctl HOST ARGS...: swanctl against HOST's charon (in its namespaces)
tb_swanctl() {
	local host=$1 pid
	shift
	pid=$(tb_pid "$host")
	[ -n "$pid" ] || return 1
	STRONGSWAN_CONF="$TB_DIR/$host/strongswan.conf" timeout "$TB_TIMEOUT" \
		nsenter -t "$pid" -m -n swanctl "$@"
}

# tb_log_has HOST REGEX: the charon log of HOST matches REGEX
tb_log_has() {
	grep -Eq -- "$2" "$TB_DIR/$1/charon.log"
}

# tb_alive HOST: HOST's charon still runs
tb_alive() {
	kill -0 "$(tb_pid "$1")" 2>/dev/null
}

# Road-warrior set-up shared by scenarios -------------------------------------------

TB_GW_ID=vpn.example.org
TB_GW_PLUGINS="random nonce openssl kdf pem pkcs1 x509 revocation constraints pubkey
 socket-default kernel-libipsec kernel-netlink vici attr eap-identity eap-mschapv2"
TB_CLIENT_PLUGINS="random nonce openssl kdf pem pkcs1 x509 revocation constraints pubkey
 socket-default kernel-libipsec kernel-netlink vici eap-identity eap-mschapv2 resolve"

# tb_gateway_setup "EXTRA PLUGINS" "EXTRA CHARON OPTIONS" "SECRETS": swanctl.conf with
# an EAP-MSCHAPv2 road-warrior connection "rw" and pool "pool4" (198.18.0.0/24, DNS)
tb_gateway_setup() {
	local plugins="$TB_GW_PLUGINS ${1:-}" extra=${2:-} secrets=${3:-} d
	tb_require_plugins ${1:-}
	tb_pki "$TB_GW_ID"
	d=$(tb_swanctl_dir gw)
	cp "$TB_DIR/pki/ca.pem" "$d/x509ca/"
	cp "$TB_DIR/pki/$TB_GW_ID.pem" "$d/x509/"
	cp "$TB_DIR/pki/$TB_GW_ID.key" "$d/private/"
	tb_strongswan_conf gw "$(echo $plugins)" "$extra"
	cat > "$d/swanctl.conf" <<-EOF
	connections {
	    rw {
	        version = 2
	        local_addrs = 192.0.2.1
	        pools = ${TB_GW_POOLS:-pool4}
	        unique = ${TB_GW_UNIQUE:-no}
	        send_cert = ifasked
	        local {
	            auth = pubkey
	            certs = $TB_GW_ID.pem
	            id = $TB_GW_ID
	        }
	        remote {
	            auth = eap-mschapv2
	            eap_id = %any
	        }
	        children {
	            rw {
	                local_ts = ${TB_GW_LOCAL_TS:-198.51.100.0/24}
	            }
	        }
	    }
	}
	pools {
	    pool4 {
	        addrs = 198.18.0.0/24
	        ${TB_GW_POOL4_DNS-dns = 198.51.100.53}
	    }
	}
	secrets {
	$secrets
	}
	EOF
	chmod 600 "$d/swanctl.conf"
}

# tb_require_plugins NAME...: the project plugins NAME are built (or installed)
tb_require_plugins() {
	local p dir found
	for p in "$@"; do
		found=no
		for dir in $TB_PLUGIN_DIRS "$TB_IPSECDIR/plugins"; do
			[ -e "$dir/libstrongswan-$p.so" ] && found=yes
		done
		[ $found = yes ] || tb_die "plugin $p is not built; run 'sudo scripts/build' first"
	done
}

# tb_eap_secret NAME USER PASSWORD: a secrets entry for swanctl.conf
tb_eap_secret() {
	printf '    eap-%s {\n        id = %s\n        secret = "%s"\n    }\n' "$1" "$2" "$3"
}

# tb_client_setup HOST USER PASSWORD ["EXTRA CHARON OPTIONS"]: a strongSwan client
# with connection "home" to the gateway, asking for a virtual IP
tb_client_setup() {
	local host=$1 user=$2 password=$3 extra=${4:-} d
	d=$(tb_swanctl_dir "$host")
	cp "$TB_DIR/pki/ca.pem" "$d/x509ca/"
	tb_strongswan_conf "$host" "$(echo $TB_CLIENT_PLUGINS)" "$extra"
	cat > "$d/swanctl.conf" <<-EOF
	connections {
	    home {
	        version = 2
	        remote_addrs = 192.0.2.1
	        vips = ${TB_CLIENT_VIPS:-0.0.0.0}
	        local {
	            auth = eap-mschapv2
	            eap_id = $user
	        }
	        remote {
	            auth = pubkey
	            id = $TB_GW_ID
	        }
	        children {
	            home {
	                remote_ts = ${TB_CLIENT_REMOTE_TS:-198.51.100.0/24}
	            }
	        }
	    }
	}
	secrets {
	$(tb_eap_secret "$user" "$user" "$password")
	}
	EOF
	chmod 600 "$d/swanctl.conf"
}

# tb_start_and_load HOST: start HOST's charon and load its swanctl.conf
tb_start_and_load() {
	tb_charon_start "$1"
	tb_swanctl "$1" --load-all --noprompt >"$TB_DIR/$1/load-all.log" 2>&1 ||
		tb_die "swanctl --load-all failed on $1: $(tail -n 3 "$TB_DIR/$1/load-all.log")"
}

# tb_client_vip HOST: the virtual IPv4 address HOST's charon installed
tb_client_vip() {
	tb_exec "$1" ip -4 -o addr show | awk '$4 ~ /^198\.1[89]\./ { sub("/.*", "", $4); print $4; exit }'
}

# tb_child_packets_in HOST: inbound packets of HOST's first CHILD_SA (swanctl counters)
tb_child_packets_in() {
	tb_child_counter "$1" packets-in
}

# tb_child_counter HOST NAME: counter NAME (packets-in, bytes-out ...) of HOST's first
# CHILD_SA
tb_child_counter() {
	tb_swanctl "$1" --list-sas --raw 2>/dev/null |
		grep -o "$2=[0-9]*" | head -n 1 | cut -d= -f2
}

# rw-sqlite helpers -----------------------------------------------------------------

TB_RWCTL=${TB_RWCTL:-$TB_BUILD/tools/rwctl/rwctl}

# tb_rwctl ARGS...: rwctl against the scenario's database ($TB_DB)
tb_rwctl() {
	"$TB_RWCTL" --db "$TB_DB" "$@"
}

# tb_sqlite_gateway "EXTRA PLUGINS" "EXTRA rw-sqlite OPTIONS": gateway with rw-sqlite,
# database $TB_DB, connection "rw" using the store's pool "rw"
tb_sqlite_gateway() {
	[ -x "$TB_RWCTL" ] || tb_die "rwctl is not built; run 'sudo scripts/build' first"
	TB_DB="$TB_DIR/gw/rw.db"
	TB_GW_POOLS=${TB_GW_POOLS:-rw}
	tb_gateway_setup "rw-sqlite ${1:-}" "
    plugins {
        rw-sqlite {
            database = $TB_DB
            gateway = gw1
            ${2:-}
        }
    }" ""
}

# tb_user NAME PASSWORD [OPTIONS...]: add a user with rwctl, the password on stdin
tb_user() {
	local name=$1 password=$2
	shift 2
	printf '%s\n' "$password" | tb_rwctl user add "$name" --password-stdin "$@"
}

# tb_connect HOST: initiate HOST's connection, succeed if it is established; a failed
# attempt leaves no half-made IKE_SA behind (the next attempt starts afresh)
tb_connect() {
	if tb_swanctl "$1" --initiate --child home --timeout 20 >>"$TB_DIR/$1/initiate.log" 2>&1; then
		return 0
	fi
	tb_swanctl "$1" --terminate --ike home --force >>"$TB_DIR/$1/initiate.log" 2>&1
	return 1
}

# tb_ike_up HOST: HOST has an established IKE_SA
tb_ike_up() {
	tb_swanctl "$1" --list-sas 2>/dev/null | grep -q ESTABLISHED
}

# tb_sql_is VALUE QUERY: QUERY returns VALUE now (evaluated at each call, for tb_wait)
tb_sql_is() {
	[ "$(tb_sql "$2")" = "$1" ]
}

# tb_sql QUERY: run a query on the scenario's database (read-only)
tb_sql() {
	sqlite3 -readonly "$TB_DB" "$1"
}

# tb_expect_not_quiet CMD...: CMD fails (for tb_wait)
tb_expect_not_quiet() {
	! "$@"
}

# tb_expect_gone HOST: HOST has no established IKE_SA any more
tb_expect_gone() {
	! tb_ike_up "$1"
}

# DNS and split-tunnel helpers -------------------------------------------------------

# tb_dnsmasq: a DNS server on the internal host (198.51.100.53) that answers
# intranet.corp.example with the internal host's address and knows nothing else; it
# logs every query with its source address (int/dnsmasq.log)
tb_dnsmasq() {
	local d="$TB_DIR/int" pid
	mkdir -p "$d"
	command -v dnsmasq >/dev/null || tb_die "dnsmasq not found; run 'sudo scripts/install-deps'"
	# not through tb_exec: $! must be dnsmasq itself (ip netns exec execs it)
	ip netns exec "$(tb_ns int)" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--no-dhcp-interface=eth0 --listen-address=198.51.100.53 --bind-interfaces \
		--pid-file= --user=root --log-queries --log-facility="$d/dnsmasq.log" \
		--address=/intranet.corp.example/198.51.100.10 >"$d/dnsmasq.out" 2>&1 &
	pid=$!
	TB_PIDS+=("$pid")
	echo "$pid" > "$d/dnsmasq.pid"
	tb_wait 5 grep -q "started" "$d/dnsmasq.log" ||
		tb_die "dnsmasq did not start: $(tail -n 3 "$d/dnsmasq.out")"
}

# tb_resolve HOST NAME: ask the internal DNS server for NAME from HOST (virtual IP as
# source when HOST has one); prints the answer
tb_resolve() {
	local vip
	vip=$(tb_client_vip "$1")
	tb_exec "$1" dig +short +time=2 +tries=2 ${vip:+-b "$vip"} @198.51.100.53 "$2" A
}

# tb_outside_host: host "out" (192.0.2.200) on the client side of the gateway, reached
# directly by split-tunnel clients
tb_outside_host() {
	tb_host out
	tb_link out eth0 192.0.2.200/24 net out ""
	ip -n "$(tb_ns net)" link set out master br0
	# answers to full-tunnel clients (virtual IPs) go back through the gateway
	ip -n "$(tb_ns out)" route add default via 192.0.2.1
}

# tb_child_ts_all HOST: "LOCAL === REMOTE" traffic selectors of each of HOST's
# CHILD_SAs, a line each
tb_child_ts_all() {
	tb_swanctl "$1" --list-sas 2>/dev/null | awk '
		/^    local  / { sub(/^    local  /, ""); l = $0 }
		/^    remote / { sub(/^    remote /, ""); print l " === " $0 }'
}

# tb_child_ts HOST: the same of HOST's first CHILD_SA
tb_child_ts() {
	tb_child_ts_all "$1" | head -n 1
}

# tb_child_packets_out HOST: outbound packets of HOST's first CHILD_SA
tb_child_packets_out() {
	tb_child_counter "$1" packets-out
}
