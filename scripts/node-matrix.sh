#!/usr/bin/env bash
# Runs a command (default: the README's `npm test`) once on each of the given Node majors, e.g.
#   scripts/node-matrix.sh 22 24 -- npm test
# Node comes from the npm registry (the `node-<os>-<arch>` package: binary and headers), cached in
# $GLASSCHAT_NODE_CACHE. better-sqlite3 is a native addon built for one Node ABI, so each major
# gets its own build (compiled once from the installed sources, cached by ABI) swapped into
# node_modules for its run; the machine's own build is put back afterwards, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

majors=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do majors+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- npm test

cache="${GLASSCHAT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/glasschat-node}"
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
sqlite_version=$(node -p 'require("better-sqlite3/package.json").version')
platform=$(node -p 'process.platform + "-" + process.arch')
mkdir -p "$cache"

saved="$cache/machine-$$.node"
cp "$addon" "$saved"
restore() { cp "$saved" "$addon" && rm -f "$saved"; }
trap restore EXIT

node_home() { # the folder with bin/node and include/node for a major, installed once
  local dir="$cache/node-$1"
  if [ ! -x "$dir/node_modules/node-$platform/bin/node" ]; then
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-$platform@$1" >&2
  fi
  echo "$dir/node_modules/node-$platform"
}

addon_for() { # better-sqlite3 built for this Node's ABI, compiled once
  local home=$1 abi built
  abi=$("$home/bin/node" -p process.versions.modules)
  built="$cache/better-sqlite3-$sqlite_version-$platform-abi$abi.node"
  if [ ! -f "$built" ]; then
    local work
    work=$(mktemp -d)
    cp -r node_modules/better-sqlite3 "$work/"
    rm -rf "$work/better-sqlite3/build"
    echo "compiling better-sqlite3 for Node $("$home/bin/node" --version) (ABI $abi)…" >&2
    if ! (cd "$work/better-sqlite3" && PATH="$home/bin:$PATH" npm_config_nodedir="$home" \
      npm run build-release >"$work/build.log" 2>&1); then
      tail -40 "$work/build.log" >&2
      return 1
    fi
    cp "$work/better-sqlite3/build/Release/better_sqlite3.node" "$built"
    rm -rf "$work"
  fi
  echo "$built"
}

for major in "${majors[@]}"; do
  home=$(node_home "$major")
  built=$(addon_for "$home")
  cp "$built" "$addon"
  started=$(date +%s)
  echo "── Node $("$home/bin/node" --version): $*"
  PATH="$home/bin:$PATH" GLASSCHAT_NODE_MAJOR="$major" "$@"
  echo "── Node $major done in $(($(date +%s) - started)) s"
done
