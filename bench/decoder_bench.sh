#!/usr/bin/env bash
# Times the XML-RPC decoder against Python's xmlrpc.client.loads on the same ~20 MB search_read
# body (release build, best of 3 each) and prints one line:
#   decoder: 2.4x python xmlrpc.client (48 MB/s vs 20 MB/s)
# With ODOO_ETL_BENCH_REPORT=path, that line also replaces the "decoder: " line of that file.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
ODOO_ETL_BENCH=1 swift test -c release --skip-build \
  --filter 'XMLRPCTests.DecoderBenchmarkReportTests/testDecoderBenchmarkReport' 2>&1 \
  | grep -E '^decoder|error|failed'
