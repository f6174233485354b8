#!/usr/bin/env bash
# The release build: dist/ holds index.html (the app: every route, one
# document), its wasm, and lab.html (a tiny page that forwards the old Lab
# address, lab.html#/…, to ./#/…).
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release
# Last, once every file is final: the CSP (hashes of the inline scripts) and
# this release's service worker (its file list and their hashes).
node scripts/finish-dist.mjs dist
echo "dist/ is ready: serve it from any static file server."
