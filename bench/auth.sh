#!/bin/bash
# bench/auth.sh MODE HANDSHAKES: one round of the auth benchmark (run by bench/run auth).
#   MODE secrets: gateway with AUTH_SECRETS users as swanctl.conf EAP secrets
#   MODE sqlite:  the same gateway and connection with rw-sqlite and AUTH_USERS users
#   MODE rss:     rw-sqlite with a store of RSS_USERS users and RSS_LEASES online leases
#                 (bench/scale_bench fill), to compare charon's memory
# A load-tester client (upstream plugin built by bench/build-upstream) runs HANDSHAKES
# full set-ups as lt1..ltN (IKE_SA with EAP-MSCHAPv2, a virtual IP from the gateway's pool:
# swanctl.conf's in memory or rw-sqlite's, and a CHILD_SA) and deletes each once up.
# Prints "result: mode=... handshakes=... seconds=... per_s=... gw_rss_kb=...".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/testing/lib/testbed.sh"
. "$top/bench/lib.sh"

mode=$1
handshakes=$2
secrets=${AUTH_SECRETS:-1000}
users=${AUTH_USERS:-100000}
[ "$mode" = rss ] || [ "$handshakes" -le "$secrets" ] ||
	tb_die "HANDSHAKES must not exceed AUTH_SECRETS"
id_prefix=lt

# per-SA log lines at level 1 on the client to time the run; the gateway logs as a
# production gateway would (level 1); both modes alike
TB_LOG_TIME=%s TB_LOG_MS=yes TB_LOG_IKE=1 TB_LOG_CFG=1
tb_init "auth-$mode"
tb_topology 1
password=$(tb_password)
thresholds="
    block_threshold = 100000
    cookie_threshold = 100000
    cookie_threshold_ip = 100000"
case "$mode" in
secrets)
	sec=$(for i in $(seq "$secrets"); do tb_eap_secret "lt$i" "lt$i" "$password"; done)
	tb_gateway_setup "" "$thresholds" "$sec"
	;;
sqlite)
	db="${AUTH_DB_DIR:-$TB_DIR/gw}/rw-auth-$$.db"
	mkdir -p "$TB_DIR/gw"
	printf '%s\n' "$password" | "$top/build/default/bench/scale_bench" users "$db" \
		"$users" lt >/dev/null || tb_die "filling the store failed"
	"$top/build/default/tools/rwctl/rwctl" --db "$db" pool add rw 198.18.0.0/16 ||
		tb_die "rwctl pool add failed"
	TB_GW_POOLS=rw
	tb_gateway_setup "rw-sqlite" "$thresholds
    plugins {
        rw-sqlite {
            database = $db
            gateway = gw1
        }
    }" ""
	;;
rss)
	# scale_bench fill: users u0..uN-1, password "secret" (a benchmark fixture)
	db="$TB_DIR/gw/rw.db"
	mkdir -p "$TB_DIR/gw"
	"$top/build/default/bench/scale_bench" fill "$db" "${RSS_USERS:-100}" \
		"${RSS_LEASES:-0}" >/dev/null || tb_die "filling the store failed"
	"$top/build/default/tools/rwctl/rwctl" --db "$db" pool add rw 198.18.0.0/16 ||
		tb_die "rwctl pool add failed"
	TB_GW_POOLS=rw
	password=secret
	id_prefix=u
	tb_gateway_setup "rw-sqlite" "$thresholds
    plugins {
        rw-sqlite {
            database = $db
            gateway = gw1
            crash_recovery = no
        }
    }" ""
	;;
*)
	tb_die "unknown mode $mode"
	;;
esac
tb_start_and_load gw

lt_run "$handshakes" "$id_prefix%d" "$password"
[ "$lt_children" = "$lt_done" ] ||
	tb_die "$lt_done IKE_SAs but $lt_children CHILD_SAs established; see $lt_log"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$(tb_pid gw)/status")
awk -v m="$mode" -v n="$lt_done" -v a="$lt_first" -v b="$lt_last" -v r="$rss" 'BEGIN {
	s = b - a; printf "result: mode=%s handshakes=%d seconds=%.3f per_s=%.1f gw_rss_kb=%d\n",
		m, n, s, n / s, r }'
