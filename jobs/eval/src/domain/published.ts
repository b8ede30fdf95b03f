import { METRIC_NAMES, type MetricName, type Metrics } from './metrics.js';

/**
 * What a dataset's README publishes (pure parsing of its text): the full-ranking table
 * (`| model | HR@5 | NDCG@5 | … |`) and the two popularity sanity rows, "popularity counted over all
 * interactions … gives exactly HR@5 .0080, …" (leaky) and "leak-free popularity … gives HR@5 .0077, …".
 */
export interface PublishedRow {
  readonly model: string;
  readonly metrics: Metrics;
}

export interface PublishedResults {
  readonly table: readonly PublishedRow[];
  /** The published PopRec row (popularity over all interactions, ties → higher id first). */
  readonly leakyPopularity: Metrics | undefined;
  /** Popularity over s[:-1] only, same tie rule. */
  readonly leakFreePopularity: Metrics | undefined;
}

export const noPublishedResults: PublishedResults = Object.freeze({ table: [], leakyPopularity: undefined, leakFreePopularity: undefined });

const numberCell = /^\.?\d*\.?\d+$/;

export function parsePublishedResults(readme: string): PublishedResults {
  return { table: parseTable(readme), leakyPopularity: sanityRow(readme, /counted over all interactions/i), leakFreePopularity: sanityRow(readme, /leak-free popularity/i) };
}

function parseTable(readme: string): PublishedRow[] {
  const lines = readme.split('\n').map((line) => line.trim());
  const header = lines.findIndex((line) => line.startsWith('|') && METRIC_NAMES.every((name) => line.includes(name)));
  if (header < 0) return [];
  const columns = cells(lines[header] ?? '');
  const rows: PublishedRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const values = cells(line);
    const metrics = {} as Record<MetricName, number>;
    let complete = true;
    for (const name of METRIC_NAMES) {
      const text = values[columns.indexOf(name)];
      if (text === undefined || !numberCell.test(text)) complete = false;
      else metrics[name] = Number(text.startsWith('.') ? `0${text}` : text);
    }
    if (complete && values[0] !== undefined) rows.push({ model: values[0], metrics });
  }
  return rows;
}

const cells = (line: string): string[] => line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());

/** The paragraph (bullet) matching `marker`, its `NAME value` pairs read in any order. */
function sanityRow(readme: string, marker: RegExp): Metrics | undefined {
  const paragraph = readme.split(/\n(?=\s*[-*] )|\n\s*\n/).find((part) => marker.test(part));
  if (paragraph === undefined) return undefined;
  const metrics = {} as Record<MetricName, number>;
  for (const name of METRIC_NAMES) {
    const match = new RegExp(`${name}\\s+(\\d*\\.\\d+)`).exec(paragraph);
    if (match?.[1] === undefined) return undefined;
    metrics[name] = Number(match[1].startsWith('.') ? `0${match[1]}` : match[1]);
  }
  return metrics;
}
