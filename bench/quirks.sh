#!/bin/bash
# bench/quirks.sh: the rw-quirks benchmark (run by bench/run quirks).
#
#   bench/quirks.sh            classification cost per IKE_SA (bench/quirks_bench on
#                              tests/samples), then IKE_SAs per second of the same
#                              gateway without and with rw-quirks, rounds alternating,
#                              median of each, and the ratio
#   bench/quirks.sh round MODE HANDSHAKES
#                              one round: MODE stock (no rw-quirks) or quirks; prints
#                              "result: mode=... handshakes=... seconds=... per_s=..."
#
# A round: gateway with connection "rw" and QUIRKS_SECRETS EAP-MSCHAPv2 users as
# swanctl.conf secrets (as bench/auth.sh secrets), a load-tester client runs HANDSHAKES
# full set-ups (IKE_SA, EAP-MSCHAPv2, virtual IP, CHILD_SA) and deletes each once up.
# The load-tester sends the strongSwan vendor ID, which a classifier rule in the quirks
# round makes "apple", the family with the most quirks (per-IKE_SA state, family log
# line, certificate and DPD decisions, shaping of IKE and ESP offers).
#
# Environment: QUIRKS_ROUNDS=5, QUIRKS_HANDSHAKES=1000, QUIRKS_SAMPLE_ROUNDS=20000,
# BENCH_BUILD (the build whose plugins and programs are used; default build/default,
# which this script builds with scripts/build).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$top/build/default}
work="$top/build/bench"

die() { echo "bench/quirks: $*" >&2; exit 1; }

. "$top/bench/lib.sh"

round() {
	local mode=$1 handshakes=$2 secrets=${QUIRKS_SECRETS:-1000} plugins="" extra sec
	TB_BUILD=$build
	. "$top/testing/lib/testbed.sh"
	[ "$handshakes" -le "$secrets" ] || tb_die "HANDSHAKES must not exceed QUIRKS_SECRETS"

	# as bench/auth.sh: per-SA lines at level 1 on the client to time the run, the
	# gateway logging as a production gateway would (level 1)
	TB_LOG_TIME=%s TB_LOG_MS=yes TB_LOG_IKE=1 TB_LOG_CFG=1
	tb_init "quirks-$mode"
	tb_topology 1
	password=$(tb_password)
	extra="
    block_threshold = 100000
    cookie_threshold = 100000
    cookie_threshold_ip = 100000"
	case "$mode" in
	stock) ;;
	quirks)
		plugins=rw-quirks
		extra="$extra
    plugins {
        rw-quirks {
            rules {
                bench-apple = family=apple weight=900 vid=882fe56d6fd20dbc2251613b2ebe5beb
            }
        }
    }"
		;;
	*) tb_die "unknown mode $mode" ;;
	esac
	sec=$(for i in $(seq "$secrets"); do tb_eap_secret "lt$i" "lt$i" "$password"; done)
	TB_GW_POOLS=pool4
	tb_gateway_setup "$plugins" "$extra" "$sec"
	# room for every client at once
	sed -i 's|addrs = 198.18.0.0/24|addrs = 198.18.0.0/16|' "$TB_DIR/gw/swanctl/swanctl.conf"
	tb_start_and_load gw
	if [ "$mode" = quirks ]; then
		tb_log_has gw "rw-quirks: active" || tb_die "rw-quirks did not load"
	fi

	# send_vendor_id: what the quirks round's classifier rule recognises
	lt_run "$handshakes" "lt%d" "$password" "
    send_vendor_id = yes"
	classified=$(grep -c "rw-quirks: client .* is apple" "$TB_DIR/gw/charon.log")
	if [ "$mode" = quirks ] && [ "$classified" -lt "$lt_done" ]; then
		tb_die "only $classified of $lt_done clients classified apple"
	fi
	awk -v m="$mode" -v n="$lt_done" -v a="$lt_first" -v b="$lt_last" -v c="$classified" 'BEGIN {
		s = b - a; printf "result: mode=%s handshakes=%d seconds=%.3f per_s=%.1f classified=%d\n",
			m, n, s, n / s, c }'
}

bench() {
	local rounds=${QUIRKS_ROUNDS:-5} n=${QUIRKS_HANDSHAKES:-1000} i mode out log r micro
	[ "$(id -u)" = 0 ] || die "quirks needs root (network namespaces)"
	"$top/bench/build-upstream" -q || die "building the upstream plugins failed"
	if [ "$build" = "$top/build/default" ]; then
		"$top/scripts/build" >&2 || die "scripts/build failed"
	fi
	[ -x "$build/bench/quirks_bench" ] || die "no $build/bench/quirks_bench"
	[ -e "$build/.libs/libstrongswan-rw-quirks.so" ] || die "rw-quirks is not built in $build"
	mkdir -p "$work/logs"

	echo "quirks: classification and shaping per IKE_SA (bench/quirks_bench, built-in rules," \
		"samples of tests/samples)"
	micro="$work/logs/quirks-micro.txt"
	"$build/bench/quirks_bench" "$top/tests/samples" "${QUIRKS_SAMPLE_ROUNDS:-20000}" >"$micro" ||
		die "quirks_bench failed: $(tail -n 1 "$micro")"
	sed -n 's/^result: /  /p' "$micro"

	echo "quirks: $n EAP-MSCHAPv2 set-ups per round (load-tester, 4 initiators, curve25519)," \
		"$rounds rounds per mode, alternating; quirks: clients classified apple"
	out="$work/logs/quirks-rows.txt"
	: >"$out"
	printf '%-8s %-6s %10s %12s\n' mode round per_s handshakes
	for i in $(seq "$rounds"); do
		for mode in stock quirks; do
			log="$work/logs/quirks-$mode-$i.log"
			if ! BENCH_BUILD=$build timeout 900 "$top/bench/quirks.sh" round "$mode" "$n" \
				>"$log" 2>&1; then
				echo "bench/quirks: $mode round $i failed: $(tail -n 1 "$log")" >&2
				continue
			fi
			r=$(sed -n 's/^result: //p' "$log")
			printf '%-8s %-6s %10s %12s\n' "$mode" "$i" \
				"$(echo "$r" | sed -n 's/.*per_s=\([0-9.]*\).*/\1/p')" \
				"$(echo "$r" | sed -n 's/.*handshakes=\([0-9]*\).*/\1/p')" | tee -a "$out"
		done
	done
	awk '$1 == "stock" { print $3 }' "$out" | median > "$work/logs/quirks-stock.median"
	awk '$1 == "quirks" { print $3 }' "$out" | median > "$work/logs/quirks-quirks.median"
	awk -v s="$(cat "$work/logs/quirks-stock.median")" \
		-v q="$(cat "$work/logs/quirks-quirks.median")" \
		-v ns="$(sed -n 's/.*ns_per_ike_sa=\([0-9]*\).*/\1/p' "$micro")" 'BEGIN {
		if (s > 0 && q > 0)
			printf "ratio: with rw-quirks / without handshakes/s: %.1f / %.1f = %.3fx " \
				"(target >= 0.98x); classification %.1f us per IKE_SA = %.2f%% of a " \
				"handshake\n", q, s, q / s, ns / 1000, ns / 1e9 * s * 100
		else
			print "ratio: n/a (a mode did not complete)"
	}'
}

case "${1:-}" in
round) round "$2" "$3" ;;
"") bench ;;
*) echo "usage: bench/quirks.sh [round stock|quirks HANDSHAKES]" >&2; exit 2 ;;
esac
