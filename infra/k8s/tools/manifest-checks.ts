import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PENDING_ENTRIES, deployableFor, entryOf, type knownVariables } from '../../docker/deployables.js';
import { CONNECTOR_OVERRIDES, topicResourceName, type ConnectorFile, type TopicSpec } from './generated-files.js';
import { asArray, asStringRecord, at, containersOf, isRecord, podLabels, text, workloads, type Container, type K8sObject } from './k8s-model.js';
import { kafkaUserSecrets } from './kafka-checks.js';
import { allows, selectorMatches, strimziListenerPolicies, type Endpoint } from './network-policy.js';

/**
 * Semantic checks of the Kubernetes manifests. Each returns the problems it found as sentences
 * naming the object; an empty list means the manifests pass. infra/k8s/manifests.test.ts runs them
 * on the base as written and on each overlay as kustomize renders it.
 */

export type Problems = string[];

const OUR_IMAGES = ['streamrec/app', 'streamrec/trainer'];
const isOurImage = (image: string): boolean => OUR_IMAGES.some((name) => image === name || image.startsWith(`${name}:`) || image.includes(`/${name.split('/')[1] ?? ''}:`));

function id(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** Resources, probes, non-root and hardened security contexts, images, entry files. */
export function checkWorkloads(objects: readonly K8sObject[], root: string): Problems {
  const problems: Problems = [];
  for (const { object, template, longRunning } of workloads(objects)) {
    const spec = at(template, 'spec');
    const podSecurity = at(spec, 'securityContext');
    if (at(spec, 'automountServiceAccountToken') !== false) problems.push(`${id(object)}: automountServiceAccountToken must be false (nothing here talks to the Kubernetes API)`);
    if (at(podSecurity, 'seccompProfile', 'type') !== 'RuntimeDefault') problems.push(`${id(object)}: pod seccompProfile must be RuntimeDefault`);
    for (const container of containersOf(template)) {
      const where = `${id(object)} container ${container.name}`;
      const runAsNonRoot = at(container.raw, 'securityContext', 'runAsNonRoot') ?? at(podSecurity, 'runAsNonRoot');
      const runAsUser = at(container.raw, 'securityContext', 'runAsUser') ?? at(podSecurity, 'runAsUser');
      if (runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot must be true`);
      if (typeof runAsUser !== 'number' || runAsUser === 0) problems.push(`${where}: runAsUser must be a non-zero uid`);
      if (at(container.raw, 'securityContext', 'allowPrivilegeEscalation') !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
      if (!asArray(at(container.raw, 'securityContext', 'capabilities', 'drop')).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
      if (at(container.raw, 'securityContext', 'readOnlyRootFilesystem') !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
      for (const field of ['cpu', 'memory']) {
        if (at(container.raw, 'resources', 'requests', field) === undefined) problems.push(`${where}: resources.requests.${field} missing`);
      }
      if (at(container.raw, 'resources', 'limits', 'memory') === undefined) problems.push(`${where}: resources.limits.memory missing`);
      if (longRunning && !container.init) {
        for (const probe of ['livenessProbe', 'readinessProbe']) if (!isRecord(at(container.raw, probe))) problems.push(`${where}: ${probe} missing`);
      }
      const image = text(at(container.raw, 'image'));
      if (!isOurImage(image) && (!/:[\w.-]+$/.test(image) || image.endsWith(':latest'))) problems.push(`${where}: image ${image} must be pinned to a version tag`);
      if (isOurImage(image)) {
        const words = [...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))].map(String);
        const entry = entryOf(words);
        if (entry === undefined) problems.push(`${where}: runs no repository entry point`);
        else if (!existsSync(join(root, entry)) && !PENDING_ENTRIES.has(entry)) problems.push(`${where}: entry ${entry} does not exist`);
        else if (deployableFor(entry) === undefined) problems.push(`${where}: entry ${entry} is not described in infra/docker/deployables.ts`);
        if (!asArray(at(container.raw, 'volumeMounts')).some((mount) => at(mount, 'mountPath') === '/tmp')) problems.push(`${where}: needs a writable /tmp (tsx's cache) on its read-only root`);
      }
    }
  }
  return problems;
}

export interface EnvValue {
  readonly value?: string;
  readonly secret?: { readonly name: string; readonly key?: string };
  readonly configMap?: { readonly name: string; readonly key?: string };
}

/** A container's environment: explicit entries and the keys of the ConfigMaps/Secrets it loads. */
export function effectiveEnv(container: Container, objects: readonly K8sObject[], secrets: ReadonlyMap<string, ReadonlySet<string>>): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  for (const source of asArray(at(container.raw, 'envFrom'))) {
    const configMapName = at(source, 'configMapRef', 'name');
    if (typeof configMapName === 'string') {
      const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === configMapName);
      for (const [key, value] of Object.entries(asStringRecord(at(configMap, 'data')))) env.set(key, { value, configMap: { name: configMapName } });
    }
    const secretName = at(source, 'secretRef', 'name');
    if (typeof secretName === 'string') for (const key of secrets.get(secretName) ?? []) env.set(key, { secret: { name: secretName } });
  }
  for (const entry of asArray(at(container.raw, 'env'))) {
    const name = String(at(entry, 'name'));
    const value = at(entry, 'value');
    const secretRef = at(entry, 'valueFrom', 'secretKeyRef');
    const configMapRef = at(entry, 'valueFrom', 'configMapKeyRef');
    if (typeof value === 'string') env.set(name, { value });
    else if (isRecord(secretRef)) env.set(name, { secret: { name: String(secretRef['name']), key: String(secretRef['key']) } });
    else if (isRecord(configMapRef)) {
      const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === configMapRef['name']);
      const resolved = asStringRecord(at(configMap, 'data'))[String(configMapRef['key'])];
      env.set(name, { ...(resolved === undefined ? {} : { value: resolved }), configMap: { name: String(configMapRef['name']), key: String(configMapRef['key']) } });
    } else env.set(name, {});
  }
  return env;
}

/** Required variables set (with the values the topology needs), and every STREAMREC_* one known to the code. */
export function checkEnvironment(objects: readonly K8sObject[], known: ReturnType<typeof knownVariables>, secrets: ReadonlyMap<string, ReadonlySet<string>>): Problems {
  const problems: Problems = [];
  for (const { object, template } of workloads(objects)) {
    for (const container of containersOf(template)) {
      const image = text(at(container.raw, 'image'));
      if (!isOurImage(image)) continue;
      const where = `${id(object)} container ${container.name}`;
      const entry = entryOf([...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))].map(String));
      const deployable = entry === undefined ? undefined : deployableFor(entry);
      const env = effectiveEnv(container, objects, secrets);
      for (const name of deployable?.requiredEnv ?? []) if (!env.has(name)) problems.push(`${where}: ${name} is not set (${entry ?? '?'} needs it)`);
      for (const name of deployable?.secretEnv ?? []) {
        if (env.has(name) && env.get(name)?.secret === undefined) problems.push(`${where}: ${name} is a secret: take it from a Secret (secretKeyRef), not a value or a ConfigMap`);
      }
      for (const [name, allowed] of Object.entries(deployable?.expectedValues ?? {})) {
        const actual = env.get(name)?.value;
        if (actual !== undefined && !allowed.includes(actual)) problems.push(`${where}: ${name}=${actual}, expected ${allowed.join(' or ')}`);
      }
      if (entry !== undefined && PENDING_ENTRIES.has(entry)) continue;
      for (const [name, value] of env) {
        if (!name.startsWith('STREAMREC_') || known.matches(name)) continue;
        // The shared ConfigMap carries variables for several deployables; only explicit ones must be known.
        if (value.configMap !== undefined && value.configMap.key === undefined) continue;
        problems.push(`${where}: ${name} is not read by any TypeScript config (typo?)`);
      }
    }
  }
  return problems;
}

/** Every Secret a workload or a Strimzi resource names exists (with the key) in `declared`. */
export function checkSecretReferences(objects: readonly K8sObject[], declared: ReadonlyMap<string, ReadonlySet<string>>): Problems {
  const problems: Problems = [];
  const visit = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, where));
      return;
    }
    if (!isRecord(value)) return;
    const secretKeyRef = value['secretKeyRef'];
    if (isRecord(secretKeyRef)) {
      const keys = declared.get(String(secretKeyRef['name']));
      if (keys === undefined) problems.push(`${where}: secret ${String(secretKeyRef['name'])} is not declared`);
      else if (!keys.has(String(secretKeyRef['key']))) problems.push(`${where}: secret ${String(secretKeyRef['name'])} has no key ${String(secretKeyRef['key'])}`);
    }
    const secretRef = value['secretRef'];
    if (isRecord(secretRef) && !declared.has(String(secretRef['name']))) problems.push(`${where}: secret ${String(secretRef['name'])} is not declared`);
    // Strimzi's spelling (KafkaConnect authentication).
    const passwordSecret = value['passwordSecret'];
    if (isRecord(passwordSecret)) {
      const keys = declared.get(String(passwordSecret['secretName']));
      if (keys === undefined) problems.push(`${where}: secret ${String(passwordSecret['secretName'])} is not declared`);
      else if (!keys.has(String(passwordSecret['password']))) problems.push(`${where}: secret ${String(passwordSecret['secretName'])} has no key ${String(passwordSecret['password'])}`);
    }
    const secretVolume = value['secret'];
    if (isRecord(secretVolume) && typeof secretVolume['secretName'] === 'string') {
      const keys = declared.get(secretVolume['secretName']);
      if (keys === undefined) problems.push(`${where}: secret ${secretVolume['secretName']} is not declared`);
      for (const item of asArray(secretVolume['items'])) if (keys !== undefined && !keys.has(String(at(item, 'key')))) problems.push(`${where}: secret ${secretVolume['secretName']} has no key ${String(at(item, 'key'))}`);
    }
    for (const child of Object.values(value)) visit(child, where);
  };
  for (const object of objects) if (object.kind !== 'Secret' && object.kind !== 'ExternalSecret') visit(object, id(object));
  return problems;
}

/** Secrets an object list declares: Secret data keys, ExternalSecret targets, the User Operator's Secrets of the KafkaUsers. */
export function declaredSecrets(objects: readonly K8sObject[]): Map<string, Set<string>> {
  const declared = kafkaUserSecrets(objects);
  for (const object of objects) {
    if (object.kind === 'Secret') declared.set(object.metadata.name, new Set([...Object.keys(asStringRecord(at(object, 'data'))), ...Object.keys(asStringRecord(at(object, 'stringData')))]));
    if (object.kind === 'ExternalSecret') {
      const target = text(at(object, 'spec', 'target', 'name'), object.metadata.name);
      declared.set(target, new Set(asArray(at(object, 'spec', 'data')).map((entry) => String(at(entry, 'secretKey')))));
    }
  }
  return declared;
}

/** KafkaTopic resources are exactly schemas/topics.json (names, partitions, configs). */
export function checkTopics(objects: readonly K8sObject[], topics: readonly TopicSpec[], expected: { replicas: number; minIsr?: string }): Problems {
  const problems: Problems = [];
  const resources = objects.filter((object) => object.kind === 'KafkaTopic');
  const byName = new Map(resources.map((resource) => [text(at(resource, 'spec', 'topicName'), resource.metadata.name), resource]));
  for (const topic of topics) {
    const resource = byName.get(topic.name);
    if (resource === undefined) {
      problems.push(`topic ${topic.name} (schemas/topics.json) has no KafkaTopic`);
      continue;
    }
    if (resource.metadata.name !== topicResourceName(topic.name)) problems.push(`KafkaTopic ${resource.metadata.name}: expected metadata.name ${topicResourceName(topic.name)}`);
    if (at(resource, 'spec', 'partitions') !== topic.partitions) problems.push(`KafkaTopic ${topic.name}: partitions ${String(at(resource, 'spec', 'partitions'))}, schemas/topics.json says ${topic.partitions}`);
    if (at(resource, 'spec', 'replicas') !== expected.replicas) problems.push(`KafkaTopic ${topic.name}: replicas ${String(at(resource, 'spec', 'replicas'))}, expected ${expected.replicas}`);
    const config = { ...asStringRecord(at(resource, 'spec', 'config')) };
    const minIsr = config['min.insync.replicas'];
    delete config['min.insync.replicas'];
    if (minIsr !== expected.minIsr) problems.push(`KafkaTopic ${topic.name}: min.insync.replicas ${String(minIsr)}, expected ${String(expected.minIsr)}`);
    if (JSON.stringify(Object.entries(config).sort()) !== JSON.stringify(Object.entries(topic.config).sort())) {
      problems.push(`KafkaTopic ${topic.name}: config ${JSON.stringify(config)} differs from schemas/topics.json ${JSON.stringify(topic.config)}`);
    }
  }
  for (const name of byName.keys()) if (!topics.some((topic) => topic.name === name)) problems.push(`KafkaTopic ${name} is not in schemas/topics.json`);
  return problems;
}

/** The KafkaConnector is connectors/config/cdc-mariadb.json apart from the documented differences. */
export function checkConnector(objects: readonly K8sObject[], canonical: ConnectorFile, extraDifferences: Readonly<Record<string, string>> = {}): Problems {
  const problems: Problems = [];
  const connectors = objects.filter((object) => object.kind === 'KafkaConnector');
  const connector = connectors.find((object) => object.metadata.name === canonical.name);
  if (connector === undefined) return [`no KafkaConnector ${canonical.name}`];
  if (at(connector, 'spec', 'class') !== canonical.config['connector.class']) problems.push(`KafkaConnector ${canonical.name}: class differs from connector.class`);
  if (String(at(connector, 'spec', 'tasksMax')) !== canonical.config['tasks.max']) problems.push(`KafkaConnector ${canonical.name}: tasksMax differs from tasks.max`);
  const config = asStringRecord(at(connector, 'spec', 'config'));
  const expected: Record<string, string> = { ...canonical.config };
  delete expected['connector.class'];
  delete expected['tasks.max'];
  for (const [key, override] of Object.entries(CONNECTOR_OVERRIDES)) expected[key] = override.value;
  Object.assign(expected, extraDifferences);
  for (const key of new Set([...Object.keys(expected), ...Object.keys(config)])) {
    if (config[key] !== expected[key]) problems.push(`KafkaConnector ${canonical.name}: ${key} is ${JSON.stringify(config[key])}, expected ${JSON.stringify(expected[key])}`);
  }
  // Every ${env:X} the connector resolves must be in the Connect workers' environment.
  const connect = objects.find((object) => object.kind === 'KafkaConnect' && object.metadata.name === connector.metadata.labels?.['strimzi.io/cluster']);
  if (connect === undefined) problems.push(`KafkaConnector ${canonical.name}: its KafkaConnect ${String(connector.metadata.labels?.['strimzi.io/cluster'])} is missing`);
  const workerEnv = new Set(asArray(at(connect, 'spec', 'template', 'connectContainer', 'env')).map((entry) => String(at(entry, 'name'))));
  for (const value of Object.values(config)) {
    for (const match of value.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) if (match[1] !== undefined && !workerEnv.has(match[1])) problems.push(`KafkaConnector ${canonical.name}: \${env:${match[1]}} is not set on the Connect workers`);
  }
  return problems;
}

/**
 * The partitions that bound each processor's useful instances (a consumer group member beyond the
 * partition count gets nothing), from the processors' READMEs; normalize runs alone whatever the
 * partitions (global state, streams/normalize/README.md).
 */
export const PROCESSOR_INPUTS: Readonly<Record<string, readonly string[]>> = {
  normalize: [
    'cdc.shop.users', 'cdc.shop.datasets', 'cdc.shop.orders', 'cdc.shop.order_items', 'cdc.shop.favorites',
    'cdc.matomo.matomo_log_visit', 'cdc.matomo.matomo_log_link_visit_action', 'cdc.matomo.matomo_log_action',
    'cdc.matomo.matomo_log_conversion', 'cdc.matomo.matomo_log_conversion_item',
  ],
  features: ['events.interactions.v1', 'serving.exposures.v1', 'repartition.item-activity.v1'],
  cooccurrence: ['events.interactions.v1', 'repartition.item-activity.v1'],
  trending: ['repartition.item-activity.v1', 'events.items.v1'],
  'clickhouse-sink': ['events.interactions.v1', 'serving.exposures.v1', 'events.items.v1', 'events.users.v1', 'cdc.shop.orders', 'cdc.shop.order_items'],
};
const SINGLE_INSTANCE = new Set(['normalize']);

export function processorBound(name: string, topics: readonly TopicSpec[]): number {
  if (SINGLE_INSTANCE.has(name)) return 1;
  return Math.max(...(PROCESSOR_INPUTS[name] ?? []).map((topic) => topics.find((spec) => spec.name === topic)?.partitions ?? 0));
}

export function checkProcessorReplicas(objects: readonly K8sObject[], topics: readonly TopicSpec[]): Problems {
  const problems: Problems = [];
  for (const [name, inputs] of Object.entries(PROCESSOR_INPUTS)) {
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name);
    if (deployment === undefined) {
      problems.push(`processor ${name} has no Deployment`);
      continue;
    }
    for (const topic of inputs) if (!topics.some((spec) => spec.name === topic)) problems.push(`processor ${name}: input ${topic} is not in schemas/topics.json`);
    const annotated = (deployment.metadata.annotations?.['streamrec.io/input-topics'] ?? '').split(',').filter(Boolean);
    if (JSON.stringify([...annotated].sort()) !== JSON.stringify([...inputs].sort())) problems.push(`Deployment ${name}: annotation streamrec.io/input-topics ${annotated.join(',')} should list ${inputs.join(',')}`);
    const replicas = Number(at(deployment, 'spec', 'replicas') ?? 1);
    const bound = processorBound(name, topics);
    if (!(replicas >= 1 && replicas <= bound)) problems.push(`Deployment ${name}: ${replicas} replicas, at most ${bound} (${SINGLE_INSTANCE.has(name) ? 'its state is global' : `partitions of ${inputs.join(', ')}`})`);
    if (SINGLE_INSTANCE.has(name) && at(deployment, 'spec', 'strategy', 'type') !== 'Recreate') problems.push(`Deployment ${name}: must use the Recreate strategy (a rolling update runs two instances)`);
  }
  return problems;
}

/** The flows the system needs must be allowed, and a few it must not have must be refused. */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly portName?: string;
}

export function endpointsOf(objects: readonly K8sObject[], namespace: string): Map<string, Endpoint> {
  const endpoints = new Map<string, Endpoint>();
  for (const { object, template } of workloads(objects)) endpoints.set(object.metadata.name, { namespace, labels: podLabels(template) });
  for (const kafka of objects.filter((object) => object.kind === 'Kafka')) {
    endpoints.set('kafka', { namespace, labels: { 'strimzi.io/cluster': kafka.metadata.name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${kafka.metadata.name}-kafka` } });
  }
  for (const connect of objects.filter((object) => object.kind === 'KafkaConnect')) {
    endpoints.set('connect', { namespace, labels: { 'strimzi.io/cluster': connect.metadata.name, 'strimzi.io/kind': 'KafkaConnect' } });
  }
  endpoints.set('monitoring', { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } });
  endpoints.set('internet', { namespace: '', labels: {}, external: true });
  // The source database: a pod in overlays/local, outside the cluster otherwise.
  if (!endpoints.has('mariadb')) endpoints.set('mariadb', { namespace: '', labels: {}, external: true });
  return endpoints;
}

export function checkFlows(objects: readonly K8sObject[], namespace: string, required: readonly Flow[], forbidden: readonly Flow[]): Problems {
  const problems: Problems = [];
  const policies = [...objects.filter((object) => object.kind === 'NetworkPolicy'), ...strimziListenerPolicies(objects)];
  const endpoints = endpointsOf(objects, namespace);
  const evaluate = (flow: Flow): boolean | undefined => {
    const from = endpoints.get(flow.from);
    const to = endpoints.get(flow.to);
    if (from === undefined || to === undefined) return undefined;
    return allows(policies, from, to, { number: flow.port, ...(flow.portName === undefined ? {} : { name: flow.portName }) }, namespace);
  };
  for (const flow of required) {
    const allowed = evaluate(flow);
    if (allowed === undefined) problems.push(`flow ${flow.from} → ${flow.to}: no such workload`);
    else if (!allowed) problems.push(`flow ${flow.from} → ${flow.to}:${flow.port} is needed but no NetworkPolicy allows it`);
  }
  for (const flow of forbidden) if (evaluate(flow) === true) problems.push(`flow ${flow.from} → ${flow.to}:${flow.port} is allowed but nothing needs it`);
  // Default deny must be in place, and every workload must be selected by some allowing policy.
  const denyAll = policies.find((policy) => isRecord(at(policy, 'spec', 'podSelector')) && Object.keys(at(policy, 'spec', 'podSelector') as object).length === 0 && asArray(at(policy, 'spec', 'policyTypes')).length === 2 && at(policy, 'spec', 'ingress') === undefined && at(policy, 'spec', 'egress') === undefined);
  if (denyAll === undefined) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const { object, template } of workloads(objects)) {
    const labels = podLabels(template);
    if (!policies.some((policy) => policy !== denyAll && allowsAnything(policy, labels))) problems.push(`${id(object)}: no NetworkPolicy allows it anything beyond DNS`);
  }
  return problems;
}

function allowsAnything(policy: K8sObject, labels: Record<string, string>): boolean {
  const selector = at(policy, 'spec', 'podSelector');
  const matchLabels = asStringRecord(at(selector, 'matchLabels'));
  const expressions = asArray(at(selector, 'matchExpressions'));
  if (Object.keys(matchLabels).length + expressions.length === 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value) && expressions.every((expression) => {
    const key = String(at(expression, 'key'));
    return at(expression, 'operator') === 'In' ? asArray(at(expression, 'values')).includes(labels[key]) : true;
  });
}

/** PDBs for long-running workloads, scraping for pods that serve metrics, the API's HPA and probes, operations listeners kept off Services. */
export function checkOperations(objects: readonly K8sObject[]): Problems {
  const problems: Problems = [];
  const pdbs = objects.filter((object) => object.kind === 'PodDisruptionBudget');
  const monitors = objects.filter((object) => object.kind === 'PodMonitor' || object.kind === 'ServiceMonitor');
  for (const { object, template, longRunning } of workloads(objects)) {
    const labels = podLabels(template);
    if (longRunning && !pdbs.some((pdb) => Object.entries(asStringRecord(at(pdb, 'spec', 'selector', 'matchLabels'))).every(([key, value]) => labels[key] === value))) {
      problems.push(`${id(object)}: no PodDisruptionBudget selects its pods`);
    }
    if (labels['streamrec.io/metrics'] === 'true') {
      const monitor = monitors.find((candidate) => {
        const selector = at(candidate, 'spec', 'selector');
        const matchLabels = asStringRecord(at(selector, 'matchLabels'));
        return Object.keys(matchLabels).length > 0 && Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
      });
      if (monitor === undefined) problems.push(`${id(object)}: serves metrics but no PodMonitor selects it`);
    }
  }
  const api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'api');
  const container = asArray(at(api, 'spec', 'template', 'spec', 'containers'))[0];
  if (at(container, 'readinessProbe', 'httpGet', 'path') !== '/readyz') problems.push('Deployment/api: readiness probe must be GET /readyz');
  if (at(container, 'livenessProbe', 'httpGet', 'path') !== '/healthz') problems.push('Deployment/api: liveness probe must be GET /healthz');
  const hpa = objects.find((object) => object.kind === 'HorizontalPodAutoscaler' && at(object, 'spec', 'scaleTargetRef', 'name') === 'api');
  if (hpa === undefined) problems.push('Deployment/api: no HorizontalPodAutoscaler');
  // The alert rules select job="streams" and job="api": the monitors must produce those labels.
  for (const job of ['streams', 'api']) {
    const found = monitors.some((monitor) =>
      asArray(at(monitor, 'spec', 'podMetricsEndpoints')).some((endpoint) =>
        asArray(at(endpoint, 'relabelings')).some((relabeling) => at(relabeling, 'targetLabel') === 'job' && at(relabeling, 'replacement') === job),
      ),
    );
    if (!found) problems.push(`no PodMonitor sets job="${job}" (monitoring/prometheus/rules select it)`);
  }
  for (const job of workloads(objects).filter((workload) => workload.object.kind === 'CronJob')) {
    if (at(job.object, 'spec', 'concurrencyPolicy') !== 'Forbid') problems.push(`${id(job.object)}: concurrencyPolicy must be Forbid (two runs would race)`);
  }
  problems.push(...checkOperationsListeners(objects));
  return problems;
}

/** Whether a port reference (a container port's name or number, as probes, Services and monitors write it) means `port`. */
const refersTo = (reference: unknown, port: { readonly name: string; readonly number: number }): boolean =>
  reference === port.name || reference === port.number || reference === String(port.number);

/**
 * The operations listener of a deployable that has one (infra/docker/deployables.ts `operationsPort`:
 * the API's /readyz, /metrics, /admin, /docs on 18081): a named container port; the readiness probe on
 * it when it serves the health endpoint; a PodMonitor scraping it (and nothing else of those pods); no
 * Service exposing it — Services are what clients and ingresses reach.
 */
export function checkOperationsListeners(objects: readonly K8sObject[]): Problems {
  const problems: Problems = [];
  const services = objects.filter((object) => object.kind === 'Service');
  const monitors = objects.filter((object) => object.kind === 'PodMonitor');
  for (const { object, template } of workloads(objects)) {
    const labels = podLabels(template);
    for (const container of containersOf(template)) {
      if (container.init || !isOurImage(text(at(container.raw, 'image')))) continue;
      const entry = entryOf([...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))].map(String));
      const deployable = entry === undefined ? undefined : deployableFor(entry);
      if (deployable?.operationsPort === undefined) continue;
      const where = `${id(object)} container ${container.name}`;
      const declared = asArray(at(container.raw, 'ports')).find((port) => at(port, 'containerPort') === deployable.operationsPort);
      if (declared === undefined || typeof at(declared, 'name') !== 'string') {
        problems.push(`${where}: no named container port ${deployable.operationsPort} for the operations listener`);
        continue;
      }
      const ops = { name: String(at(declared, 'name')), number: deployable.operationsPort };
      if (deployable.healthPort === ops.number && !refersTo(at(container.raw, 'readinessProbe', 'httpGet', 'port'), ops)) {
        problems.push(`${where}: the readiness probe must use the operations port ${ops.name} (${ops.number}), where /readyz is served`);
      }
      for (const service of services) {
        const selector = at(service, 'spec', 'selector');
        if (!isRecord(selector) || Object.keys(selector).length === 0 || !selectorMatches({ matchLabels: selector }, labels)) continue;
        for (const port of asArray(at(service, 'spec', 'ports'))) {
          if (refersTo(at(port, 'targetPort') ?? at(port, 'port'), ops)) problems.push(`${id(service)}: exposes the operations port ${ops.name} (${ops.number}) of ${id(object)}; only Prometheus and operators may reach it`);
        }
      }
      const selecting = monitors.filter((monitor) => selectorMatches(at(monitor, 'spec', 'selector'), labels));
      if (selecting.length === 0) problems.push(`${id(object)}: no PodMonitor scrapes its operations port ${ops.name}`);
      for (const monitor of selecting) {
        for (const endpoint of asArray(at(monitor, 'spec', 'podMetricsEndpoints'))) {
          if (!refersTo(at(endpoint, 'port') ?? at(endpoint, 'targetPort'), ops)) {
            problems.push(`${id(monitor)}: scrapes ${id(object)} on ${String(at(endpoint, 'port') ?? at(endpoint, 'targetPort'))}, expected its operations port ${ops.name} (/metrics is served there only)`);
          }
        }
      }
    }
  }
  return problems;
}

/** Kafka sizing: replication factor and min ISR consistent with the node count; resources on Strimzi pods. */
export function checkKafka(objects: readonly K8sObject[], expected: { nodes: number; replicationFactor: number; minIsr: number }): Problems {
  const problems: Problems = [];
  const pool = objects.find((object) => object.kind === 'KafkaNodePool');
  const kafka = objects.find((object) => object.kind === 'Kafka');
  const connect = objects.find((object) => object.kind === 'KafkaConnect');
  if (pool === undefined || kafka === undefined || connect === undefined) return ['Kafka, KafkaNodePool and KafkaConnect are all needed'];
  if (at(pool, 'spec', 'replicas') !== expected.nodes) problems.push(`KafkaNodePool: ${String(at(pool, 'spec', 'replicas'))} nodes, expected ${expected.nodes}`);
  const config = at(kafka, 'spec', 'kafka', 'config');
  for (const key of ['default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor']) {
    if (at(config, key) !== expected.replicationFactor) problems.push(`Kafka config ${key}: ${String(at(config, key))}, expected ${expected.replicationFactor}`);
  }
  for (const key of ['min.insync.replicas', 'transaction.state.log.min.isr']) if (at(config, key) !== expected.minIsr) problems.push(`Kafka config ${key}: ${String(at(config, key))}, expected ${expected.minIsr}`);
  if (at(config, 'auto.create.topics.enable') !== false) problems.push('Kafka config auto.create.topics.enable must be false');
  for (const [what, resources] of [
    ['KafkaNodePool', at(pool, 'spec', 'resources')],
    ['KafkaConnect', at(connect, 'spec', 'resources')],
    ['topic operator', at(kafka, 'spec', 'entityOperator', 'topicOperator', 'resources')],
    ['user operator', at(kafka, 'spec', 'entityOperator', 'userOperator', 'resources')],
  ] as const) {
    if (at(resources, 'requests', 'memory') === undefined || at(resources, 'limits', 'memory') === undefined) problems.push(`${what}: memory requests and limits needed`);
  }
  if (asArray(at(kafka, 'spec', 'kafka', 'listeners')).some((listener) => at(listener, 'networkPolicyPeers') === undefined)) problems.push('Kafka: every listener needs networkPolicyPeers (otherwise Strimzi opens it to every pod)');
  return problems;
}

/** The Secret with one password per Redis ACL user (infra/redis/render-acl.sh), by the key below. */
export const REDIS_SECRET = 'streamrec-redis';

/** Each Redis ACL user, by the Secret key (and variable) of its password. */
export const REDIS_USERS: Readonly<Record<string, string>> = {
  STREAMREC_REDIS_ADMIN_PASSWORD: 'streamrec-admin',
  STREAMREC_REDIS_PROCESSOR_PASSWORD: 'streamrec-processor',
  STREAMREC_REDIS_API_PASSWORD: 'streamrec-api',
  STREAMREC_REDIS_MONITOR_PASSWORD: 'streamrec-monitor',
  STREAMREC_REDIS_REPLICATION_PASSWORD: 'streamrec-replication',
};

/**
 * The Redis passwords each container may have, by `Kind/name container` (docs/OPERATIONS.md "Who may
 * do what"); every other container gets none. A workload absent from an overlay (the cluster-init Job
 * in overlays/local) is not looked for.
 */
export const REDIS_PASSWORDS: Readonly<Record<string, readonly string[]>> = {
  // Renders the ACL file (hashes only) and the replicas' masterauth; the only holder of every password.
  'StatefulSet/redis render-acl': Object.keys(REDIS_USERS),
  // Its probes and the exporter log in as the monitor.
  'StatefulSet/redis redis': ['STREAMREC_REDIS_MONITOR_PASSWORD'],
  'StatefulSet/redis exporter': ['STREAMREC_REDIS_MONITOR_PASSWORD'],
  'Job/redis-cluster-init cluster-init': ['STREAMREC_REDIS_ADMIN_PASSWORD'],
  ...Object.fromEntries(Object.keys(PROCESSOR_INPUTS).map((name) => [`Deployment/${name} ${name}`, ['STREAMREC_REDIS_PROCESSOR_PASSWORD']])),
  'Deployment/api api': ['STREAMREC_REDIS_API_PASSWORD'],
};

/** Variables that carry a Redis password into a container: ours, redis-cli's, the exporter's. */
const isRedisPasswordVariable = (name: string): boolean => /^STREAMREC_REDIS_[A-Z]+_PASSWORD$/.test(name) || name === 'STREAMREC_REDIS_PASSWORD' || name === 'REDISCLI_AUTH' || name === 'REDIS_PASSWORD';

interface RedisPassword {
  readonly variable: string;
  readonly key: string;
}

/** The keys of the Redis Secret a container gets, with the variable each lands in. */
function redisPasswordsOf(container: Container): RedisPassword[] {
  const out: RedisPassword[] = [];
  for (const entry of asArray(at(container.raw, 'env'))) {
    const ref = at(entry, 'valueFrom', 'secretKeyRef');
    if (at(ref, 'name') === REDIS_SECRET) out.push({ variable: String(at(entry, 'name')), key: String(at(ref, 'key')) });
  }
  return out;
}

/** The arguments of every redis-cli run in a shell text or an argument list (comments left out). */
function redisCliRuns(words: readonly unknown[]): string[] {
  const script = words
    .map(String)
    .join(' ')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  return [...script.matchAll(/\bredis-cli\b([^|;&\n]*)/g)].map((match) => match[1] ?? '');
}

/** `Kind/name` of the workloads that get each Redis password (for the least-privilege overview). */
export function redisPasswordReceivers(objects: readonly K8sObject[]): Record<string, string[]> {
  const receivers: Record<string, string[]> = {};
  for (const { object, template } of workloads(objects)) {
    for (const container of containersOf(template)) {
      for (const { key } of redisPasswordsOf(container)) {
        const list = (receivers[key] ??= []);
        if (!list.includes(id(object))) list.push(id(object));
      }
    }
  }
  for (const list of Object.values(receivers)) list.sort();
  return receivers;
}

/**
 * Redis's ACL as deployed: every Redis server loads the ACL file its init container renders with
 * infra/redis/render-acl.sh, replicated ones log in to their master as streamrec-replication; each
 * container gets exactly its role's passwords (REDIS_PASSWORDS) from the Secret, in the variable that
 * reads it, and every redis-cli and the exporter log in as the user of that password.
 */
export function checkRedisAccess(objects: readonly K8sObject[]): Problems {
  const problems: Problems = [];
  for (const { object, template } of workloads(objects)) {
    const volumes = asArray(at(template, 'spec', 'volumes'));
    for (const volume of volumes) {
      if (at(volume, 'secret', 'secretName') === REDIS_SECRET || JSON.stringify(at(volume, 'projected') ?? null).includes(`"${REDIS_SECRET}"`)) {
        problems.push(`${id(object)}: mounts the ${REDIS_SECRET} Secret; take only the role's key as a variable (secretKeyRef)`);
      }
    }
    const containers = containersOf(template);
    for (const container of containers) {
      const where = `${id(object)} container ${container.name}`;
      const image = text(at(container.raw, 'image'));
      const passwords = redisPasswordsOf(container);
      const userOf = (variable: string): string | undefined => {
        const key = passwords.find((password) => password.variable === variable)?.key;
        return key === undefined ? undefined : REDIS_USERS[key];
      };
      // Exactly the role's passwords.
      const expected = REDIS_PASSWORDS[`${id(object)} ${container.name}`] ?? [];
      for (const { key } of passwords) {
        if (REDIS_USERS[key] === undefined) problems.push(`${where}: ${REDIS_SECRET} has no key ${key}`);
        else if (!expected.includes(key)) problems.push(`${where}: gets ${key} (${REDIS_USERS[key]}'s password), but may have ${expected.length === 0 ? 'no Redis password' : `only ${expected.join(', ')}`}`);
      }
      for (const key of expected) if (!passwords.some((password) => password.key === key)) problems.push(`${where}: lacks ${key} (${REDIS_USERS[key] ?? '?'}'s password)`);
      for (const source of asArray(at(container.raw, 'envFrom'))) {
        if (at(source, 'secretRef', 'name') === REDIS_SECRET) problems.push(`${where}: loads the whole ${REDIS_SECRET} Secret (envFrom); reference only its role's keys`);
      }
      for (const entry of asArray(at(container.raw, 'env'))) {
        const name = String(at(entry, 'name'));
        if (isRedisPasswordVariable(name) && at(entry, 'valueFrom', 'secretKeyRef', 'name') !== REDIS_SECRET) problems.push(`${where}: ${name} must come from the ${REDIS_SECRET} Secret (secretKeyRef), not a value`);
      }
      // Our code reads STREAMREC_REDIS_<ROLE>_PASSWORD: the variable must be the key's own name.
      if (isOurImage(image)) {
        for (const { variable, key } of passwords) if (variable !== key) problems.push(`${where}: ${key} lands in ${variable}; the code reads ${key}`);
      }
      // The exporter (oliver006/redis_exporter) logs in as the user of its password and does not CONFIG GET.
      if (image.startsWith('oliver006/redis_exporter:')) {
        const env = new Map(asArray(at(container.raw, 'env')).map((entry) => [String(at(entry, 'name')), at(entry, 'value')]));
        const user = userOf('REDIS_PASSWORD');
        if (user === undefined) problems.push(`${where}: the exporter needs REDIS_PASSWORD from ${REDIS_SECRET}`);
        else if (env.get('REDIS_USER') !== user) problems.push(`${where}: REDIS_USER is ${String(env.get('REDIS_USER'))}, expected ${user} (the user of REDIS_PASSWORD)`);
        if (env.get('REDIS_EXPORTER_CONFIG_COMMAND') !== '-') problems.push(`${where}: REDIS_EXPORTER_CONFIG_COMMAND must be "-" (the monitor may not CONFIG GET: the config holds masterauth)`);
      }
      // Every redis-cli, in the command and in the probes, logs in with REDISCLI_AUTH as its user, never a password argument.
      const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((probe) => asArray(at(container.raw, probe, 'exec', 'command')));
      const runs = [
        ...redisCliRuns([...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))]).map((run) => ({ run, probe: false })),
        ...probes.flatMap((words) => redisCliRuns(words).map((run) => ({ run, probe: true }))),
      ];
      const cliUser = userOf('REDISCLI_AUTH');
      for (const { run, probe } of runs) {
        const user = /--user\s+(\S+)/.exec(run)?.[1];
        if (/(^|\s)(-a|--pass)(\s|$)/.test(run)) problems.push(`${where}: redis-cli${run} passes the password as an argument; use REDISCLI_AUTH`);
        if (cliUser === undefined) problems.push(`${where}: runs redis-cli without REDISCLI_AUTH from ${REDIS_SECRET}`);
        else if (user !== cliUser) problems.push(`${where}: redis-cli${run} must log in with --user ${cliUser} (the user of REDISCLI_AUTH)`);
        if (probe && user !== REDIS_USERS['STREAMREC_REDIS_MONITOR_PASSWORD']) problems.push(`${where}: its probe must log in as streamrec-monitor`);
      }
    }
    // Redis servers: the ACL file from render-acl.sh, rendered at start; replicated ones with masteruser.
    for (const server of containers.filter((container) => !container.init && text(at(container.raw, 'image')).startsWith('redis:'))) {
      const words = [...asArray(at(server.raw, 'command')), ...asArray(at(server.raw, 'args'))].map(String);
      const configPath = words.find((word) => word.endsWith('.conf'));
      if (configPath === undefined) continue;
      const where = `${id(object)} container ${server.name}`;
      const configDir = configPath.slice(0, configPath.lastIndexOf('/'));
      const configMount = asArray(at(server.raw, 'volumeMounts')).find((mount) => at(mount, 'mountPath') === configDir);
      const configVolume = volumes.find((volume) => at(volume, 'name') === at(configMount, 'name'));
      const configMap = objects.find((candidate) => candidate.kind === 'ConfigMap' && candidate.metadata.name === at(configVolume, 'configMap', 'name'));
      const config = asStringRecord(at(configMap, 'data'))[configPath.slice(configPath.lastIndexOf('/') + 1)];
      if (config === undefined) {
        problems.push(`${where}: its config ${configPath} is not a ConfigMap of the pod`);
        continue;
      }
      const directive = (name: string): string | undefined => new RegExp(`^${name}\\s+(.+?)\\s*$`, 'm').exec(config)?.[1];
      if (/^\s*(requirepass|masterauth)\s/m.test(config)) problems.push(`${where}: requirepass or masterauth in ConfigMap ${configMap?.metadata.name ?? '?'}: passwords belong in ${REDIS_SECRET}`);
      const aclfile = directive('aclfile');
      if (aclfile === undefined) {
        problems.push(`${where}: ${configMap?.metadata.name ?? '?'} has no aclfile: anyone reaching Redis would be the default user`);
        continue;
      }
      const renderer = containers.find((container) => container.init && redisPasswordsOf(container).length > 0 && [...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))].map(String).join(' ').includes(`> ${aclfile}`));
      if (renderer === undefined) {
        problems.push(`${where}: no init container writes its aclfile ${aclfile}`);
        continue;
      }
      const script = [...asArray(at(renderer.raw, 'command')), ...asArray(at(renderer.raw, 'args'))].map(String).join(' ');
      const scriptPath = /(\/\S+\/render-acl\.sh)/.exec(script)?.[1];
      const scriptMount = asArray(at(renderer.raw, 'volumeMounts')).find((mount) => scriptPath?.startsWith(`${String(at(mount, 'mountPath'))}/`) === true);
      const scriptVolume = volumes.find((volume) => at(volume, 'name') === at(scriptMount, 'name'));
      const scriptMap = objects.find((candidate) => candidate.kind === 'ConfigMap' && candidate.metadata.name === at(scriptVolume, 'configMap', 'name'));
      if (scriptPath === undefined || !(asStringRecord(at(scriptMap, 'data'))['render-acl.sh'] ?? '').includes('user default on')) {
        problems.push(`${where}: init container ${renderer.name} must run infra/redis/render-acl.sh from its generated ConfigMap (redis-render-acl)`);
      }
      const authDir = aclfile.slice(0, aclfile.lastIndexOf('/'));
      const mountsAuth = (container: Container): boolean => asArray(at(container.raw, 'volumeMounts')).some((mount) => at(mount, 'mountPath') === authDir);
      if (!mountsAuth(server) || !mountsAuth(renderer)) problems.push(`${where}: ${authDir} must be a volume shared with init container ${renderer.name}`);
      const replicated = directive('cluster-enabled') === 'yes' || Number(at(object, 'spec', 'replicas') ?? 1) > 1;
      if (replicated) {
        if (directive('masteruser') !== REDIS_USERS['STREAMREC_REDIS_REPLICATION_PASSWORD']) problems.push(`${where}: replicated, so masteruser must be streamrec-replication (found ${String(directive('masteruser'))})`);
        const include = directive('include');
        if (include === undefined || !script.includes(`> ${include}`) || !script.includes('masterauth')) problems.push(`${where}: replicated, so its config must include the masterauth file its init container writes`);
      }
    }
  }
  return problems;
}
