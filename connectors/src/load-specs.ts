import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parseConnectorSpec, type ConnectorSpec } from './domain/connector-spec.js';

/** Every *.json in the directory (sorted), or just the named files. */
export async function loadConnectorSpecs(configDir: string, files: readonly string[] = []): Promise<ConnectorSpec[]> {
  const paths = files.length > 0 ? files : (await readdir(configDir)).filter((file) => file.endsWith('.json')).sort().map((file) => join(configDir, file));
  const specs: ConnectorSpec[] = [];
  for (const path of paths) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    } catch (cause) {
      throw new AppError(ErrorCode.ConfigInvalid, `cannot read connector file ${path}: ${(cause as Error).message}`, { cause });
    }
    specs.push(parseConnectorSpec(parsed, path));
  }
  return specs;
}
