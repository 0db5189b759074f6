# Shared by the benchmark scripts (sourced): bench/run, bench/auth.sh, bench/quirks.sh.

# median of numbers on stdin
median() {
	sort -n | awk '{ v[n++] = $1 } END { if (n) print (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2 }'
}

# lt_run HANDSHAKES ID_FORMAT PASSWORD ["EXTRA CHARON OPTIONS"]: upstream's load-tester
# (bench/build-upstream) as host c1 of a test bed whose gateway runs: 4 initiators,
# curve25519, EAP-MSCHAPv2 as ID_FORMAT (lt%d ...), a virtual IP and a CHILD_SA, each
# deleted once up. Returns when all HANDSHAKES set-ups completed; sets lt_log (the
# client's log), lt_done (IKE_SAs established), lt_children (CHILD_SAs established) and
# lt_first, lt_last (time of the first initiation and of the last CHILD_SA, in seconds).
# Needs TB_LOG_TIME=%s TB_LOG_MS=yes TB_LOG_IKE=1 before tb_init.
lt_run() {
	local handshakes=$1 id=$2 password=$3 extra=${4:-}
	[ -e "$TB_TOP/build/bench/plugins/libstrongswan-load-tester.so" ] ||
		tb_die "load-tester not built: run bench/build-upstream"
	tb_swanctl_dir c1 >/dev/null
	mkdir -p "$TB_DIR/c1/cas"
	cp "$TB_DIR/pki/ca.pem" "$TB_DIR/c1/cas/"
	# load-tester first: its fake kernel interface must be the one registered, or the
	# client's CHILD_SAs fail on this kernel (kernel-netlink's would win)
	tb_strongswan_conf c1 "random nonce openssl kdf pem pkcs1 x509 revocation constraints \
pubkey socket-default load-tester kernel-netlink vici eap-identity eap-mschapv2" "$extra
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
            initiator_id = $id
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
	lt_log="$TB_DIR/c1/charon.log"
	# done when every set-up completed (the client's own shutdown is not waited for:
	# with many initiator threads it can hang, which is not what is measured)
	tb_wait 600 lt_complete "$handshakes" ||
		tb_die "load-tester did not complete $handshakes set-ups in 600 s:" \
			"$(lt_count_children) done"
	lt_done=$(grep -c "IKE_SA load-test\[[0-9]*\] established" "$lt_log")
	lt_children=$(lt_count_children)
	lt_first=$(grep -m1 "initiating IKE_SA" "$lt_log" | awk '{print $1}')
	lt_last=$(grep "CHILD_SA load-test{[0-9]*} established" "$lt_log" | tail -n 1 |
		awk '{print $1}')
	[ "$lt_done" -gt 0 ] && [ -n "$lt_first" ] && [ -n "$lt_last" ] ||
		tb_die "no handshake completed ($lt_done); see $lt_log"
}

lt_count_children() {
	grep -c "CHILD_SA load-test{[0-9]*} established" "$lt_log"
}

lt_complete() {
	[ "$(lt_count_children)" -ge "$1" ]
}
