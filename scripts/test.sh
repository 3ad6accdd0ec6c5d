#!/usr/bin/env bash
# Install kith with its test tools, then run the whole suite: lint, types, tests.
# PostgreSQL cases run when KITH_TEST_POSTGRES_URL is set, or when a server answers on
# 127.0.0.1:5432 (trust auth, database "test"); otherwise they skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."

PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

if [ -z "${KITH_TEST_POSTGRES_URL:-}" ]; then
  candidate="postgresql+psycopg://postgres@127.0.0.1:5432/test"
  if python3 - "$candidate" <<'PY' 2>/dev/null
import sys
import psycopg
psycopg.connect(sys.argv[1].replace("+psycopg", ""), connect_timeout=2).close()
PY
  then
    export KITH_TEST_POSTGRES_URL="$candidate"
  fi
fi
echo "PostgreSQL for tests: ${KITH_TEST_POSTGRES_URL:-none (those cases will skip)}"

python3 -m ruff check src tests benchmarks
python3 -m mypy
lint-imports  # the layers of docs/architecture.md (contracts in pyproject.toml)
python3 -m pytest "$@"
