#!/usr/bin/env bash
# bench/sigv4.sh — SigV4 signatures per second, flightdeck vs botocore, same requests.
#
# Requests: 1000 as flightdeck's client sends them (query, rest-xml, rest-json,
# json 1.0; one session's credentials with a token; two regions) and 1200 random
# ones from the differential test (new credentials, date, region each time, so
# no signing key is reused). flightdeck: tests/sigv4/sign_stream --bench (a C
# loop over sigv4_sign); botocore: SigV4Auth.add_auth in a python loop
# (/usr/bin/python3, python3-botocore). Runs alternate; medians of 5.
set -u
: "${FD_SRCDIR:?}" "${FD_BUILDDIR:?}"
gen="$FD_SRCDIR/tests/sigv4/botocore_diff.py"
signer="$FD_BUILDDIR/tests/sigv4/sign_stream"
[ -x "$signer" ] || { echo "bench/sigv4.sh: $signer not built" >&2; exit 1; }
/usr/bin/python3 -c 'import botocore' 2>/dev/null || { echo "bench/sigv4.sh: python3-botocore missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rate "COUNT SECONDS" -> signatures per second
rate() { awk '{ printf "%.0f\n", $1 / $2 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# bench NAME STREAM C_ROUNDS PY_ROUNDS KIND COUNT (the python side regenerates the same requests)
bench() {
	local name=$1 stream=$2 cr=$3 pr=$4 kind=$5 count=$6 i
	: >"$tmp/fd" ; : >"$tmp/bc"
	for i in 1 2 3 4 5; do
		"$signer" --bench "$cr" <"$stream" | rate >>"$tmp/fd"
		/usr/bin/python3 "$gen" --bench "$kind" "$count" 20150830 "$pr" | rate >>"$tmp/bc"
	done
	fd=$(median <"$tmp/fd"); bc=$(median <"$tmp/bc")
	ratio=$(awk -v a="$fd" -v b="$bc" 'BEGIN { printf "%.1f", a / b }')
	printf 'signing: signatures/s (flightdeck%s)\t%s\tmedian of 5\n' "$name" "$fd"
	printf 'signing: signatures/s (botocore%s)\t%s\tbotocore %s\n' "$name" "$bc" \
		"$(/usr/bin/python3 -c 'import botocore; print(botocore.__version__)')"
	printf 'signing: flightdeck vs botocore%s\t%s\t%sx botocore\n' "$name" "$ratio" "$ratio"
}

/usr/bin/python3 "$gen" --emit-client "$tmp/client.stream" 1000 20150830
/usr/bin/python3 "$gen" --emit "$tmp/random.stream" 1200 20150830
bench "" "$tmp/client.stream" 200 3 client 1000
bench ", random requests, no key reuse" "$tmp/random.stream" 20 2 random 1200
