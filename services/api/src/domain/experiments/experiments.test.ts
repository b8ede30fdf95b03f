import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { repoRoot } from '@streamrec/foundation/process';
import { CHANNELS } from '../recall/channels.js';
import { assignVariant, bucketOf, parseExperimentsYaml, validateExperimentsYaml, type ExperimentsConfig } from './experiments.js';

const defaultsYaml = `defaults:
  weights: { transition: 1, cooccurrence: 1, tag: 0.5, industry: 0.4, price_bucket: 0.3, similar_users: 0.6, content: 0.7, trending: 0.2, popular: 0.1 }
  model: ranker
  max_per_industry: 3
`;

function withExperiments(experiments: string): string {
  return `${defaultsYaml}experiments:\n${experiments}`;
}

const fiftyFifty = withExperiments(`  - id: fusion-test
    scenes: [home]
    variants:
      - { name: control, share: 50 }
      - { name: content-boost, share: 50, weights: { content: 1.5 }, model: ranker-v2, max_per_industry: 2 }
`);

function violationsOf(text: string): readonly string[] {
  const validation = validateExperimentsYaml(text);
  if (validation.ok) throw new TypeError('expected the config to be rejected');
  return validation.violations;
}

function shareOf(config: ExperimentsConfig, users: number, scene: string): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (let user = 0; user < users; user++) {
    const { variant } = assignVariant(config, `user-${user}`, scene);
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
  }
  return new Map([...counts].map(([variant, count]) => [variant, (count / users) * 100]));
}

describe('experiments config', () => {
  it('the committed config/experiments.yaml parses and assigns its experiment on the home scene', () => {
    const path = join(repoRoot, 'config', 'experiments.yaml');
    const config = parseExperimentsYaml(readFileSync(path, 'utf8'), path);
    expect(Object.keys(config.defaults.weights).sort()).toEqual([...CHANNELS].sort());
    expect(config.defaults.weights.transition).toBeGreaterThan(config.defaults.weights.popular);
    expect(assignVariant(config, 'u1', 'home').experiment).toBe('fusion-2026-11');
  });

  it('the bucket of a fixed salt and user never changes (pinned across processes and releases)', () => {
    expect([bucketOf('fusion-2026-11', 'u1'), bucketOf('fusion-2026-11', 'user-42'), bucketOf('salt', ''), bucketOf('a', 'ü-ñ')]).toEqual([
      7900, 1741, 391, 6295,
    ]);
  });

  it('a user gets the same variant on every call and after a fresh parse', () => {
    const first = parseExperimentsYaml(fiftyFifty, 'test');
    const second = parseExperimentsYaml(fiftyFifty, 'test');
    for (let user = 0; user < 1_000; user++) {
      const id = `stable-${user}`;
      const variant = assignVariant(first, id, 'home').variant;
      expect(assignVariant(first, id, 'home').variant).toBe(variant);
      expect(assignVariant(second, id, 'home').variant).toBe(variant);
    }
  });

  it('splits 100k users 50/50 within ±1 percentage point', () => {
    const shares = shareOf(parseExperimentsYaml(fiftyFifty, 'test'), 100_000, 'home');
    expect(Math.abs((shares.get('control') ?? 0) - 50)).toBeLessThan(1);
    expect(Math.abs((shares.get('content-boost') ?? 0) - 50)).toBeLessThan(1);
  });

  it('splits 100k users 20/30/50 within ±1 percentage point', () => {
    const config = parseExperimentsYaml(
      withExperiments(`  - id: three-way
    variants: [{ name: a, share: 20 }, { name: b, share: 30 }, { name: c, share: 50 }]
`),
      'test',
    );
    const shares = shareOf(config, 100_000, 'cart');
    expect(Math.abs((shares.get('a') ?? 0) - 20)).toBeLessThan(1);
    expect(Math.abs((shares.get('b') ?? 0) - 30)).toBeLessThan(1);
    expect(Math.abs((shares.get('c') ?? 0) - 50)).toBeLessThan(1);
  });

  it('a variant merges its weights over the defaults and overrides model and diversity cap', () => {
    const config = parseExperimentsYaml(fiftyFifty, 'test');
    const boosted = config.experiments[0]!.variants[1]!.assignment;
    expect(boosted).toMatchObject({ experiment: 'fusion-test', variant: 'content-boost', modelName: 'ranker-v2', maxPerIndustry: 2 });
    expect(boosted.weights).toEqual({ ...config.defaults.weights, content: 1.5 });
    expect(config.experiments[0]!.variants[0]!.assignment).toMatchObject({ modelName: 'ranker', maxPerIndustry: 3, weights: config.defaults.weights });
    expect(Object.isFrozen(boosted.weights)).toBe(true);
  });

  it('a scene outside the filter gets the defaults with experiment and variant null', () => {
    const config = parseExperimentsYaml(fiftyFifty, 'test');
    expect(assignVariant(config, 'u1', 'cart')).toEqual({ experiment: null, variant: null, weights: config.defaults.weights, modelName: 'ranker', maxPerIndustry: 3, candidates: config.defaults.candidates });
  });

  it('a disabled experiment is skipped and the next matching one assigns', () => {
    const config = parseExperimentsYaml(
      withExperiments(`  - id: off
    enabled: false
    variants: [{ name: only, share: 100 }]
  - id: on
    salt: other-salt
    variants: [{ name: only, share: 100 }]
`),
      'test',
    );
    expect(assignVariant(config, 'u1', 'home')).toMatchObject({ experiment: 'on', variant: 'only' });
    expect(config.experiments[1]!.salt).toBe('other-salt');
    expect(config.experiments[0]!.salt).toBe('off');
  });

  it('candidates default to 100 per channel unless listed', () => {
    const config = parseExperimentsYaml(`${defaultsYaml}  candidates: { transition: 300, popular: 0 }\n`, 'test');
    expect(config.defaults.candidates).toMatchObject({ transition: 300, popular: 0, content: 100 });
    expect(config.experiments).toEqual([]);
  });
});

describe('experiments config validation', () => {
  it('a YAML syntax error names its line and column and throws REC_CONFIG_INVALID naming the file', () => {
    const text = `${defaultsYaml}experiments:\n  - id: broken\n    variants: [{ name: a, share: 100 }\n`;
    expect(violationsOf(text)[0]).toMatch(/^line \d+, column \d+: YAML syntax: /);
    let thrown: unknown;
    try {
      parseExperimentsYaml(text, '/etc/streamrec/experiments.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown, ErrorCode.ConfigInvalid)).toBe(true);
    expect((thrown as Error).message).toContain('/etc/streamrec/experiments.yaml');
  });

  it('a repeated key is a syntax error, not a silent overwrite', () => {
    expect(violationsOf(`${defaultsYaml}  model: other\n`)[0]).toMatch(/^line 5, column 3: YAML syntax: Map keys must be unique/);
  });

  it('lists every violation of the defaults at once, with its path', () => {
    const violations = violationsOf(`defaults:
  weights: { transition: -1, cooccurrence: .inf, tag: x, industry: 1, price_bucket: 1, similar_users: 1, content: 1, trending: 1, colour: 2 }
  max_per_industry: 0
  surprise: true
`);
    expect(violations).toEqual(
      expect.arrayContaining([
        'defaults.weights.transition: must be a finite number ≥ 0',
        'defaults.weights.cooccurrence: must be a finite number ≥ 0',
        'defaults.weights.tag: must be a finite number ≥ 0',
        'defaults.weights.popular: missing: the defaults need a weight for every channel',
        `defaults.weights: unknown channel "colour"; valid channels: ${CHANNELS.join(', ')}`,
        'defaults.max_per_industry: must be an integer ≥ 1',
        'defaults: Unrecognized key: "surprise"',
      ]),
    );
    expect(violations).toHaveLength(7);
  });

  it('rejects shares that do not sum to 100, with the actual sum', () => {
    expect(violationsOf(withExperiments(`  - id: e\n    variants: [{ name: a, share: 50 }, { name: b, share: 40.5 }]\n`))).toEqual([
      'experiments[0].variants: variant shares must sum to exactly 100, they sum to 90.5',
    ]);
  });

  it('rejects a share with more than two decimals or outside 0..100', () => {
    expect(violationsOf(withExperiments(`  - id: e\n    variants: [{ name: a, share: 33.333 }, { name: b, share: 101 }]\n`))).toEqual([
      'experiments[0].variants[0].share: at most two decimals (shares are split into 10,000 buckets)',
      'experiments[0].variants[1].share: must be a percentage between 0 and 100',
    ]);
  });

  it('accepts shares with two decimals that sum to 100', () => {
    const config = parseExperimentsYaml(withExperiments(`  - id: e\n    variants: [{ name: a, share: 33.33 }, { name: b, share: 33.33 }, { name: c, share: 33.34 }]\n`), 'test');
    expect(config.experiments[0]!.variants.map((variant) => [variant.fromBucket, variant.toBucket])).toEqual([
      [0, 3333],
      [3333, 6666],
      [6666, 10000],
    ]);
  });

  it('rejects duplicate experiment ids and duplicate variant names', () => {
    expect(violationsOf(withExperiments(`  - id: e\n    variants: [{ name: a, share: 100 }]\n  - id: e\n    variants: [{ name: a, share: 50 }, { name: a, share: 50 }]\n`))).toEqual([
      'experiments[1].variants[1].name: duplicate variant name "a"',
      'experiments[1].id: duplicate experiment id "e"',
    ]);
    expect(violationsOf(withExperiments(`  - id: e\n    variants: [{ name: a, share: 100 }]\n  - id: e\n    variants: [{ name: a, share: 100 }]\n`))).toEqual([
      'experiments[1].id: duplicate experiment id "e"',
    ]);
  });

  it('rejects unknown channels in a variant with the valid list, and unknown keys of an experiment', () => {
    expect(
      violationsOf(withExperiments(`  - id: e\n    rollout: 10\n    variants: [{ name: a, share: 100, weights: { contnet: 1 } }]\n`)),
    ).toEqual([`experiments[0].variants[0].weights: unknown channel "contnet"; valid channels: ${CHANNELS.join(', ')}`, 'experiments[0]: Unrecognized key: "rollout"']);
  });

  it('rejects an empty scenes list, a bad scene name, a bad id, an empty variant list and a non-boolean enabled', () => {
    expect(violationsOf(withExperiments(`  - id: Bad Id\n    enabled: yes please\n    scenes: []\n    variants: []\n  - id: f\n    scenes: [Home]\n    variants: [{ name: a, share: 100 }]\n`))).toEqual([
      'experiments[0].id: must be 1–63 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit',
      'experiments[0].enabled: must be true or false',
      'experiments[0].scenes: omit scenes to match every scene; an empty list would match none',
      'experiments[0].variants: an experiment needs at least one variant',
      'experiments[1].scenes[0]: a scene is lower-case snake_case (home, item_detail, cart)',
    ]);
  });

  it('an empty file reports the missing defaults', () => {
    expect(violationsOf('')).toEqual(['defaults: Invalid input: expected object, received undefined']);
  });
});
