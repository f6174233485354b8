#!/usr/bin/env bash
# End-to-end tests against the release build in dist/, served by a plain
# static server that knows nothing of the app, at the root and under a subpath.
set -euo pipefail
cd "$(dirname "$0")"
root=../../target/e2e-site
rm -rf "$root" && mkdir -p "$root/study-lab"
cp -r ../../dist/. "$root/"
cp -r ../../dist/. "$root/study-lab/"
status=0
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PLAYWRIGHT_JSON_OUTPUT_NAME=../../target/e2e-results.json \
  npx playwright test --reporter=list,json "$@" || status=$?
# One plain closing line for CI, whatever the reporter printed above.
node -e '
  const r = require(process.argv[1]).stats;
  console.log(`e2e: ${r.expected} passed, ${r.unexpected + r.flaky} failed, ${r.skipped} skipped`);
' "$(realpath ../../target/e2e-results.json)" || true
exit $status
