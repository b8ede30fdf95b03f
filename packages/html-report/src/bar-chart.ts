import { coordinate as c, html, type SafeHtml } from './escape.js';
import { linearScale, shortNumber } from './scale.js';
import { chartFigure, clip, emptyPlot, horizontalMarkers, textWidth, valueAxisX, valueAxisY, verticalMarkers, type Marker, type Plot } from './svg.js';
import type { ValueFormat } from './line-chart.js';
import { CHART, TONE_COLOURS, type Tone } from './theme.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly tone?: Tone;
}

export interface BarChartSpec {
  readonly title: string;
  readonly caption?: string;
  /** `horizontal`: one row per category, labels on the left (long labels, many bars); `vertical`: columns. */
  readonly orientation: 'horizontal' | 'vertical';
  readonly bars: readonly Bar[];
  readonly valueLabel: string;
  readonly valueFormat?: ValueFormat;
  /** Threshold lines across the value axis. */
  readonly markers?: readonly Marker[];
  readonly height?: number;
}

/** A categorical bar chart; each bar is labelled with its value, coloured by its tone (neutral by default). */
export function barChart(spec: BarChartSpec): SafeHtml {
  return spec.orientation === 'horizontal' ? horizontal(spec) : vertical(spec);
}

const format = (spec: BarChartSpec) => (value: number): string => shortNumber(value, spec.valueFormat === 'percent' ? '%' : '');

function finiteBars(bars: readonly Bar[]): Bar[] {
  return bars.map((bar) => ({ ...bar, value: Number.isFinite(bar.value) ? bar.value : 0 }));
}

function horizontal(spec: BarChartSpec): SafeHtml {
  const bars = finiteBars(spec.bars);
  const labelChars = Math.min(34, Math.max(4, ...bars.map((bar) => bar.label.length)));
  const left = 16 + textWidth('x'.repeat(labelChars));
  const rowHeight = 24;
  const height = spec.height ?? Math.max(140, 44 + bars.length * rowHeight + 50);
  const plot: Plot = { left, right: CHART.width - 60, top: 44, bottom: height - 46 };
  if (bars.length === 0) return chartFigure({ title: spec.title, caption: spec.caption, height, kind: 'bar', children: [emptyPlot(plot, 'no data')] });
  const values = [...bars.map((bar) => bar.value), ...(spec.markers ?? []).map((marker) => marker.value)];
  const scale = linearScale(Math.min(0, ...values), Math.max(...values), plot.left, plot.right, 6);
  const band = (plot.bottom - plot.top) / bars.length;
  const zero = scale.at(0);
  const rects = bars.map((bar, index) => {
    const y = plot.top + index * band + band * 0.15;
    const x = Math.min(zero, scale.at(bar.value));
    const width = Math.abs(scale.at(bar.value) - zero);
    const colour = TONE_COLOURS[bar.tone ?? 'neutral'];
    return html`<g class="bar"><title>${bar.label}: ${format(spec)(bar.value)}</title><text x="${c(plot.left - 6)}" y="${c(y + band * 0.35 + 4)}" text-anchor="end" fill="#1f2328">${clip(bar.label, labelChars)}</text><rect x="${c(x)}" y="${c(y)}" width="${c(Math.max(width, 0.5))}" height="${c(band * 0.7)}" fill="${colour}"/><text x="${c(x + width + 4)}" y="${c(y + band * 0.35 + 4)}" fill="#3d444d">${format(spec)(bar.value)}</text></g>`;
  });
  const markers = (spec.markers ?? []).map((marker) => ({ x: scale.at(marker.value), label: marker.label, tone: marker.tone ?? 'muted' }));
  return chartFigure({
    title: spec.title,
    caption: spec.caption,
    height,
    kind: 'bar',
    children: [valueAxisX(scale, plot, format(spec), spec.valueLabel), html`<g class="plot">${rects}</g>`, verticalMarkers(markers, plot)],
  });
}

function vertical(spec: BarChartSpec): SafeHtml {
  const bars = finiteBars(spec.bars);
  const height = spec.height ?? CHART.height;
  const plot: Plot = { left: 64, right: CHART.width - 20, top: 44, bottom: height - 56 };
  if (bars.length === 0) return chartFigure({ title: spec.title, caption: spec.caption, height, kind: 'bar', children: [emptyPlot(plot, 'no data')] });
  const values = [...bars.map((bar) => bar.value), ...(spec.markers ?? []).map((marker) => marker.value)];
  const scale = linearScale(Math.min(0, ...values), Math.max(...values), plot.bottom, plot.top, 5);
  const band = (plot.right - plot.left) / bars.length;
  const labelChars = Math.max(3, Math.floor(band / (CHART.font * 0.58)) - 1);
  const zero = scale.at(0);
  const rects = bars.map((bar, index) => {
    const x = plot.left + index * band + band * 0.15;
    const y = Math.min(zero, scale.at(bar.value));
    const barHeight = Math.abs(scale.at(bar.value) - zero);
    const colour = TONE_COLOURS[bar.tone ?? 'neutral'];
    const centre = x + band * 0.35;
    return html`<g class="bar"><title>${bar.label}: ${format(spec)(bar.value)}</title><rect x="${c(x)}" y="${c(y)}" width="${c(band * 0.7)}" height="${c(Math.max(barHeight, 0.5))}" fill="${colour}"/><text x="${c(centre)}" y="${c(y - 4)}" text-anchor="middle" fill="#3d444d">${format(spec)(bar.value)}</text><text x="${c(centre)}" y="${c(plot.bottom + 16)}" text-anchor="middle" fill="#1f2328">${clip(bar.label, labelChars)}</text></g>`;
  });
  const markers = (spec.markers ?? []).map((marker) => ({ y: scale.at(marker.value), label: marker.label, tone: marker.tone ?? 'muted' }));
  return chartFigure({
    title: spec.title,
    caption: spec.caption,
    height,
    kind: 'bar',
    children: [valueAxisY(scale, plot, format(spec), spec.valueLabel), html`<g class="plot">${rects}</g>`, horizontalMarkers(markers, plot)],
  });
}
