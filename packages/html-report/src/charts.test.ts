import { describe, expect, it } from 'vitest';
import { barChart, binValues, histogram, lineChart } from './index.js';

const count = (markup: string, pattern: RegExp): number => [...markup.matchAll(pattern)].length;
const pathData = (markup: string): string[] => [...markup.matchAll(/<path d="([^"]*)"/g)].map((match) => match[1] ?? '');
const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 11, 4, 0, 0);

describe('line chart', () => {
  const chart = lineChart({
    title: 'Events per hour',
    x: { kind: 'time' },
    yLabel: 'events',
    series: [
      { name: 'matomo', points: Array.from({ length: 24 }, (_, hour) => ({ x: t0 + hour * HOUR, y: hour * 10 })) },
      { name: '<script>alert(1)</script>', points: [{ x: t0, y: 5 }, { x: t0 + HOUR, y: Number.NaN }, { x: t0 + 2 * HOUR, y: 7 }, { x: t0 + 3 * HOUR, y: 9 }] },
    ],
  }).value;

  it('draws one path per series, a legend entry per series and a marker per finite point', () => {
    expect(count(chart, /<g class="series"/g)).toBe(2);
    expect(count(chart, /<g class="legend-item"/g)).toBe(2);
    expect(count(chart, /<circle /g)).toBe(24 + 3);
  });

  it('escapes a series name in the legend and in attributes', () => {
    expect(chart).not.toContain('<script>');
    expect(chart).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('breaks the line at a missing value instead of writing NaN', () => {
    expect(chart).not.toMatch(/NaN|Infinity/);
    const [, second] = pathData(chart);
    expect(count(second ?? '', /M/g)).toBe(2);
  });

  it('labels both axes: hour ticks with the date at midnight, value ticks and the axis titles', () => {
    expect(chart).toContain('>00:00</text>');
    expect(chart).toContain('>12-04</text>');
    expect(chart).toContain('>time (UTC)</text>');
    expect(chart).toContain('>events</text>');
    expect(chart).toMatch(/<g class="axis axis-y">(<g class="tick">.*?<\/g>){3,}/);
  });

  it('shades a labelled band behind the lines', () => {
    const banded = lineChart({ title: 'Gaps', x: { kind: 'time' }, yLabel: 'events', series: [{ name: 'a', points: [0, 1, 2, 3].map((hour) => ({ x: t0 + hour * HOUR, y: hour === 1 ? 0 : 5 })) }], bands: [{ from: t0 + 0.5 * HOUR, to: t0 + 1.5 * HOUR, label: 'gap 1 h', tone: 'fail' }, { from: 5, to: 4, label: 'backwards' }] }).value;
    expect(count(banded, /<g class="band">/g)).toBe(1);
    expect(banded).toContain('>gap 1 h</text>');
    expect(banded.indexOf('class="bands"')).toBeLessThan(banded.indexOf('class="plot"'));
  });

  it('shades an interval between its lows and highs, broken where a bound is missing, and scales the axis to it', () => {
    const lift = lineChart({
      title: 'Cumulative lift',
      x: { kind: 'time' },
      yLabel: 'lift',
      yFormat: 'percent',
      series: [{ name: 'lift', points: [0, 1, 2, 3].map((hour) => ({ x: t0 + hour * HOUR, y: 0.1 })) }],
      intervals: [{ name: '95 % interval', points: [0, 1, 2, 3].map((hour) => ({ x: t0 + hour * HOUR, low: hour === 1 ? Number.NaN : -0.2, high: 0.9 })) }],
    }).value;
    const area = /<g class="interval"[^>]*>(.*?)<\/g>/.exec(lift)?.[1] ?? '';
    // two runs (hour 0 alone, hours 2–3): two closed paths, each up along the highs and back along the lows
    expect(count(area, /<path /g)).toBe(2);
    expect(count(area, /Z"/g)).toBe(2);
    expect(lift).not.toMatch(/NaN/);
    expect(count(lift, /<g class="legend-item"/g)).toBe(2);
    expect(lift.indexOf('class="intervals"')).toBeLessThan(lift.indexOf('class="plot"'));
    // the axis reaches below the interval's −20 % and above its 90 %, not only the line's 10 %
    expect(lift).toContain('>-25%</text>');
    expect(lift).toContain('>100%</text>');
    // three hours: half-hour ticks; the one at the right end is anchored at its end, not cut off by the edge
    const xAxis = lift.slice(lift.indexOf('class="axis axis-x"'), lift.indexOf('class="axis-label"', lift.indexOf('class="axis axis-x"')));
    expect(xAxis).toContain('>00:30</text>');
    expect(count(xAxis, /text-anchor="end"/g)).toBe(1);
    expect(xAxis).toMatch(/text-anchor="end" fill="#59636e">03:00<\/text>/);
  });

  it('draws a numeric x axis and says so when there is nothing to plot', () => {
    const lorenz = lineChart({ title: 'Lorenz', x: { kind: 'number', label: 'share of items', format: 'percent' }, yLabel: 'share', yFormat: 'percent', series: [{ name: 'items', points: [{ x: 0, y: 0 }, { x: 0.5, y: 0.2 }, { x: 1, y: 1 }] }] }).value;
    expect(lorenz).toContain('>40%</text>');
    expect(lorenz).toContain('>share of items</text>');
    const empty = lineChart({ title: 'Empty', x: { kind: 'time' }, yLabel: 'events', series: [{ name: 'a', points: [] }] }).value;
    expect(empty).toContain('>no data</text>');
    expect(empty).not.toContain('<path');
  });
});

describe('bar chart', () => {
  it('draws one toned bar per category with its value, horizontally', () => {
    const chart = barChart({
      title: 'Dead letters',
      orientation: 'horizontal',
      valueLabel: 'records',
      bars: [{ label: 'normalize / unmapped_url', value: 12, tone: 'warn' }, { label: 'features / <img src=x>', value: 3 }, { label: 'sink', value: Number.NaN }],
      markers: [{ value: 10, label: 'fail above 10', tone: 'fail' }],
    }).value;
    expect(count(chart, /<g class="bar">/g)).toBe(3);
    expect(chart).toContain('fill="#b35c00"');
    expect(chart).toContain('&lt;img src=x&gt;');
    expect(chart).not.toContain('<img');
    expect(chart).not.toMatch(/NaN/);
    expect(chart).toContain('>fail above 10</text>');
    expect(chart).toContain('>records</text>');
  });

  it('draws columns with their labels under them, vertically', () => {
    const chart = barChart({ title: 'Delay', orientation: 'vertical', valueLabel: 'events', valueFormat: 'percent', bars: ['<1 s', '1–10 s', '>1 h'].map((label, index) => ({ label, value: index / 10 })) }).value;
    expect(count(chart, /<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#0072B2"\/>/g)).toBe(3);
    expect(chart).toContain('>&lt;1 s</text>');
    expect(chart).toContain('>20%</text>');
  });
});

describe('histogram', () => {
  it('bins values with equal widths and keeps every value', () => {
    const bins = binValues([1, 2, 2, 3, 4, 10], { count: 3 });
    expect(bins.map((bin) => bin.count)).toEqual([4, 1, 1]);
    expect(bins[0]?.from).toBe(1);
    expect(bins.at(-1)?.to).toBe(10);
    expect(binValues([5, 5, 5])).toEqual([{ from: 4.5, to: 5.5, count: 3 }]);
  });

  it('bins in log10 for skewed values and drops the ones ≤ 0', () => {
    const bins = binValues([0, 1, 10, 100, 1000], { count: 3, scale: 'log' });
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
    expect(bins[0]?.from).toBeCloseTo(1);
    expect(bins.at(-1)?.to).toBeCloseTo(1000);
  });

  it('draws a bar per bin and a labelled line per threshold, naming the ones off a log axis', () => {
    const chart = histogram({
      title: 'Prices',
      xLabel: 'price',
      xScale: 'log',
      bins: binValues([10, 20, 30, 40, 50, 99_999], { count: 5, scale: 'log' }),
      markers: [
        { value: 95, label: 'Q3 + 1.5 IQR', tone: 'warn' },
        { value: -40, label: 'Q1 − 1.5 IQR', tone: 'warn' },
      ],
    }).value;
    expect(count(chart, /<g class="bin">/g)).toBe(5);
    expect(count(chart, /<g class="marker">/g)).toBe(1);
    expect(chart).toContain('Off the axis: Q1 − 1.5 IQR = -40.');
    expect(chart).toContain('>price (log scale)</text>');
    expect(chart).toContain('>10k</text>');
    expect(chart).not.toMatch(/NaN|Infinity/);
  });
});
