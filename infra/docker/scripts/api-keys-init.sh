#!/bin/sh
# One-shot (compose service api-keys-init): on the first start, creates a development API key
# (scopes read, events, admin) in the api-keys volume, as `npm run setup` does for the local stack.
# api-keys.yaml keeps only the key's sha256; the key itself is written once to dev.key (mode 600)
# in the same volume and printed nowhere. Later starts leave an existing keys file alone; add keys
# with `docker compose run --rm --entrypoint node api-keys-init --import tsx
# services/api/src/keys-cli.ts create --id ID --scopes read --file /var/lib/streamrec/keys/api-keys.yaml`.
set -eu
dir=/var/lib/streamrec/keys
keys="$dir/api-keys.yaml"
if [ -s "$keys" ]; then
  echo "api-keys-init: $keys exists; left as is"
  exit 0
fi
umask 077
key="$(node --import tsx services/api/src/keys-cli.ts create --id dev --scopes read,events,admin --file "$keys" | head -n 1)"
printf '%s\n' "$key" > "$dir/dev.key"
echo "api-keys-init: created key 'dev'; read it with: docker compose exec api cat $dir/dev.key"
