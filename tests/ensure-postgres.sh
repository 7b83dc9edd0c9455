#!/usr/bin/env bash
# Installs Debian's PostgreSQL server when it is missing; the tests start their own cluster.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
echo "Installing PostgreSQL (Debian package postgresql)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
# The package starts a system cluster; the tests use their own, so stop it.
(service postgresql stop || pg_ctlcluster --help >/dev/null) >/dev/null 2>&1 || true
