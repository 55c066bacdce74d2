# The two set-up commands of the README: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

.PHONY: serve test lint bench bench-peer install

# The server's own dependencies only (what `pip install idplane` brings).
$(RUNTIME_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME_STAMP)

# Plus the `test` extra: the official SDKs, pytest, ruff, build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP)

# Installs into .venv and serves on SQLite (bootstraps an admin account on an empty store).
serve: $(RUNTIME_STAMP)
	$(BIN)/idplane serve

# Installs into .venv and runs the whole suite on SQLite and on PostgreSQL.
test: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/mypy

# Runs the first workloads against a server that is already serving (`make serve` in another
# terminal; on PostgreSQL export the same IDPLANE_DATABASE_URL to both). See docs/benchmarks.md.
BENCH_URL ?= http://127.0.0.1:8080
BENCH_N ?= 2000
BENCH_CLIENTS ?= 4
BENCH_WORKLOADS ?= iam.auth_domains,iam.token_validate,iam.token_issue
BENCH_PASSWORD ?= Bench-Passw0rd-1

bench: $(STAMP)
	$(BIN)/idplane bootstrap --account-name idplane-bench --password '$(BENCH_PASSWORD)' >/dev/null
	$(BIN)/idplane credentials create --account idplane-bench --json \
	| $(BIN)/python -m bench --url $(BENCH_URL) --credentials-json - --local-store \
	    --password '$(BENCH_PASSWORD)' --workload $(BENCH_WORKLOADS) --clients $(BENCH_CLIENTS) --n $(BENCH_N)

# idplane beside moto_server and a signed floor route, in one interleaved run; starts every
# server itself (fresh store). BENCH_PEER_STORE=postgresql uses a new database on the local
# PostgreSQL (IDPLANE_TEST_PG_URL). See docs/benchmarks.md "idplane beside moto".
BENCH_PEER_N ?= 300
BENCH_PEER_CLIENTS ?= 1,8
BENCH_PEER_STORE ?= sqlite

bench-peer: $(STAMP)
	$(BIN)/python -m bench.peer --n $(BENCH_PEER_N) --clients $(BENCH_PEER_CLIENTS) \
	    --store $(BENCH_PEER_STORE)
