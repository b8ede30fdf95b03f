import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * The one way the API reads an operator-edited YAML file (experiments, API keys): syntax errors
 * with line and column, then every schema violation with its path, so one edit fixes them all.
 */
export type YamlValidation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly violations: readonly string[] };

export function validateYaml<Schema extends z.ZodType>(schema: Schema, text: string): YamlValidation<z.output<Schema>> {
  // uniqueKeys (the default) makes a repeated mapping key a syntax error instead of a silent overwrite.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return { ok: false, violations: document.errors.map((error) => yamlErrorLine(error.message, error.linePos?.[0])) };
  }
  const result = schema.safeParse(document.toJS({ maxAliasCount: 100 }) ?? {});
  if (!result.success) {
    return { ok: false, violations: result.error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`) };
  }
  return { ok: true, value: result.data };
}

/** `experiments[0].variants[1].share`; `(root)` for the document itself. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let formatted = '';
  for (const segment of path) {
    if (typeof segment === 'number') formatted += `[${segment}]`;
    else formatted += formatted === '' ? String(segment) : `.${String(segment)}`;
  }
  return formatted;
}

/** The coded error a caller throws when a file cannot be used; `details.violations` lists each problem. */
export function invalidYamlError(what: string, source: string, violations: readonly string[]): AppError {
  return new AppError(ErrorCode.ConfigInvalid, `invalid ${what} in ${source}:\n  - ${violations.join('\n  - ')}`, {
    details: { source, violations: [...violations] },
  });
}

function yamlErrorLine(message: string, position: { line: number; col: number } | undefined): string {
  // prettyErrors appends " at line L, column C:" and a code excerpt; keep the first sentence and say where.
  const [firstLine = message] = message.split('\n');
  const reason = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  return position === undefined ? `YAML syntax: ${reason}` : `line ${position.line}, column ${position.col}: YAML syntax: ${reason}`;
}
