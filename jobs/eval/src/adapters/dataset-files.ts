import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { buildDataset, parseItemAttributes, parseSequences, type Dataset } from '../domain/dataset.js';
import { noPublishedResults, parsePublishedResults, type PublishedResults } from '../domain/published.js';

/** `<Name>.txt` + `<Name>_item2attributes.json` (+ an optional README.md with published results). */
export async function readDatasetDir(dir: string): Promise<{ dataset: Dataset; published: PublishedResults; files: { sequences: string; attributes: string } }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `cannot read the dataset directory ${dir}: ${(cause as Error).message}`, { cause });
  }
  const attributes = names.find((name) => name.endsWith('_item2attributes.json'));
  const sequences = attributes === undefined ? undefined : `${attributes.slice(0, -'_item2attributes.json'.length)}.txt`;
  if (attributes === undefined || sequences === undefined || !names.includes(sequences)) {
    throw new AppError(ErrorCode.InvalidArgument, `${dir} must hold <Name>.txt and <Name>_item2attributes.json (found: ${names.join(', ')})`);
  }
  const [sequenceText, attributeText] = await Promise.all([readFile(join(dir, sequences), 'utf8'), readFile(join(dir, attributes), 'utf8')]);
  const readme = names.includes('README.md') ? await readFile(join(dir, 'README.md'), 'utf8') : undefined;
  return {
    dataset: buildDataset(parseSequences(sequenceText), parseItemAttributes(attributeText)),
    published: readme === undefined ? noPublishedResults : parsePublishedResults(readme),
    files: { sequences, attributes },
  };
}
