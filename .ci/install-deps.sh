#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages the build and tests need. Root installs what is
# missing; anyone else gets the exact apt-get line.
# Usage: install-deps.sh [build|bpf|test|bench|browser|all]
set -eu
what=${1:-all}
base="make gcc pkg-config libzstd-dev libsqlite3-dev libcsv-dev libyaml-dev libxxhash-dev"
bpf="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev linux-libc-dev"
# tests/e2e/servers records real servers under their load generators
test="libcriterion-dev libjansson-dev sqlite3 python3 procps util-linux nginx-light wrk
	redis-server redis-tools"
extra="libmicrohttpd-dev"
# make bench: the perf stat floor and a real server under load
bench="linux-perf nginx-light wrk"
# the HTML report test (tests/e2e/viz) only: a headless browser
browser="chromium"
case "$what" in
build) pkgs="$base $extra" ;;
bpf) pkgs="$bpf" ;;
test) pkgs="$test" ;;
bench) pkgs="$bench" ;;
browser) pkgs="$browser" ;;
all) pkgs="$base $extra $bpf $test" ;;
*) echo "usage: $0 [build|bpf|test|bench|browser|all]" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
# make -j runs several of these at once: one apt at a time (the others then
# find their packages installed), and apt itself waits for a busy dpkg lock.
if [ -z "${EBT_DEPS_LOCKED:-}" ] && command -v flock >/dev/null 2>&1; then
	EBT_DEPS_LOCKED=1 exec flock /var/lock/ebt-install-deps.lock sh "$0" "$what"
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/update-success-stamp
if [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] \
	|| ! apt-get install -o DPkg::Lock::Timeout=300 -y --no-install-recommends $missing \
		>/dev/null 2>&1; then
	apt-get update -o DPkg::Lock::Timeout=300 -qq >&2
	apt-get install -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends $missing >&2
fi
: "$stamp"
