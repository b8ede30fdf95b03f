/** Axis arithmetic: linear and log scales, "nice" ticks (1, 2, 5 × 10^k), UTC time ticks, short labels. */

export interface Scale {
  /** Data value → pixel. */
  readonly at: (value: number) => number;
  readonly ticks: readonly number[];
  readonly domain: readonly [number, number];
}

/** Tick values covering [min, max] with about `count` steps of 1, 2, 2.5 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    // all zero (nothing to show): 0–1, not a symmetric range around 0
    if (min === 0) max = 1;
    else {
      const pad = Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
  }
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power);
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = first; value <= max + step * 1e-9 || ticks.length < 2; value += step) {
    ticks.push(Number((Math.round(value / step) * step).toPrecision(12)));
    if (ticks.length > 50) break;
  }
  if ((ticks.at(-1) ?? max) < max) ticks.push(Number(((ticks.at(-1) ?? max) + step).toPrecision(12)));
  return ticks;
}

/** A linear scale over nice ticks that include [min, max], mapped to pixels [from, to]. */
export function linearScale(min: number, max: number, from: number, to: number, count = 5): Scale {
  const ticks = niceTicks(min, max, count);
  const low = ticks[0] ?? 0;
  const high = ticks.at(-1) ?? 1;
  const span = high - low === 0 ? 1 : high - low;
  return { at: (value) => from + ((value - low) / span) * (to - from), ticks, domain: [low, high] };
}

/** A log10 scale over whole decades that include [min, max] (both > 0). */
export function logScale(min: number, max: number, from: number, to: number): Scale {
  const low = Math.floor(Math.log10(Math.max(min, Number.MIN_VALUE)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(max, min))));
  const ticks: number[] = [];
  for (let power = low; power <= high; power += 1) ticks.push(10 ** power);
  return {
    at: (value) => from + ((Math.log10(Math.max(value, 10 ** low)) - low) / (high - low)) * (to - from),
    ticks,
    domain: [10 ** low, 10 ** high],
  };
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/** UTC tick times between min and max (epoch ms), on whole 10 s … days, about `count` of them. */
export function timeTicks(minMs: number, maxMs: number, count = 8): { ticks: number[]; stepMs: number } {
  const span = Math.max(maxMs - minMs, 10 * SECOND);
  const stepMs = TIME_STEPS.find((step) => span / step <= count) ?? TIME_STEPS.at(-1) ?? DAY;
  const ticks: number[] = [];
  for (let tick = Math.ceil(minMs / stepMs) * stepMs; tick <= maxMs; tick += stepMs) ticks.push(tick);
  return { ticks, stepMs };
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A tick label in UTC: "HH:MM" within a day ("HH:MM:SS" for steps under a minute; the date under midnight and the first tick), "MM-DD" beyond. */
export function timeLabel(ms: number, stepMs: number, first: boolean): { line: string; date: string | undefined } {
  const date = new Date(ms);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (stepMs >= DAY) return { line: day.slice(5), date: first ? String(date.getUTCFullYear()) : undefined };
  const line = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}${stepMs < MINUTE ? `:${pad(date.getUTCSeconds())}` : ''}`;
  return { line, date: first || date.getUTCHours() === 0 ? day.slice(5) : undefined };
}

/** A short number for axes and labels: 1.2k, 3.4M, 0.05, 12%; never NaN. */
export function shortNumber(value: number, unit: '' | '%' = ''): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === '%') return `${trim((value * 100).toPrecision(3))}%`;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${trim((value / 1e9).toPrecision(3))}G`;
  if (magnitude >= 1e6) return `${trim((value / 1e6).toPrecision(3))}M`;
  if (magnitude >= 1e3) return `${trim((value / 1e3).toPrecision(3))}k`;
  if (magnitude >= 100 || value === 0) return String(Math.round(value));
  return trim(value.toPrecision(3));
}

function trim(text: string): string {
  if (text.includes('e')) return String(Number(text));
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
