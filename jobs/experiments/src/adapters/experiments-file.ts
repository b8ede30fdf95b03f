import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parseExperimentsYaml } from '@streamrec/api';
import type { ConfiguredSplit } from '../domain/srm.js';

/**
 * The configured splits, read with the API's own parser (the same schema, the same errors), so the
 * readout checks users against exactly the shares the API buckets by.
 */
export async function loadSplits(file: string): Promise<ConfiguredSplit[]> {
  const path = isAbsolute(file) ? file : resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError(ErrorCode.ConfigInvalid, `cannot read the experiments config ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return parseExperimentsYaml(text, path).experiments.map((experiment) => ({
    id: experiment.id,
    enabled: experiment.enabled,
    variants: experiment.variants.map((variant) => ({ name: variant.name, share: variant.share })),
  }));
}
