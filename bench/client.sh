#!/usr/bin/env bash
# bench/client.sh — 20 concurrent vs 20 sequential signed calls against a local
# server with 50 ms latency (concurrency through libcurl's multi interface).
set -eu
"$FD_BUILDDIR/tests/client/bench_client" 20 50
