#!/usr/bin/env bash
# Install Debian's Redis, PostgreSQL and nginx when missing: the cluster (make run-cluster), its
# tests and its benchmark need them. The one list of those packages; the project starts its own
# instances on loopback, so installing never starts a service (install_debian.sh).
exec "$(dirname "$0")/install_debian.sh" redis-server:redis-server pg_ctlcluster:postgresql nginx:nginx
