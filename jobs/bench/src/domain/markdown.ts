import { SectionStatus, TailKind, type Figure, type Section } from './figures.js';
import { formatDuration, formatNumber } from './format.js';
import type { BenchReport, MachineFacts } from './merge.js';
import type { EffectiveSettings } from './plan.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function verdict(met: boolean | null): string {
  return met === true ? 'yes' : met === false ? '**no**' : '—';
}

function withUnit(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return unit === '×' ? `${formatNumber(value)}×` : `${formatNumber(value)} ${unit}`;
}

function tailCell(figure: Figure): string {
  if (figure.tailKind === TailKind.None || figure.tail === null) return '—';
  const of = figure.samples === null ? '' : ` of ${figure.samples}`;
  return `${withUnit(figure.tail, figure.unit)} (${figure.tailKind}${of})`;
}

function medianCell(figure: Figure): string {
  return `${withUnit(figure.median, figure.unit)}${figure.samples === 1 ? ' (one run)' : ''}`;
}

function machineLines(machine: MachineFacts): string[] {
  const load = (values: readonly number[]): string => values.map((value) => value.toFixed(2)).join(' / ');
  const git = machine.git;
  const tree = git.dirty ? `dirty (${git.changedFiles} changed tracked files` : `clean (no tracked changes`;
  return [
    `- **Machine**: ${machine.cpus} × ${machine.model}, ${formatNumber(machine.memoryGiB)} GiB memory, Node ${machine.node}, ${machine.platform}`,
    `- **Load average** (1 / 5 / 15 min): before ${load(machine.loadAverageBefore)}, after ${load(machine.loadAverageAfter)} — on ${machine.cpus} cores; a load well above the core count means other tenants competed for the CPU`,
    `- **Commit**: \`${git.commit ?? 'unknown'}\`, tree ${tree}, ${git.untrackedFiles} untracked)`,
  ];
}

function settingsLine(settings: EffectiveSettings): string {
  const parts = [
    settings.areas.includes('streams') ? `streams ${formatNumber(settings.streams.events)} interactions × ${settings.streams.runs} runs` : null,
    settings.areas.includes('freshness') ? `freshness ${settings.freshness.samples} commits` : null,
    settings.areas.includes('api') ? `API ${settings.api.runs} × ${settings.api.durationSeconds} s at ${formatNumber(settings.api.rate)} req/s` : null,
  ].filter((part): part is string => part !== null);
  return `- **Settings**: ${settings.quick ? '`--quick` smoke run (fewer events, runs and seconds: not for comparison with full runs); ' : ''}${parts.join('; ')}`;
}

function sectionLines(section: Section): string[] {
  const lines = [`## ${section.title}`, ''];
  if (section.status !== SectionStatus.Ok) {
    lines.push(`**${section.status}**: ${section.reason ?? ''}`, '');
    if (section.rawFile !== null) lines.push(`Raw JSON: [${section.rawFile}](${section.rawFile})`, '');
    return lines;
  }
  lines.push('| figure | median | p99 / slow run | target | met? |', '|---|---:|---:|---|:---:|');
  for (const figure of section.figures) {
    const target = figure.target === null ? '—' : `${figure.target.description}; ${figure.target.detail}`;
    lines.push(`| ${cell(figure.label)} | ${cell(medianCell(figure))} | ${cell(tailCell(figure))} | ${cell(target)} | ${verdict(figure.target?.met ?? null)} |`);
  }
  lines.push('');
  for (const note of section.notes) lines.push(`- ${note}`);
  if (section.notes.length > 0) lines.push('');
  if (section.rawFile !== null) lines.push(`Raw JSON: [${section.rawFile}](${section.rawFile})`, '');
  return lines;
}

/** The human report: machine header, targets at a glance, one table per area, links to the raw JSON. */
export function renderMarkdown(report: BenchReport): string {
  const total = report.phases.reduce((sum, phase) => sum + phase.seconds, 0);
  const lines = [
    `# streamrec benchmarks, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...machineLines(report.machine),
    settingsLine(report.settings),
    `- **Phases**: ${report.phases.map((phase) => `${phase.area} ${formatDuration(phase.seconds)} (${phase.status})`).join(', ')}; ${formatDuration(total)} in all`,
    '',
    '## Targets',
    '',
  ];
  if (report.targets.length === 0) lines.push('No target was measured in this run.', '');
  else {
    lines.push('| area | figure | target | result | met? |', '|---|---|---|---|:---:|');
    for (const target of report.targets) lines.push(`| ${target.area} | ${cell(target.figure)} | ${cell(target.description)} | ${cell(target.detail)} | ${verdict(target.met)} |`);
    lines.push('');
  }
  for (const section of report.sections) lines.push(...sectionLines(section));
  lines.push('Merged figures: [bench.json](bench.json). Medians are over runs; the tail column is the p99 of samples where a run has many (freshness commits, ONNX iterations) and the slowest run where the figure is one number per run (a nearest-rank p99 over fewer than 100 runs is the slowest).', '');
  return lines.join('\n');
}
