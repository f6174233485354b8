#!/usr/bin/env bash
# The release build: dist/ holds index.html (the study app) and lab.html (the
# Lab, with the simulator in a wasm of its own). Trunk builds one HTML page per
# run, so the Lab is built aside and merged in; asset names carry content
# hashes, so shared files (stylesheet, icons) are identical and never clash.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build lab.html --release --dist target/dist-lab
trunk build --release
for f in target/dist-lab/*; do
  case "$(basename "$f")" in
    index.html) cp "$f" dist/lab.html ;;
    *) cp -n "$f" dist/ ;;
  esac
done
# Last, once every file is final: the CSP (hashes of the inline scripts) and
# this release's service worker (its file list and their hashes).
node scripts/finish-dist.mjs dist
echo "dist/ is ready: serve it from any static file server."
