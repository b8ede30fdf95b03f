import { AppError, ErrorCode } from '@streamrec/foundation';

/** A Kafka Connect connector as declared in connectors/config/*.json. */
export interface ConnectorSpec {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

const namePattern = /^[a-z][a-z0-9-]{1,62}$/;

/** Validates the parsed JSON of a connector file; every problem is named with its path. */
export function parseConnectorSpec(value: unknown, source: string): ConnectorSpec {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(source, ['(root): expected an object with "name" and "config"']);
  }
  const record = value as Record<string, unknown>;
  const name = record['name'];
  if (typeof name !== 'string' || !namePattern.test(name)) {
    problems.push(`name: expected a lower-case connector name matching ${namePattern.source}`);
  }
  const config = record['config'];
  const normalised: Record<string, string> = {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    problems.push('config: expected an object of string values');
  } else {
    for (const [key, entry] of Object.entries(config as Record<string, unknown>)) {
      if (typeof entry === 'string') normalised[key] = entry;
      else problems.push(`config.${key}: expected a string (Connect configs are strings), got ${typeof entry}`);
    }
    if (!('connector.class' in normalised)) problems.push('config.connector.class: required');
    for (const [key, entry] of Object.entries(normalised)) {
      if (/password|secret/i.test(key) && !entry.startsWith('${')) {
        problems.push(`config.${key}: secrets must be a config-provider reference such as \${env:NAME}, not a literal`);
      }
    }
  }
  if (problems.length > 0) throw invalid(source, problems);
  return Object.freeze({ name: name as string, config: Object.freeze(normalised) });
}

function invalid(source: string, problems: readonly string[]): AppError {
  return new AppError(ErrorCode.ConfigInvalid, `invalid connector file ${source}:\n  - ${problems.join('\n  - ')}`, {
    details: { problems },
  });
}

export const ApplyAction = { Create: 'create', Update: 'update', Unchanged: 'unchanged' } as const;
export type ApplyAction = (typeof ApplyAction)[keyof typeof ApplyAction];

export interface ApplyPlan {
  readonly action: ApplyAction;
  /** Keys whose value differs, is added or is removed (values are not listed: they may be secrets). */
  readonly changedKeys: readonly string[];
}

/** What applying `desired` over the connector's current config (undefined when absent) would do. */
export function planApply(desired: ConnectorSpec, current: Readonly<Record<string, string>> | undefined): ApplyPlan {
  if (current === undefined) return { action: ApplyAction.Create, changedKeys: Object.keys(desired.config).sort() };
  const wanted: Record<string, string> = { ...desired.config, name: desired.name };
  const keys = new Set([...Object.keys(wanted), ...Object.keys(current)]);
  const changedKeys = [...keys].filter((key) => wanted[key] !== current[key]).sort();
  return { action: changedKeys.length === 0 ? ApplyAction.Unchanged : ApplyAction.Update, changedKeys };
}

/**
 * The tables an update adds to a Debezium connector that keeps only its captured tables' DDL in its schema
 * history (`schema.history.internal.store.only.captured.tables.ddl`): their CREATE TABLE is in no history,
 * so the first change of one fails the task ("whose schema isn't known to this connector") unless the
 * history is recovered first. Include-list expressions, as written; empty for a create or any other update.
 */
export function tablesNewToHistory(desired: ConnectorSpec, current: Readonly<Record<string, string>> | undefined): string[] {
  if (current === undefined) return [];
  if (desired.config['schema.history.internal.store.only.captured.tables.ddl'] !== 'true') return [];
  const before = new Set(includeList(current['table.include.list']));
  return includeList(desired.config['table.include.list']).filter((table) => !before.has(table));
}

/** The expressions of a comma-separated Debezium include list. */
export function includeList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
