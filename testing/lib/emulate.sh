# Emulated devices for scenarios: sourced after testbed.sh.
#
# An emulated client is a strongSwan client charon with the test-only rw-emulate
# plugin and a device profile (testing/profiles/NAME.conf): it sends the device's
# IKE_SA_INIT and IKE_AUTH (notifies and their order, vendor IDs, CERTREQ or not,
# IDr or not, configuration request attributes), its proposals and identity type, and
# models the device's documented failures. Every configuration reply attribute it
# receives is logged as
#   rw-emulate: received INTERNAL_DNS_DOMAIN (25) corp.example
# (tb_emu_received prints them).
#
# The gateway's certificate is installed on emulated clients, so a client that gets
# no certificate fails only when its profile models that failure (failures.without_cert),
# never because charon itself lacks the key.

TB_PROFILES=${TB_PROFILES:-$TB_TOP/testing/profiles}
# cmac, ctr and xcbc for the Android native proposals; rw-emulate is critical (!):
# charon does not start with a profile that does not load, rather than silently
# sending its own messages
TB_EMU_PLUGINS="$TB_CLIENT_PLUGINS ctr cmac xcbc rw-emulate!"

# tb_emu_profile PROFILE: path of a profile given by name or path
tb_emu_profile() {
	case "$1" in
	*/*) echo "$1" ;;
	*) echo "$TB_PROFILES/$1.conf" ;;
	esac
}

# tb_emu_get PROFILE KEY [DEFAULT]: value of a top-level KEY of a profile
tb_emu_get() {
	local file value
	file=$(tb_emu_profile "$1")
	[ -r "$file" ] || tb_die "no profile $file"
	value=$(awk -v key="$2" '
		/^[ \t]*#/ { next }
		/\{/ { depth++ }
		/\}/ { depth--; next }
		depth == 0 {
			line = $0
			sub(/^[ \t]+/, "", line)
			if (index(line, key) == 1) {
				rest = substr(line, length(key) + 1)
				if (rest ~ /^[ \t]*=/) {
					sub(/^[ \t]*=[ \t]*/, "", rest)
					sub(/[ \t]+$/, "", rest)
					print rest
					exit
				}
			}
		}' "$file")
	echo "${value:-${3:-}}"
}

# tb_emulated_client HOST PROFILE USER PASSWORD ["EXTRA CHARON OPTIONS"]: like
# tb_client_setup (connection "home", EAP-MSCHAPv2) as the device of PROFILE.
# TB_EMU_IPV6=yes asks for an IPv6 virtual IP too (vips = 0.0.0.0, ::) on profiles
# with ipv6 = yes; TB_EMU_REMOTE_TS overrides the profile's remote_ts.
tb_emulated_client() {
	local host=$1 profile=$2 user=$3 password=$4 extra=${5:-} file d vips id ts
	file=$(tb_emu_profile "$profile")
	[ -r "$file" ] || tb_die "no profile $file"
	tb_require_plugins rw-emulate
	d=$(tb_swanctl_dir "$host")
	cp "$TB_DIR/pki/ca.pem" "$d/x509ca/"
	cp "$TB_DIR/pki/$TB_GW_ID.pem" "$d/x509/"
	tb_strongswan_conf "$host" "$(echo $TB_EMU_PLUGINS)" "
    plugins {
        rw-emulate {
            profile = $file
        }
    }
$extra"
	vips=0.0.0.0
	if [ "${TB_EMU_IPV6:-no}" = yes ] && [ "$(tb_emu_get "$file" ipv6 no)" = yes ]; then
		vips="0.0.0.0, ::"
	fi
	case "$(tb_emu_get "$file" local_id user)" in
	address) id="" ;;	# charon's default: the local IP address
	user) id="id = $user" ;;
	*) tb_die "profile $file: local_id must be 'address' or 'user'" ;;
	esac
	ts=${TB_EMU_REMOTE_TS:-$(tb_emu_get "$file" remote_ts 198.51.100.0/24)}
	cat > "$d/swanctl.conf" <<-EOF
	connections {
	    home {
	        version = 2
	        remote_addrs = 192.0.2.1
	        vips = $vips
	        proposals = $(tb_emu_get "$file" ike_proposals default)
	        local {
	            auth = eap-mschapv2
	            eap_id = $user
	            $id
	        }
	        remote {
	            auth = pubkey
	            id = $TB_GW_ID
	        }
	        children {
	            home {
	                remote_ts = $ts
	                esp_proposals = $(tb_emu_get "$file" esp_proposals default)
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

# tb_emu_received HOST: the configuration reply attributes HOST received, one
# "NAME (TYPE) VALUE" line each, in order
tb_emu_received() {
	sed -n 's/.*rw-emulate: received //p' "$TB_DIR/$1/charon.log"
}

# tb_emu_received_has HOST REGEX: HOST received an attribute matching REGEX
# (matched against "NAME (TYPE) VALUE")
tb_emu_received_has() {
	tb_emu_received "$1" | grep -Eq -- "$2"
}

# tb_emu_parsed HOST EXCHANGE: payload lists of the requests HOST parsed in
# EXCHANGE (IKE_SA_INIT, IKE_AUTH), e.g. "SA KE No N(NATD_S_IP) N(NATD_D_IP)"
tb_emu_parsed() {
	sed -n "s/.*parsed $2 request [0-9]* \[ \(.*\) \]\$/\1/p" "$TB_DIR/$1/charon.log"
}

# tb_emu_parsed_is HOST EXCHANGE LAYOUT: HOST parsed a request of EXCHANGE with
# exactly the payloads LAYOUT
tb_emu_parsed_is() {
	tb_emu_parsed "$1" "$2" | grep -qxF -- "$3"
}

# tb_emu_fingerprint GW PROFILE: the gateway parsed the profile's IKE_SA_INIT and
# IKE_AUTH layouts verbatim
tb_emu_fingerprint() {
	tb_emu_parsed_is "$1" IKE_SA_INIT "$(tb_emu_get "$2" ike_sa_init)" &&
		tb_emu_parsed_is "$1" IKE_AUTH "$(tb_emu_get "$2" ike_auth)"
}

# tb_emu_gw_conn "LINES": add LINES to the gateway's connection "rw" (after
# tb_gateway_setup, before loading), e.g. "dpd_delay = 2s"
tb_emu_gw_conn() {
	local f="$TB_DIR/gw/swanctl/swanctl.conf" tmp
	tmp=$(mktemp "$TB_DIR/gw/swanctl.XXXXXX")
	awk -v lines="$1" '
		{ print }
		/^[ \t]*rw \{/ && !done { n = split(lines, l, "\n"); for (i = 1; i <= n; i++) print "        " l[i]; done = 1 }
	' "$f" > "$tmp" && cat "$tmp" > "$f"
	rm -f "$tmp"
}

# tb_emu_gw_set KEY VALUE: replace a "KEY = ..." line of the gateway's swanctl.conf
# (e.g. send_cert always, local_ts "198.51.100.0/24, 2001:db8:100::/64")
tb_emu_gw_set() {
	local f="$TB_DIR/gw/swanctl/swanctl.conf"
	grep -Eq "^[[:space:]]*$1 = " "$f" || tb_die "gateway swanctl.conf has no '$1'"
	sed -i -E "s|^([[:space:]]*$1 = ).*|\\1$2|" "$f"
}

# tb_emu_sa HOST: HOST's IKE_SAs and CHILD_SAs as swanctl lists them
tb_emu_sa() {
	tb_swanctl "$1" --list-sas 2>/dev/null
}

# tb_emu_ike_proposal HOST: the IKE proposal HOST's charon selected last
tb_emu_ike_proposal() {
	sed -n 's/.*selected proposal: IKE:\(.*\)$/\1/p' "$TB_DIR/$1/charon.log" | tail -n 1
}

# tb_emu_cert_sent GW: the gateway sent its certificate (in any IKE_SA so far)
tb_emu_cert_sent() {
	grep -q "sending end entity cert" "$TB_DIR/$1/charon.log"
}

# tb_emu_sent HOST EXCHANGE: payload lists of the requests HOST generated in EXCHANGE
tb_emu_sent() {
	sed -n "s/.*generating $2 request [0-9]* \[ \(.*\) \]\$/\1/p" "$TB_DIR/$1/charon.log"
}

# tb_emu_requests_attr HOST NAME: HOST's first IKE_AUTH request asked for the
# configuration attribute NAME (charon's short name: DOMAIN for 25, NBNS ...)
tb_emu_requests_attr() {
	tb_emu_sent "$1" IKE_AUTH | head -n 1 | grep -Eq -- "CPRQ\\(([^)]* )?$2( [^)]*)?\\)"
}

# tb_emu_variant PROFILE FAILURE yes|no: path of a copy of PROFILE with one failure
# model switched (failures.FAILURE), named PROFILE-FAILURE-VALUE, for control runs
tb_emu_variant() {
	local src dst name
	src=$(tb_emu_profile "$1")
	name="$(basename "$src" .conf)-$2-$3"
	mkdir -p "$TB_DIR/profiles"
	dst="$TB_DIR/profiles/$name.conf"
	grep -Eq "^[[:space:]]*$2 = " "$src" || tb_die "profile $src has no failure model '$2'"
	sed -E -e "s/^([[:space:]]*$2 = ).*/\\1$3/" -e "s/^name = .*/name = $name/" "$src" > "$dst"
	echo "$dst"
}

# tb_emu_gw_pool6 SUBNET: give the gateway's connection "rw" an IPv6 pool "pool6"
# besides pool4 (after tb_gateway_setup, before loading)
tb_emu_gw_pool6() {
	local f="$TB_DIR/gw/swanctl/swanctl.conf"
	tb_emu_gw_set pools "pool4, pool6"
	sed -i "s|^pools {|pools {\\n    pool6 {\\n        addrs = $1\\n    }|" "$f"
}
