import type { ChainableCommander } from 'ioredis';
import { AppError, ErrorCode } from '@streamrec/foundation';

/** Runs a pipeline; any failed command or a dropped connection is one retriable dependency error. */
export async function execPipeline(pipeline: ChainableCommander, what: string): Promise<unknown[]> {
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (cause) {
    throw new AppError(ErrorCode.DependencyUnavailable, `${what}: Redis failed`, { retriable: true, cause });
  }
  if (replies === null) throw new AppError(ErrorCode.DependencyUnavailable, `${what}: no reply from Redis`, { retriable: true });
  const failed = replies.find(([error]) => error !== null)?.[0];
  if (failed !== undefined && failed !== null) throw new AppError(ErrorCode.DependencyUnavailable, `${what}: ${failed.message}`, { retriable: true, cause: failed });
  return replies.map(([, reply]) => reply);
}

export function asStrings(reply: unknown): string[] {
  return Array.isArray(reply) ? (reply as unknown[]).map(String) : [];
}

export function asNumber(reply: unknown): number {
  const value = Number(reply ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** `HGETALL` reply → numbers (non-numeric fields dropped). */
export function numericHash(reply: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  if (reply === null || typeof reply !== 'object') return result;
  for (const [field, value] of Object.entries(reply as Record<string, unknown>)) {
    const number = Number(value);
    if (Number.isFinite(number)) result[field] = number;
  }
  return result;
}
