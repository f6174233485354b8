#!/usr/bin/env bash
# End-to-end tests against the release build in dist/, served by a plain
# static server that knows nothing of the app, at the root and under a subpath.
set -euo pipefail
cd "$(dirname "$0")"
root=../../target/e2e-site
rm -rf "$root" && mkdir -p "$root/study-lab"
cp -r ../../dist/. "$root/"
cp -r ../../dist/. "$root/study-lab/"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test "$@"
