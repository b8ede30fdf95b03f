import { FEATURE_DEFINITIONS, FeatureFamily, type FeatureDefinition } from './ranking-features.js';

/** Gain importance per feature name, from a trained model's run report (optional). */
export type FeatureImportance = Readonly<Record<string, number>>;

const FAMILY_TITLES: Readonly<Record<FeatureFamily, string>> = {
  [FeatureFamily.Recall]: 'Recall (per candidate, from the channel lists of the request)',
  [FeatureFamily.User]: 'User',
  [FeatureFamily.Item]: 'Item',
  [FeatureFamily.Cross]: 'User × item',
  [FeatureFamily.Context]: 'Request context',
};

const escape = (text: string): string => text.replaceAll('|', '\\|');

/**
 * docs/features.md: one line per feature (name, meaning, source, window/decay, unit), grouped by family,
 * with the gain share of each feature in a trained model when its importance is given. Generated, never
 * edited by hand: `npm run model -- features-doc` (a test keeps the committed file in step).
 */
export function renderFeaturesDoc(importance?: { readonly model: string; readonly gain: FeatureImportance }, definitions: readonly FeatureDefinition[] = FEATURE_DEFINITIONS): string {
  const totalGain = importance === undefined ? 0 : Object.values(importance.gain).reduce((sum, value) => sum + Math.max(0, value), 0);
  const counts = Object.values(FeatureFamily).map((family) => `${definitions.filter((definition) => definition.family === family).length} ${family}`);
  const lines = [
    '# Ranking features',
    '',
    '<!-- Generated from packages/ranking/src/ranking-features.ts by `npm run model -- features-doc`; do not edit. -->',
    '',
    `${definitions.length} features (${counts.join(', ')}). The list in \`packages/ranking/src/ranking-features.ts\` is the`,
    'contract between serving (services/api computes them at request time from the stream processors\' state),',
    'the exposure log (every answer logs the vector it was ranked with, with the names) and training',
    '(jobs/retrain learns from the logged vectors): names are only ever added, never renamed or redefined.',
    'A model lists the subset it uses, in its own column order; the API computes only what it can and',
    'refuses a model that names an unknown feature.',
    '',
    importance === undefined
      ? 'Importance: run `npm run model -- features-doc --model ranker` after a trained model is published to add each feature\'s share of the gain.'
      : `Importance: share of the total split gain in \`${importance.model}\` (blank: unused by that model).`,
  ];
  for (const family of Object.values(FeatureFamily)) {
    const rows = definitions.filter((definition) => definition.family === family);
    if (rows.length === 0) continue;
    lines.push('', `## ${FAMILY_TITLES[family]}`, '', `| feature | meaning | source | window / decay | unit |${importance === undefined ? '' : ' gain share |'}`, `|---|---|---|---|---|${importance === undefined ? '' : '---:|'}`);
    for (const definition of rows) {
      const gain = importance?.gain[definition.name];
      const share = gain === undefined || totalGain === 0 ? '' : `${((100 * gain) / totalGain).toFixed(1)} %`;
      lines.push(`| \`${definition.name}\` | ${escape(definition.meaning)} | ${escape(definition.source)} | ${escape(definition.window)} | ${escape(definition.unit)} |${importance === undefined ? '' : ` ${share} |`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
