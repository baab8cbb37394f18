#!/usr/bin/env bash
# Sourced by .ci/run: starts the machine's PostgreSQL (Debian's cluster 15/main) when it is
# installed, and creates a superuser role and a database for the tests, which then find the
# server through TEST_DATABASE_URL. Where no cluster exists the variable stays unset and the
# tests that need PostgreSQL serve the same wire protocol from PGlite in-process instead.
if command -v pg_ctlcluster >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  pg_ctlcluster 15 main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q -p 5432" && break
    sleep 1
  done
  su postgres -c "psql -q -p 5432 -v ON_ERROR_STOP=1" <<'SQL' >/dev/null
SELECT 'CREATE ROLE lnb LOGIN SUPERUSER PASSWORD ''lnb'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lnb')\gexec
SELECT 'CREATE DATABASE lnb_test OWNER lnb'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'lnb_test')\gexec
SQL
  export TEST_DATABASE_URL="postgres://lnb:lnb@127.0.0.1:5432/lnb_test"
  echo "PostgreSQL 15 started for the tests: $TEST_DATABASE_URL"
else
  echo "No PostgreSQL cluster on this machine: the PostgreSQL tests run on PGlite in-process"
fi
