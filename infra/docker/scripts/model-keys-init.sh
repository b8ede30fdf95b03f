#!/bin/sh
# One-shot (compose service model-keys-init): on the first start, creates the model publishers' Ed25519
# key pair, as `npm run setup` does for the local stack (infra/local/lib.sh: ensure_secrets). The private
# key stays in the model-keys volume (mounted by the publishers only); the public key is copied to the
# model-verify-key volume, the only one the API mounts. Later starts leave existing keys alone.
set -eu
private_dir=/var/lib/streamrec/model-keys
public_dir=/var/lib/streamrec/model-verify-key
if [ ! -s "$private_dir/model-signing.pem" ]; then
  umask 077
  node -e 'const { generateKeyPairSync } = require("node:crypto"); const fs = require("node:fs");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(process.argv[1] + "/model-signing.pem", privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(process.argv[1] + "/model-verify.pem", publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644 });' "$private_dir"
  echo "model-keys-init: created the model signing key pair"
else
  echo "model-keys-init: $private_dir/model-signing.pem exists; left as is"
fi
cp "$private_dir/model-verify.pem" "$public_dir/model-verify.pem"
chmod 644 "$public_dir/model-verify.pem"
