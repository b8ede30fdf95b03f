/** The running API (what `main.ts` starts; tests, the eval harness and the benchmarks start it too), its configuration, keys and model registry. */
export { startApi, type RunningApi } from './wiring/start-api.js';
export { buildApp, buildApps, type ApiApps, type BuildAppOptions } from './http/app.js';
export { buildOpsApp } from './http/ops-app.js';
export { apiConfigSchema, environmentVariables, loadApiConfig, parseApiConfig, type ApiConfig, type ApiConfigInput } from './config.js';
export { createApiMetrics, type ApiMetrics } from './metrics.js';
export { generateApiKey, generateSecret, nodeSecretHasher, sha256Hex, type GeneratedApiKey } from './adapters/api-key-hash.js';
export { runKeysCli, type CliOutput } from './keys-cli.js';
export { startModelRegistry, type ModelRegistry, type ModelRegistryDependencies, type ModelRegistryMetrics, type ModelRegistryOptions } from './adapters/model-registry.js';
export { createModelLoadGuard, type ModelLoadGuard, type ModelLoadLimits } from './adapters/model-load-guard.js';
