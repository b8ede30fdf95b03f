import { runProcess } from '@streamrec/foundation/process';
import { environmentVariables, loadApiConfig } from './config.js';
import { startApi } from './wiring/start-api.js';

runProcess({
  name: 'api',
  usage: `Usage: npm run api [-- --help]

Serves the recommendation API (docs/api.md; OpenAPI UI at /docs): multi-channel recall from the
stream processors' Redis state, ONNX ranking with the models on models.published.v1, experiments
from config/experiments.yaml (hot-reloaded), every answer logged to serving.exposures.v1.
API keys (stored hashed): npm run api:keys -- create --id storefront --scopes read,events --file .stack/api-keys.yaml`,
  environmentVariables,
  loadConfig: () => loadApiConfig(),
  start: (config, log) => startApi(config, log),
});
