import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A parsed Kubernetes object: only what the checks read, the rest stays `unknown`. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export type Json = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** obj.a.b.c, or undefined when any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isRecord(current) ? current[step] : undefined;
  }
  return current;
}

/** A scalar as text (numbers and booleans too), or the fallback for anything else. */
export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asStringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function isK8sObject(value: unknown): value is K8sObject {
  return isRecord(value) && typeof value['kind'] === 'string' && typeof value['apiVersion'] === 'string' && typeof at(value, 'metadata', 'name') === 'string';
}

/** Every document of a YAML text; throws with the file name on a syntax error. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { merge: true });
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((error) => error.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function parseObjects(text: string, source: string): K8sObject[] {
  return parseYamlDocuments(text, source).map((doc, index) => {
    if (!isK8sObject(doc)) throw new Error(`${source}: document ${index} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    return doc;
  });
}

export interface Kustomization {
  readonly dir: string;
  readonly resources: readonly string[];
  readonly patchPaths: readonly string[];
  readonly generatorFiles: readonly string[];
  readonly raw: Record<string, unknown>;
}

function generatorSources(entries: unknown): string[] {
  const files: string[] = [];
  for (const entry of asArray(entries)) {
    for (const env of asArray(at(entry, 'envs'))) if (typeof env === 'string') files.push(env);
    for (const file of asArray(at(entry, 'files'))) if (typeof file === 'string') files.push(file.includes('=') ? file.slice(file.indexOf('=') + 1) : file);
  }
  return files;
}

export function readKustomization(dir: string): Kustomization {
  const path = join(dir, 'kustomization.yaml');
  const [raw] = parseYamlDocuments(readFileSync(path, 'utf8'), path);
  if (!isRecord(raw)) throw new Error(`${path}: not a mapping`);
  const strings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');
  return {
    dir,
    resources: strings(raw['resources']),
    patchPaths: asArray(raw['patches']).flatMap((patch) => (typeof at(patch, 'path') === 'string' ? [at(patch, 'path') as string] : [])),
    generatorFiles: [...generatorSources(raw['secretGenerator']), ...generatorSources(raw['configMapGenerator'])],
    raw,
  };
}

/**
 * The resources of a kustomization and of every kustomization it includes, as written (no
 * patches, namespace or labels applied): what can be checked without a kustomize binary.
 */
export function loadResources(dir: string): K8sObject[] {
  const kustomization = readKustomization(dir);
  const objects: K8sObject[] = [];
  for (const resource of kustomization.resources) {
    const path = join(dir, resource);
    if (existsSync(join(path, 'kustomization.yaml'))) objects.push(...loadResources(path));
    else objects.push(...parseObjects(readFileSync(path, 'utf8'), path));
  }
  return objects;
}

/** Paths a kustomization names that do not exist (resources, patches, generator inputs). */
export function missingReferences(dir: string, materialised: (path: string) => boolean = existsSync): string[] {
  const kustomization = readKustomization(dir);
  const missing: string[] = [];
  for (const resource of kustomization.resources) {
    const path = join(dir, resource);
    if (!existsSync(path)) missing.push(path);
    else if (existsSync(join(path, 'kustomization.yaml'))) missing.push(...missingReferences(path, materialised));
  }
  for (const patch of kustomization.patchPaths) if (!existsSync(join(dir, patch))) missing.push(join(dir, patch));
  for (const file of kustomization.generatorFiles) if (!materialised(join(dir, file))) missing.push(join(dir, file));
  return missing;
}

/** Objects that carry a pod template, with that template. */
export interface Workload {
  readonly object: K8sObject;
  readonly template: Record<string, unknown>;
  readonly longRunning: boolean;
}

export function workloads(objects: readonly K8sObject[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects) {
    const template =
      object.kind === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec', 'template') : ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(object.kind) ? at(object, 'spec', 'template') : undefined;
    if (isRecord(template)) out.push({ object, template, longRunning: ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind) });
  }
  return out;
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly raw: Record<string, unknown>;
}

export function containersOf(template: Record<string, unknown>): Container[] {
  const pick = (field: string, init: boolean): Container[] =>
    asArray(at(template, 'spec', field)).filter(isRecord).map((raw) => ({ name: String(raw['name']), init, raw }));
  return [...pick('initContainers', true), ...pick('containers', false)];
}

export function podLabels(template: Record<string, unknown>): Record<string, string> {
  return asStringRecord(at(template, 'metadata', 'labels'));
}

export function repoRootFrom(metaUrlDir: string, levels: number): string {
  let dir = metaUrlDir;
  for (let i = 0; i < levels; i += 1) dir = dirname(dir);
  return dir;
}
