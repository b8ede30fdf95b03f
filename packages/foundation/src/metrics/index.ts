export { createProcessorMetrics, type ProcessorMetrics } from './processor-metrics.js';
export { startMetricsServer, type MetricsServerOptions } from './metrics-server.js';
