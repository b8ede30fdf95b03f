import { coordinate as c, html, type SafeHtml } from './escape.js';
import { linearScale, shortNumber, timeLabel, timeTicks, type Scale } from './scale.js';
import { chartFigure, emptyPlot, legend, valueAxisX, valueAxisY, type Plot } from './svg.js';
import { CHART, TONE_COLOURS, seriesColour, type Tone } from './theme.js';

export type ValueFormat = 'number' | 'percent';

export interface LineSeries {
  readonly name: string;
  /** x: epoch milliseconds on a time axis, else a number; points whose y is not finite break the line. */
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly dashed?: boolean;
  /** A fixed colour (e.g. one per source across reports); default: the palette in series order. */
  readonly colour?: string;
}

export interface IntervalArea {
  readonly name: string;
  /** Points whose low or high is not finite break the area. */
  readonly points: readonly { readonly x: number; readonly low: number; readonly high: number }[];
  readonly colour?: string;
}

export interface LineChartSpec {
  readonly title: string;
  readonly caption?: string;
  /** `time`: x is UTC epoch ms, ticks on whole hours/days; `number`: a linear axis with a title. */
  readonly x: { readonly kind: 'time'; readonly label?: string } | { readonly kind: 'number'; readonly label: string; readonly format?: ValueFormat };
  readonly yLabel: string;
  readonly yFormat?: ValueFormat;
  readonly series: readonly LineSeries[];
  /** Shaded areas between `low` and `high` (e.g. a confidence interval around a series), drawn behind the lines. */
  readonly intervals?: readonly IntervalArea[];
  /** Shaded x ranges behind the lines (e.g. gaps), labelled at the top. */
  readonly bands?: readonly { readonly from: number; readonly to: number; readonly label: string; readonly tone?: Tone }[];
  readonly height?: number;
}

const formatter = (format: ValueFormat | undefined) => (value: number): string => shortNumber(value, format === 'percent' ? '%' : '');

/** A multi-series line chart with a legend, axis ticks and titles; markers on each point when there are few. */
export function lineChart(spec: LineChartSpec): SafeHtml {
  const height = spec.height ?? CHART.height;
  const intervals = spec.intervals ?? [];
  const key = legend(
    [
      ...spec.series.map((series, index) => ({ label: series.name, colour: series.colour ?? seriesColour(index), dashed: series.dashed ?? false })),
      ...intervals.map((area, index) => ({ label: area.name, colour: area.colour ?? seriesColour(index), dashed: false, area: true })),
    ],
    64,
    44,
    CHART.width - 80,
  );
  const plot: Plot = { left: 64, right: CHART.width - 20, top: 44 + key.height + 4, bottom: height - 46 };
  const areaPoints = intervals.flatMap((area) => area.points.filter(isFiniteInterval).flatMap((point) => [{ x: point.x, y: point.low }, { x: point.x, y: point.high }]));
  const points = [...spec.series.flatMap((series) => series.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y))), ...areaPoints];
  if (points.length === 0) return chartFigure({ title: spec.title, caption: spec.caption, height, kind: 'line', children: [key.markup, emptyPlot(plot, 'no data')] });

  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const yScale = linearScale(Math.min(0, ...ys), Math.max(...ys), plot.bottom, plot.top);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  let xScale: Scale;
  let xAxis: SafeHtml;
  if (spec.x.kind === 'time') {
    const span = xMax - xMin === 0 ? 1 : xMax - xMin;
    const at = (value: number): number => plot.left + ((value - xMin) / span) * (plot.right - plot.left);
    const { ticks, stepMs } = timeTicks(xMin, xMax, 10);
    xScale = { at, ticks, domain: [xMin, xMax] };
    xAxis = timeAxis(xScale, stepMs, plot, spec.x.label ?? 'time (UTC)');
  } else {
    xScale = linearScale(xMin, xMax, plot.left, plot.right, 8);
    xAxis = valueAxisX(xScale, plot, formatter(spec.x.format), spec.x.label);
  }

  const bands = (spec.bands ?? [])
    .filter((band) => Number.isFinite(band.from) && Number.isFinite(band.to) && band.to > band.from)
    .map((band) => {
      const x1 = Math.max(plot.left, xScale.at(band.from));
      const x2 = Math.min(plot.right, xScale.at(band.to));
      const colour = TONE_COLOURS[band.tone ?? 'muted'];
      return html`<g class="band"><rect x="${c(x1)}" y="${c(plot.top)}" width="${c(Math.max(x2 - x1, 1))}" height="${c(plot.bottom - plot.top)}" fill="${colour}" fill-opacity="0.12"/><text x="${c((x1 + x2) / 2)}" y="${c(plot.top + 14)}" text-anchor="middle" fill="${colour}" font-weight="600">${band.label}</text></g>`;
    });
  const lines = spec.series.map((series, index) => {
    const colour = series.colour ?? seriesColour(index);
    const path = pathData(series.points, xScale, yScale);
    const finite = series.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
    const dots = finite.length <= 60 ? finite.map((point) => html`<circle cx="${c(xScale.at(point.x))}" cy="${c(yScale.at(point.y))}" r="2.5" fill="${colour}"/>`) : [];
    return html`<g class="series" data-series="${series.name}"><path d="${path}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"${series.dashed === true ? html` stroke-dasharray="6 4"` : ''}/>${dots}</g>`;
  });
  return chartFigure({
    title: spec.title,
    caption: spec.caption,
    height,
    kind: 'line',
    children: [
      key.markup,
      valueAxisY(yScale, plot, formatter(spec.yFormat), spec.yLabel),
      xAxis,
      html`<g class="bands">${bands}</g>`,
      html`<g class="intervals">${intervals.map((area, index) => areaMarkup(area, area.colour ?? seriesColour(index), xScale, yScale))}</g>`,
      html`<g class="plot">${lines}</g>`,
    ],
  });
}

const isFiniteInterval = (point: { readonly x: number; readonly low: number; readonly high: number }): boolean => Number.isFinite(point.x) && Number.isFinite(point.low) && Number.isFinite(point.high);

/** One closed path per run of finite points: along the highs left to right, back along the lows. */
function areaMarkup(area: IntervalArea, colour: string, xScale: Scale, yScale: Scale): SafeHtml {
  const runs: { x: number; low: number; high: number }[][] = [[]];
  for (const point of [...area.points].sort((a, b) => a.x - b.x)) {
    if (isFiniteInterval(point)) runs.at(-1)?.push(point);
    else if ((runs.at(-1)?.length ?? 0) > 0) runs.push([]);
  }
  const paths = runs
    .filter((run) => run.length > 0)
    .map((run) => {
      const upper = run.map((point, index) => `${index === 0 ? 'M' : 'L'}${c(xScale.at(point.x))} ${c(yScale.at(point.high))}`);
      const lower = [...run].reverse().map((point) => `L${c(xScale.at(point.x))} ${c(yScale.at(point.low))}`);
      return html`<path d="${[...upper, ...lower, 'Z'].join(' ')}" fill="${colour}" fill-opacity="0.18" stroke="${colour}" stroke-opacity="0.35" stroke-width="1"/>`;
    });
  return html`<g class="interval" data-interval="${area.name}">${paths}</g>`;
}

/** SVG path data; a non-finite y lifts the pen, so a missing hour shows as a break, never as NaN. */
export function pathData(points: readonly { readonly x: number; readonly y: number }[], xScale: Scale, yScale: Scale): string {
  const parts: string[] = [];
  let penDown = false;
  for (const point of [...points].sort((a, b) => a.x - b.x)) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
      penDown = false;
      continue;
    }
    parts.push(`${penDown ? 'L' : 'M'}${c(xScale.at(point.x))} ${c(yScale.at(point.y))}`);
    penDown = true;
  }
  return parts.join(' ');
}

function timeAxis(scale: Scale, stepMs: number, plot: Plot, label: string): SafeHtml {
  const ticks = scale.ticks.map((tick, index) => {
    const x = scale.at(tick);
    const text = timeLabel(tick, stepMs, index === 0);
    // A label centred on a tick at the right end would be cut off by the chart's edge.
    const anchor = plot.right - x < 32 ? 'end' : 'middle';
    return html`<g class="tick"><line x1="${c(x)}" y1="${c(plot.top)}" x2="${c(x)}" y2="${c(plot.bottom)}" stroke="#eef1f4"/><line x1="${c(x)}" y1="${c(plot.bottom)}" x2="${c(x)}" y2="${c(plot.bottom + 4)}" stroke="#8c959f"/><text x="${c(x)}" y="${c(plot.bottom + 16)}" text-anchor="${anchor}" fill="#59636e">${text.line}</text>${text.date === undefined ? '' : html`<text x="${c(x)}" y="${c(plot.bottom + 29)}" text-anchor="${anchor}" fill="#59636e" font-size="11">${text.date}</text>`}</g>`;
  });
  return html`<g class="axis axis-x">${ticks}<line x1="${c(plot.left)}" y1="${c(plot.bottom)}" x2="${c(plot.right)}" y2="${c(plot.bottom)}" stroke="#8c959f"/><text class="axis-label" x="${c(plot.right)}" y="${c(plot.bottom + 42)}" text-anchor="end" fill="#3d444d">${label}</text></g>`;
}
