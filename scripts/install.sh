#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already
# present at the right version. Every tool comes from a package registry:
# nothing is downloaded from anywhere else, and Trunk runs offline.
#
#   scripts/install.sh build   # wasm target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/install.sh test    # build + chromium, chromedriver, Playwright
#   scripts/install.sh audit   # test + a Java runtime, Lighthouse, the Nu checker (make audit)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than this toolchain
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (takes 10-20 minutes on 2 cores, once)"
    cargo install trunk --version "=$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
     ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: the registry lacks one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
  fi
}

# npm ci only when the lockfile changed since the last install. Extra
# arguments go to npm ci.
ensure_npm() {
  local dir=$1
  shift
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock.json"; then
    say "installing node packages in $dir"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund "$@")
    cp "$dir/package-lock.json" "$dir/node_modules/.installed-lock.json"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
}

# The Nu HTML checker (vnu.jar) runs on Java.
ensure_java() {
  if ! command -v java >/dev/null; then
    say "installing Debian's Java runtime (for the Nu HTML checker)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless
  fi
}

build() {
  ensure_wasm_target
  ensure_npm tools          # wasm-opt from binaryen (Debian's is too old)
  ensure_trunk
  ensure_wasm_bindgen
}

case "${1:-test}" in
  build) build ;;
  test) build; ensure_chromium; ensure_npm tests/e2e ;;
  # --ignore-scripts: vnu-jar's install script would download a Java runtime.
  audit) build; ensure_chromium; ensure_java; ensure_npm tests/audit --ignore-scripts ;;
  *) echo "usage: $0 build|test|audit" >&2; exit 2 ;;
esac
