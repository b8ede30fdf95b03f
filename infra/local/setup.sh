#!/usr/bin/env bash
# One command from a fresh clone to a running system: npm dependencies, the five stack components,
# the Debezium connector (waits until RUNNING), and demo data when the shop DB is empty.
#   setup.sh [--no-demo] [--scale small|medium|large]
# Idempotent: run it again any time; it only does what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

demo=1 scale=medium
while (( $# > 0 )); do
  case "$1" in
    --no-demo) demo=0 ;;
    --scale) scale="$2"; shift ;;
    -h|--help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

log "setup finished in $((SECONDS - started))s"
bash "$LOCAL_DIR/stack.sh" status
