#!/bin/sh
# One-shot (compose service model-bootstrap, Kubernetes Job model-bootstrap): publishes the hand-weighted bootstrap ranker to
# models.published.v1 unless a ranker is already there, as infra/local/setup.sh does.
set -eu
if node --import tsx jobs/model/src/cli.ts list 2>/dev/null | grep -qE '^\* .* ranker '; then
  echo "model-bootstrap: a ranker is already published"
  exit 0
fi
node --import tsx jobs/model/src/cli.ts bootstrap --name ranker > /dev/null
echo "model-bootstrap: bootstrap ranker published"
