#!/usr/bin/env bash
# `npm run setup`: makes a fresh machine of this kind ready to run and test Atrium. Installs only
# what is missing (Debian packages, node_modules), then fetches the local stack's servers into
# .cache (Kafka and Cassandra jars with Maven, FerretDB built with Go), so the first `npm start`
# or test run does not have to.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
say() { printf '[setup] %s\n' "$*"; }

# 1. Debian packages. `apt-get update` only when something must actually be installed.
missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# The kiosk UI tests drive Debian's Chromium; the tunnel tests need WireGuard in user space.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Arabic and other scripts the kiosk renders need real fonts in headless Chromium.
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
command -v wg >/dev/null 2>&1 || missing+=(wireguard-tools)
command -v wireguard-go >/dev/null 2>&1 || missing+=(wireguard-go)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    say "missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  # The stack runs its own PostgreSQL in .state/; keep the package from creating and starting a
  # second cluster of its own (only possible before postgresql-common is first installed).
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  fi
  say "installing ${missing[*]} with apt-get"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "system packages present (PostgreSQL server, Java, Maven, Chromium, WireGuard, iproute2)"
fi
command -v go >/dev/null 2>&1 || say "warning: no Go toolchain on PATH; it is needed once, to build FerretDB (install Go 1.22+)" >&2

# 2. node_modules: `npm ci` when missing or out of step with package-lock.json. npm keeps a copy
# of what it installed in node_modules/.package-lock.json; compare versions package by package.
stale=$(node -e '
  const fs = require("fs");
  try {
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    // Optional packages are platform builds that are rightly absent; some packages spell their version "v1.2.3".
    const version = (p) => String(p && p.version).replace(/^v/, "");
    const off = Object.entries(want).filter(([k, v]) => k.startsWith("node_modules/") && !v.optional && !v.peer && (!have[k] || version(have[k]) !== version(v)));
    console.log(off.length ? off[0][0] : "");
  } catch { console.log("node_modules"); }
')
if [[ -n "$stale" ]]; then
  say "node_modules is missing or stale ($stale); running npm ci"
  flock /tmp/atrium-npm.lock npm ci
else
  say "node_modules matches package-lock.json"
fi

# 3. The stack's servers, into .cache (a no-op once cached).
say "prefetching Kafka, Cassandra and FerretDB into .cache"
node_modules/.bin/tsx infra/local/src/cli.ts fetch
say "done"
