import { coordinate as c, html, type SafeHtml } from './escape.js';
import { linearScale, logScale, shortNumber, type Scale } from './scale.js';
import { chartFigure, emptyPlot, valueAxisX, valueAxisY, verticalMarkers, type Marker, type Plot } from './svg.js';
import { CHART, TONE_COLOURS, type Tone } from './theme.js';

/** A bin [from, to) with its count; the last bin includes its upper edge. */
export interface Bin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly tone?: Tone;
}

export interface HistogramSpec {
  readonly title: string;
  readonly caption?: string;
  readonly bins: readonly Bin[];
  readonly xLabel: string;
  readonly yLabel?: string;
  /** `log`: a log10 x axis (skewed values such as prices); bins and markers must then be > 0. */
  readonly xScale?: 'linear' | 'log';
  /** Thresholds drawn as labelled dashed lines (fences, limits); those off the axis are named in the caption. */
  readonly markers?: readonly Marker[];
  readonly height?: number;
}

/**
 * Equal-width bins over the values (equal width in log10 for `log`, which drops values ≤ 0). Sturges'
 * rule picks the count unless given.
 */
export function binValues(values: readonly number[], options: { readonly count?: number; readonly scale?: 'linear' | 'log' } = {}): Bin[] {
  const log = options.scale === 'log';
  const usable = values.filter((value) => Number.isFinite(value) && (!log || value > 0)).map((value) => (log ? Math.log10(value) : value));
  if (usable.length === 0) return [];
  const min = Math.min(...usable);
  const max = Math.max(...usable);
  const count = Math.max(1, Math.min(200, Math.round(options.count ?? Math.ceil(Math.log2(usable.length) + 1))));
  const width = max === min ? 1 : (max - min) / count;
  const counts = new Array<number>(max === min ? 1 : count).fill(0);
  for (const value of usable) {
    const index = Math.min(counts.length - 1, Math.floor((value - min) / width));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  const edge = (index: number): number => {
    const raw = max === min ? min + (index === 0 ? -0.5 : 0.5) : min + index * width;
    return log ? 10 ** raw : raw;
  };
  return counts.map((binCount, index) => ({ from: edge(index), to: edge(index + 1), count: binCount }));
}

/** Bars over contiguous bins, with marked thresholds. */
export function histogram(spec: HistogramSpec): SafeHtml {
  const height = spec.height ?? CHART.height;
  const plot: Plot = { left: 64, right: CHART.width - 20, top: 44 + 28, bottom: height - 46 };
  const log = spec.xScale === 'log';
  const bins = spec.bins.filter((bin) => Number.isFinite(bin.from) && Number.isFinite(bin.to) && Number.isFinite(bin.count) && (!log || bin.from > 0));
  if (bins.length === 0) return chartFigure({ title: spec.title, caption: spec.caption, height, kind: 'histogram', children: [emptyPlot(plot, 'no data')] });
  const low = Math.min(...bins.map((bin) => bin.from));
  const high = Math.max(...bins.map((bin) => bin.to));
  const onAxis = (value: number): boolean => Number.isFinite(value) && (!log || value > 0);
  const markers = (spec.markers ?? []).filter((marker) => onAxis(marker.value));
  const markerValues = markers.map((marker) => marker.value);
  const xScale: Scale = log ? logScale(Math.min(low, ...markerValues), Math.max(high, ...markerValues), plot.left, plot.right) : linearScale(Math.min(low, ...markerValues), Math.max(high, ...markerValues), plot.left, plot.right, 8);
  const yScale = linearScale(0, Math.max(1, ...bins.map((bin) => bin.count)), plot.bottom, plot.top, 5);
  const rects = bins.map((bin) => {
    const x1 = xScale.at(bin.from);
    const x2 = xScale.at(bin.to);
    // a bin with a few items among thousands stays visible (at least 2 px)
    const y = bin.count > 0 ? Math.min(yScale.at(bin.count), plot.bottom - 2) : plot.bottom;
    return html`<g class="bin"><title>${shortNumber(bin.from)} – ${shortNumber(bin.to)}: ${bin.count}</title><rect x="${c(x1 + 0.5)}" y="${c(y)}" width="${c(Math.max(x2 - x1 - 1, 0.5))}" height="${c(Math.max(plot.bottom - y, 0))}" fill="${TONE_COLOURS[bin.tone ?? 'neutral']}" fill-opacity="0.85"/></g>`;
  });
  const offAxis = (spec.markers ?? []).filter((marker) => !onAxis(marker.value));
  const caption = [spec.caption, offAxis.length > 0 ? `Off the axis: ${offAxis.map((marker) => `${marker.label} = ${shortNumber(marker.value)}`).join(', ')}.` : undefined].filter((part) => part !== undefined).join(' ');
  return chartFigure({
    title: spec.title,
    caption: caption === '' ? undefined : caption,
    height,
    kind: 'histogram',
    children: [
      valueAxisY(yScale, plot, (value) => shortNumber(value), spec.yLabel ?? 'count'),
      valueAxisX(xScale, plot, (value) => shortNumber(value), `${spec.xLabel}${log ? ' (log scale)' : ''}`),
      html`<g class="plot">${rects}</g>`,
      verticalMarkers(markers.map((marker) => ({ x: xScale.at(marker.value), label: marker.label, tone: marker.tone ?? 'muted' })), plot),
    ],
  });
}
