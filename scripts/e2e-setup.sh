#!/usr/bin/env bash
# Installs what the end-to-end tests (test/extension/e2e.test.ts) need: a real VS Code (code-server
# from npm, since no VS Code download is reachable here) and a browser to drive it (Debian's
# Chromium through playwright-core). Idempotent: every step checks whether it is already done, so CI
# can call it on every run and a second call costs seconds.
#
# code-server lives in .tools/code-server (gitignored), outside the repo's own dependency tree:
# its ~1 GB of dependencies must never enter package-lock.json. 4.100.3 is the last release whose
# engine is Node 20. Its install scripts download prebuilt binaries, which cannot be fetched here,
# so we install with --ignore-scripts and rebuild the few native modules from source instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tools="$root/.tools/code-server"
version="4.100.3"
log() { printf '[e2e-setup] %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
# node-gyp rebuilds the native modules below from source.
{ command -v make && command -v g++; } >/dev/null 2>&1 || need_apt+=(build-essential)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

mkdir -p "$tools"
cd "$tools"
[ -f package.json ] || printf '{ "name": "wasmscope-e2e-tools", "private": true }\n' > package.json
cs="$tools/node_modules/code-server"
if [ "$(node -p "try { require('$cs/package.json').version } catch { '' }")" != "$version" ]; then
  log "npm install code-server@$version"
  npm install --ignore-scripts --no-audit --no-fund "code-server@$version" >/dev/null
fi

vs="$cs/lib/vscode"
# Each step leaves a marker file so a rerun skips it; a failed step leaves none and is redone.
step() { # step NAME COMMAND...
  local marker="$tools/.done-$1"; shift
  [ -f "$marker" ] && return 0
  log "$1 ..."
  "$@"
  touch "$marker"
}
vscode_deps() { (cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null); }
# node-pty's post-install runs `npx node-gyp`, which otherwise stops to ask before fetching it.
vscode_native() { (cd "$vs" && npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog >/dev/null); }
vscode_links() {
  mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
  # VS Code resolves some modules through node_modules.asar; code-server ships none.
  [ -e "$vs/node_modules.asar" ] || ln -s node_modules "$vs/node_modules.asar"
}
builtin_extension_deps() { (cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null); }
top_native() { (cd "$tools" && npm rebuild argon2 >/dev/null); }
step "$version-vscode-deps" vscode_deps
step "$version-vscode-native" vscode_native
vscode_links
step "$version-extension-deps" builtin_extension_deps
step "$version-argon2" top_native

node "$cs/out/node/entry.js" --version >/dev/null
log "ready: $cs/out/node/entry.js ($(node "$cs/out/node/entry.js" --version | head -1)), chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
