import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileAccess } from '../domain/world.js';

/** Files relative to the repository root. */
export function fileAccess(root: string): FileAccess {
  const at = (path: string): string => resolve(root, path);
  return {
    read: (path) => readFile(at(path), 'utf8'),
    write: async (path, text) => {
      await mkdir(dirname(at(path)), { recursive: true });
      await writeFile(at(path), text);
    },
    exists: (path) =>
      access(at(path)).then(
        () => true,
        () => false,
      ),
    remove: (path) => rm(at(path), { force: true }),
  };
}
