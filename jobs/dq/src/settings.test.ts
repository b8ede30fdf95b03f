import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ErrorCode } from '@streamrec/foundation';
import { repoRoot } from '@streamrec/foundation/process';
import { CHECK_NAMES } from './domain/catalogue.js';
import { parseSettings } from './settings.js';

const file = join(repoRoot, 'config', 'data-quality.yaml');
const text = readFileSync(file, 'utf8');
const edited = (edit: (document: Record<string, unknown> & { checks: Record<string, Record<string, unknown>> }) => void): string => {
  const document = parse(text) as Record<string, unknown> & { checks: Record<string, Record<string, unknown>> };
  edit(document);
  return stringify(document);
};

describe('config/data-quality.yaml', () => {
  it('is valid and sets thresholds for every check', () => {
    const settings = parseSettings(text, file);
    expect(Object.keys(settings.checks).sort()).toEqual([...CHECK_NAMES].sort());
    expect(Object.isFrozen(settings.checks)).toBe(true);
  });

  it('lists every violation at once, with its path', () => {
    const broken = edited((document) => {
      document['surprise'] = 1;
      delete document.checks['cdc_lag_p95'];
      document.checks['late_events'] = { warn: 0.2, fail: 0.1, weight: 1 };
      document.checks['price_outliers'] = { warn: 2, weight: 1 };
      document.checks['dlq_records'] = { weight: 1 };
      document.checks['event_volume'] = { warn: 1, fail: 10, weight: 1 };
      document['catalogue'] = { scope: 'everything' };
      (document['kafka'] as Record<string, unknown>)['cdc_prefix'] = "cdc'; DROP";
    });
    let violations: string[] = [];
    try {
      parseSettings(broken, 'broken.yaml');
    } catch (error) {
      expect(error).toMatchObject({ code: ErrorCode.ConfigInvalid });
      violations = ((error as { details: { violations: string[] } }).details.violations);
    }
    const paths = violations.map((violation) => violation.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining(['(root)', 'checks.cdc_lag_p95', 'checks.late_events', 'checks.price_outliers.warn', 'checks.dlq_records', 'checks.event_volume', 'catalogue.scope', 'kafka.cdc_prefix']),
    );
    expect(violations.join('\n')).toMatch(/warn \(0\.2\) must be at or below fail \(0\.1\)/);
    expect(violations.join('\n')).toMatch(/warn \(1\) must be at or above fail \(10\)/);
    expect(violations.join('\n')).toMatch(/is a share \(0–1\), got 2/);
    expect(violations.join('\n')).toMatch(/needs a warn or a fail threshold/);
  });

  it('says so when the file is not YAML', () => {
    expect(() => parseSettings('checks: [unclosed', 'x.yaml')).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid, message: expect.stringContaining('x.yaml is not valid YAML') as string }) as Error);
  });
});
