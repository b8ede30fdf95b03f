import { asArray, asStringRecord, at, isRecord, type K8sObject } from './k8s-model.js';

/**
 * A small NetworkPolicy evaluator, enough to ask "may pod A open port P on pod B?" of the
 * manifests: pod selectors (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist), namespace
 * selectors by the kubernetes.io/metadata.name label, ipBlock for destinations outside the
 * cluster, numeric and named ports. A pod no policy selects for a direction is not isolated in it.
 */

export interface Endpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** A destination outside the cluster (matched by ipBlock or an empty `to`). */
  readonly external?: boolean;
}

export interface Port {
  readonly number: number;
  readonly name?: string;
}

export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  for (const [key, value] of Object.entries(asStringRecord(selector['matchLabels']))) if (labels[key] !== value) return false;
  for (const expression of asArray(selector['matchExpressions'])) {
    const key = String(at(expression, 'key'));
    const values = asArray(at(expression, 'values')).map(String);
    const has = Object.hasOwn(labels, key);
    switch (at(expression, 'operator')) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function peerMatches(peer: unknown, other: Endpoint, policyNamespace: string): boolean {
  if (!isRecord(peer)) return false;
  if (isRecord(peer['ipBlock'])) return other.external === true;
  if (other.external === true) return false;
  const namespaceSelector = peer['namespaceSelector'];
  const podSelector = peer['podSelector'];
  if (namespaceSelector !== undefined) {
    if (!selectorMatches(namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return podSelector === undefined || selectorMatches(podSelector, other.labels);
}

function portMatches(rulePorts: unknown, port: Port): boolean {
  const ports = asArray(rulePorts);
  if (ports.length === 0) return true;
  return ports.some((entry) => {
    const value = at(entry, 'port');
    if (value === undefined) return true;
    if (typeof value === 'number') {
      const end = at(entry, 'endPort');
      return typeof end === 'number' ? port.number >= value && port.number <= end : port.number === value;
    }
    return value === port.name || value === String(port.number);
  });
}

function policyTypes(policy: K8sObject): string[] {
  const declared = asArray(at(policy, 'spec', 'policyTypes')).map(String);
  if (declared.length > 0) return declared;
  return at(policy, 'spec', 'egress') === undefined ? ['Ingress'] : ['Ingress', 'Egress'];
}

function directionAllows(policies: readonly K8sObject[], self: Endpoint, other: Endpoint, port: Port, direction: 'Ingress' | 'Egress'): boolean {
  const selecting = policies.filter((policy) => policyTypes(policy).includes(direction) && selectorMatches(at(policy, 'spec', 'podSelector'), self.labels));
  if (selecting.length === 0) return true;
  const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((policy) =>
    asArray(at(policy, 'spec', rulesKey)).some((rule) => {
      const peers = asArray(at(rule, peersKey));
      const peerOk = at(rule, peersKey) === undefined || peers.some((peer) => peerMatches(peer, other, self.namespace));
      return peerOk && portMatches(at(rule, 'ports'), port);
    }),
  );
}

/**
 * Allowed when the source may send (egress) and the destination may receive (ingress). Policies
 * without metadata.namespace (the base as written, before kustomize sets it) are in `namespace`.
 */
export function allows(policies: readonly K8sObject[], from: Endpoint, to: Endpoint, port: Port, namespace: string): boolean {
  const policyNamespace = (policy: K8sObject): string => (policy.metadata as { namespace?: string }).namespace ?? namespace;
  const inNamespace = (endpoint: Endpoint): K8sObject[] => policies.filter((policy) => policyNamespace(policy) === endpoint.namespace);
  const egressOk = from.external === true || directionAllows(inNamespace(from), from, to, port, 'Egress');
  const ingressOk = to.external === true || directionAllows(inNamespace(to), to, from, port, 'Ingress');
  return egressOk && ingressOk;
}

/**
 * The ingress policies Strimzi writes for a Kafka cluster's listeners (from networkPolicyPeers, or
 * open to all when a listener has none), so the evaluator sees the Kafka side of client flows.
 */
export function strimziListenerPolicies(objects: readonly K8sObject[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const kafka of objects.filter((object) => object.kind === 'Kafka')) {
    for (const listener of asArray(at(kafka, 'spec', 'kafka', 'listeners'))) {
      const peers = at(listener, 'networkPolicyPeers');
      out.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${kafka.metadata.name}-listener-${String(at(listener, 'name'))}` },
        spec: {
          podSelector: { matchLabels: { 'strimzi.io/cluster': kafka.metadata.name, 'strimzi.io/kind': 'Kafka' } },
          policyTypes: ['Ingress'],
          ingress: [{ ...(peers === undefined ? {} : { from: peers }), ports: [{ protocol: 'TCP', port: at(listener, 'port') }] }],
        },
      });
    }
  }
  return out;
}
