#!/usr/bin/env bash
# Fuzzes the XML-RPC response decoder with libFuzzer and AddressSanitizer.
#
#   fuzz/run.sh [runs]      runs defaults to 1000000
#
# The decoder's sources are compiled straight with swiftc into .build-fuzz/ (Package.swift has no
# sanitizer settings to carry). Seeds: fuzz/corpus/xmlrpc (small real Odoo 18/19 answers and two
# hand-written ones). Inputs libFuzzer finds interesting go to .build-fuzz/corpus/xmlrpc, crashes,
# hangs (-timeout) and leaks to .build-fuzz/artifacts/. Exit status: libFuzzer's, 0 when nothing
# was found.
set -euo pipefail

runs="${1:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
binary="$out/xmlrpc_decoder"
mkdir -p "$out/corpus/xmlrpc" "$out/artifacts"

echo "fuzz: building $binary"
swiftc -parse-as-library -sanitize=fuzzer,address -O -use-ld=lld -module-name XMLRPCFuzz \
    "$root/fuzz/xmlrpc_decoder.swift" "$root"/Sources/XMLRPC/*.swift -o "$binary"

# -timeout: an input taking longer than 10 s is reported as a hang (a finding, like a crash).
# -max_len: 64 KB leaves room for deep nesting and long scalars; the big fields_get captures
#           stay out of the seeds because they only slow each run.
# -rss_limit_mb: a body that makes the decoder allocate without bound is a finding too.
# -detect_leaks: off unless FUZZ_DETECT_LEAKS=1. Foundation leaks 72 bytes on every libxml2 error
#           (suppressed in fuzz/lsan.supp), and libFuzzer answers each such input with a full leak
#           scan, which cuts the rate from about 3,500 to about 450 inputs a second.
echo "fuzz: XML-RPC decoder, $runs inputs"
start=$(date +%s)
log="$out/xmlrpc_decoder.log"
status=0
LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0" "$binary" "$out/corpus/xmlrpc" "$root/fuzz/corpus/xmlrpc" \
    -dict="$root/fuzz/xmlrpc.dict" \
    -runs="$runs" -timeout=10 -max_len=65536 -rss_limit_mb=2048 -detect_leaks="${FUZZ_DETECT_LEAKS:-0}" \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 2>&1 | tee "$log" || status=$?
executed=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
slowest=$(grep -o 'slowest_unit_time_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
found=""
[ "$status" = 0 ] || found=" (the input is in $out/artifacts/)"
echo "fuzz: XML-RPC decoder: $executed inputs in $(( $(date +%s) - start )) s, slowest input ${slowest} s, exit status $status$found"
exit "$status"
