#!/usr/bin/env bash
# One command from a fresh clone to a running system: npm dependencies, the trainer's Python environment,
# the stack's components, the Debezium connector (waits until RUNNING), demo data when the shop DB is
# empty, then the system itself (the stream processors, caught up, the API, the retraining and
# data-quality loops) in the background; ends with a working curl line and the addresses.
#   setup.sh [--no-demo] [--no-system] [--scale small|medium|large]
# Idempotent: run it again any time; it only does what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

demo=1 system=1 scale=medium
while (( $# > 0 )); do
  case "$1" in
    --no-demo) demo=0 ;;
    --no-system) system=0 ;;
    --scale) scale="$2"; shift ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done

started=$SECONDS
cd "$REPO_ROOT"

# npm ci only when the lockfile changed since the last install.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f node_modules/.streamrec-lock.sha256 || "$(cat node_modules/.streamrec-lock.sha256)" != "$lock_hash" ]]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.streamrec-lock.sha256
fi

# The trainer's Python environment (.stack/venv, used by `npm run retrain` and the tests): rebuilt from
# the hash-locked requirements only when requirements.lock changed (a stamp, like npm ci above), and the
# streamrec_trainer package reinstalled only when its sources changed. Stamps are written after success.
trainer_dir="$REPO_ROOT/jobs/retrain/python"
venv="$STACK_DIR/venv"
ensure_dirs
python_311() {
  local candidate
  for candidate in "${STREAMREC_PYTHON:-}" python3.11 python3; do
    [[ -n "$candidate" ]] && command -v "$candidate" > /dev/null || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2> /dev/null; then command -v "$candidate"; return 0; fi
  done
  return 1
}
venv_lock="$(sha256sum "$trainer_dir/requirements.lock" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.streamrec-lock.sha256" 2> /dev/null)" != "$venv_lock" ]]; then
  python="$(python_311)" || die "the trainer needs Python 3.11 (jobs/retrain/python): install python3.11 and its venv module (Debian 12: apt-get install python3 python3-venv), or set STREAMREC_PYTHON"
  log "creating the trainer's Python environment $venv from jobs/retrain/python/requirements.lock"
  rm -rf "$venv"
  "$python" -m venv "$venv" > "$LOG_DIR/venv.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/venv.log" >&2; die "python -m venv failed (Debian: apt-get install python3-venv)"; }
  "$venv/bin/pip" install --disable-pip-version-check --require-hashes --no-deps -r "$trainer_dir/requirements.lock" >> "$LOG_DIR/venv.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/venv.log" >&2; die "pip could not install jobs/retrain/python/requirements.lock (full log: $LOG_DIR/venv.log)"; }
  echo "$venv_lock" > "$venv/.streamrec-lock.sha256"
fi
# Test tools in small environments of their own, each from a hash-locked list and rebuilt only when the
# lock changed; their commands are linked into .stack/bin:
#   kubernetes-validate (with the Kubernetes schemas) for infra/k8s/manifests.test.ts;
#   schemathesis (st), the OpenAPI contract fuzzer of test/integration/api-contract.test.ts.
tool_venv() {
  local name="$1" lock="$2" command="$3" dir="$STACK_DIR/$1" hash python
  hash="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [[ ! -x "$dir/bin/$command" || "$(cat "$dir/.streamrec-lock.sha256" 2> /dev/null)" != "$hash" ]]; then
    python="$(python_311)" || die "$command needs Python 3.11 (see above)"
    log "installing $command into $dir from ${lock#"$REPO_ROOT"/}"
    rm -rf "$dir"
    { "$python" -m venv "$dir" && "$dir/bin/pip" install --disable-pip-version-check --require-hashes --no-deps -r "$lock"; } > "$LOG_DIR/$name.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/$name.log" >&2; die "pip could not install ${lock#"$REPO_ROOT"/} (full log: $LOG_DIR/$name.log)"; }
    echo "$hash" > "$dir/.streamrec-lock.sha256"
  fi
  mkdir -p "$STACK_DIR/bin"
  ln -sf "$dir/bin/$command" "$STACK_DIR/bin/$command"
}
tool_venv tools-venv "$REPO_ROOT/infra/k8s/tools/python/requirements.lock" kubernetes-validate
tool_venv contract-venv "$REPO_ROOT/test/contract/requirements.lock" st

trainer_sources="$(cd "$trainer_dir" && find pyproject.toml src -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$venv/.streamrec-package.sha256" 2> /dev/null)" != "$trainer_sources" ]]; then
  log "installing streamrec_trainer (jobs/retrain/python) into $venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$trainer_dir" >> "$LOG_DIR/venv.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/venv.log" >&2; die "pip could not install jobs/retrain/python (full log: $LOG_DIR/venv.log)"; }
  echo "$trainer_sources" > "$venv/.streamrec-package.sha256"
fi

bash "$LOCAL_DIR/stack.sh" up
ensure_secrets

log "creating project topics"
npx --no-install tsx infra/topics/src/cli.ts apply

log "registering Debezium connectors"
npx --no-install tsx connectors/src/cli.ts apply

# A development API key (read, events, admin): only its sha256 goes into .stack/api-keys.yaml; the key
# itself is kept in .stack/secrets.env as STREAMREC_API_KEY_DEV for local use.
if [[ ! -s "$STACK_DIR/api-keys.yaml" ]]; then
  log "creating the development API key"
  dev_key="$(npx --no-install tsx services/api/src/keys-cli.ts create --id dev --scopes read,events,admin --file "$STACK_DIR/api-keys.yaml" | head -1)"
  ( umask 077; sed -i '/^STREAMREC_API_KEY_DEV=/d' "$STACK_DIR/secrets.env"; echo "STREAMREC_API_KEY_DEV=$dev_key" >> "$STACK_DIR/secrets.env" )
fi

# Until the training job publishes a trained ranker, the API serves a hand-weighted bootstrap one.
if ! npx --no-install tsx jobs/model/src/cli.ts list 2>/dev/null | grep -qE '^\* .* ranker '; then
  log "publishing the bootstrap ranker to models.published.v1"
  npx --no-install tsx jobs/model/src/cli.ts bootstrap --name ranker > /dev/null
fi

if (( demo == 1 )); then
  source "$LOCAL_DIR/components/mariadb.sh"
  rows="$(mariadb_client -N -e 'SELECT COUNT(*) FROM shop.datasets' 2>/dev/null || echo 0)"
  if [[ "$rows" == 0 ]]; then
    log "loading demo data (scale $scale)"
    npx --no-install tsx jobs/demo-data/src/cli.ts bulk --seed 42 --scale "$scale" > "$LOG_DIR/demo-bulk.json"
    log "demo data written; per-table counts in $LOG_DIR/demo-bulk.json"
  else
    log "shop.datasets already has $rows rows; demo data left as is"
  fi
fi

if (( system == 1 )); then
  bash "$LOCAL_DIR/system.sh" up
fi

log "setup finished in $((SECONDS - started))s"
if (( system == 1 )); then
  bash "$LOCAL_DIR/system.sh" status || true
  user="$(source "$LOCAL_DIR/components/mariadb.sh"; mariadb_client -N -e 'SELECT MIN(id) FROM shop.users' 2>/dev/null || true)"
  [[ -z $user || $user == NULL ]] && user=1
  cat >&2 <<USAGE

The system is running. Ask it for recommendations (the development key is in .stack/secrets.env):
  source .stack/secrets.env
  curl -s -H "X-API-Key: \$STREAMREC_API_KEY_DEV" 'http://127.0.0.1:${STREAMREC_API_PORT:-18080}/v1/recommendations?user_id=${user}&limit=5'

  API docs        http://127.0.0.1:${STREAMREC_API_OPS_PORT:-18081}/docs (operations listener: also /readyz, /metrics, /admin)
  Prometheus      http://127.0.0.1:${STREAMREC_PROMETHEUS_PORT:-19090}
  Alertmanager    http://127.0.0.1:${STREAMREC_ALERTMANAGER_PORT:-19094}
  status / stop   npm run status / npm run down
USAGE
else
  bash "$LOCAL_DIR/stack.sh" status
fi
