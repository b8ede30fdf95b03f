import type { z } from 'zod';
import { AppError, ErrorCode } from '../errors.js';

/**
 * Validate a deployable's configuration once at boot. Every violation is listed (path and
 * message), so an operator fixes them all in one go; the result is deeply frozen.
 */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  deployable: string,
): Readonly<z.infer<Schema>> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const violations = result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `invalid configuration for ${deployable}:\n  - ${violations.join('\n  - ')}`,
      { details: { violations } },
    );
  }
  return deepFreeze(result.data);
}

export function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
