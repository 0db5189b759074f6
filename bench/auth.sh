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

mode=$1
handshakes=$2
secrets=${AUTH_SECRETS:-1000}
users=${AUTH_USERS:-100000}
[ "$mode" = rss ] || [ "$handshakes" -le "$secrets" ] ||
	tb_die "HANDSHAKES must not exceed AUTH_SECRETS"
id_prefix=lt
[ -e "$top/build/bench/plugins/libstrongswan-load-tester.so" ] ||
	tb_die "load-tester not built: run bench/build-upstream"

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

d=$(tb_swanctl_dir c1)
cp "$TB_DIR/pki/ca.pem" "$TB_DIR/c1/ca.pem"
mkdir -p "$TB_DIR/c1/cas"
cp "$TB_DIR/pki/ca.pem" "$TB_DIR/c1/cas/"
# load-tester first: its fake kernel interface must be the one registered, or the
# client's CHILD_SAs fail on this kernel (kernel-netlink's would win)
tb_strongswan_conf c1 "random nonce openssl kdf pem pkcs1 x509 revocation constraints \
pubkey socket-default load-tester kernel-netlink vici eap-identity eap-mschapv2" "
    plugins {
        load-tester {
            enable = yes
            initiators = 4
            iterations = $((handshakes / 4))
            init_limit = 16
            delay = 0
            responder = 192.0.2.1
            initiator_tsr = 198.51.100.0/24
            proposal = aes128-sha256-curve25519
            esp = aes128gcm16
            initiator_auth = eap-mschapv2
            initiator_id = $id_prefix%d
            responder_auth = pubkey
            responder_id = $TB_GW_ID
            ca_dir = $TB_DIR/c1/cas
            eap_password = $password
            fake_kernel = yes
            request_virtual_ip = yes
            delete_after_established = yes
        }
    }"
TB_NO_VICI_WAIT=1 tb_charon_start c1
pid=$(tb_pid c1)
log="$TB_DIR/c1/charon.log"
# done when every set-up completed (the client's own shutdown is not waited for: with
# many initiator threads it can hang, which is not what is measured)
established() {
	[ "$(grep -c "CHILD_SA load-test{[0-9]*} established" "$log")" -ge "$handshakes" ]
}
tb_wait 600 established || tb_die "load-tester did not complete $handshakes set-ups in" \
	"600 s: $(grep -c "CHILD_SA load-test{[0-9]*} established" "$log") done"
done_n=$(grep -c "IKE_SA load-test\[[0-9]*\] established" "$log")
children=$(grep -c "CHILD_SA load-test{[0-9]*} established" "$log")
[ "$children" = "$done_n" ] || tb_die "$done_n IKE_SAs but $children CHILD_SAs established; see $log"
first=$(grep -m1 "initiating IKE_SA" "$log" | awk '{print $1}')
last=$(grep "CHILD_SA load-test{[0-9]*} established" "$log" | tail -n 1 | awk '{print $1}')
rss=$(awk '/VmRSS/ {print $2}' "/proc/$(tb_pid gw)/status")
[ "$done_n" -gt 0 ] && [ -n "$first" ] && [ -n "$last" ] ||
	tb_die "no handshake completed ($done_n); see $log"
awk -v m="$mode" -v n="$done_n" -v a="$first" -v b="$last" -v r="$rss" 'BEGIN {
	s = b - a; printf "result: mode=%s handshakes=%d seconds=%.3f per_s=%.1f gw_rss_kb=%d\n",
		m, n, s, n / s, r }'
