import { coordinate as c, html, type Content, type SafeHtml } from './escape.js';
import { CHART, TONE_COLOURS, type Tone } from './theme.js';
import type { Scale } from './scale.js';

/** Inner plot area of a chart, in SVG user units. */
export interface Plot {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif';

/** The figure around a chart: the SVG (scaled to the page width) with its title, description and caption. */
export function chartFigure(spec: { readonly title: string; readonly caption?: string | undefined; readonly height: number; readonly kind: string; readonly children: readonly Content[] }): SafeHtml {
  const caption = spec.caption === undefined ? '' : html`<figcaption>${spec.caption}</figcaption>`;
  return html`<figure class="chart" data-chart="${spec.kind}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART.width} ${spec.height}" width="${CHART.width}" height="${spec.height}" role="img" font-family="${FONT}" font-size="${CHART.font}"><title>${spec.title}</title><rect x="0" y="0" width="${CHART.width}" height="${spec.height}" fill="#ffffff"/><text x="8" y="20" font-size="14" font-weight="600" fill="#1f2328">${spec.title}</text>${spec.children}</svg>${caption}</figure>`;
}

/** Approximate text width at the chart font size (no layout engine here). */
export const textWidth = (text: string, size: number = CHART.font): number => text.length * size * 0.58;

/** Shortens a label to `max` characters with an ellipsis. */
export function clip(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}

export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  readonly dashed?: boolean;
  /** A shaded area (an interval) rather than a line. */
  readonly area?: boolean;
}

/** A legend laid out left to right, wrapping within the chart width; returns its markup and height. */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): { markup: SafeHtml; height: number } {
  if (items.length === 0) return { markup: html``, height: 0 };
  const parts: SafeHtml[] = [];
  let cursorX = x;
  let cursorY = y;
  for (const item of items) {
    const label = clip(item.label, 40);
    const width = 22 + textWidth(label) + 16;
    if (cursorX + width > x + maxWidth && cursorX > x) {
      cursorX = x;
      cursorY += 18;
    }
    const swatch =
      item.area === true
        ? html`<rect x="${c(cursorX)}" y="${c(cursorY - 9)}" width="16" height="10" fill="${item.colour}" fill-opacity="0.18" stroke="${item.colour}" stroke-opacity="0.35"/>`
        : html`<line x1="${c(cursorX)}" y1="${c(cursorY - 4)}" x2="${c(cursorX + 16)}" y2="${c(cursorY - 4)}" stroke="${item.colour}" stroke-width="3"${item.dashed === true ? html` stroke-dasharray="5 3"` : ''}/>`;
    parts.push(html`<g class="legend-item">${swatch}<text x="${c(cursorX + 22)}" y="${c(cursorY)}" fill="#1f2328">${label}</text></g>`);
    cursorX += width;
  }
  return { markup: html`<g class="legend">${parts}</g>`, height: cursorY - y + 18 };
}

/** Horizontal grid lines and labelled ticks of a vertical value axis, with the axis title rotated on the left. */
export function valueAxisY(scale: Scale, plot: Plot, format: (value: number) => string, label: string): SafeHtml {
  const ticks = scale.ticks.map((tick) => {
    const y = scale.at(tick);
    return html`<g class="tick"><line x1="${c(plot.left)}" y1="${c(y)}" x2="${c(plot.right)}" y2="${c(y)}" stroke="#e1e4e8"/><text x="${c(plot.left - 6)}" y="${c(y + 4)}" text-anchor="end" fill="#59636e">${format(tick)}</text></g>`;
  });
  const middle = (plot.top + plot.bottom) / 2;
  return html`<g class="axis axis-y">${ticks}<line x1="${c(plot.left)}" y1="${c(plot.top)}" x2="${c(plot.left)}" y2="${c(plot.bottom)}" stroke="#8c959f"/><text class="axis-label" x="14" y="${c(middle)}" transform="rotate(-90 14 ${c(middle)})" text-anchor="middle" fill="#3d444d">${label}</text></g>`;
}

/** Vertical grid lines and labelled ticks of a horizontal value axis, with its title under it. */
export function valueAxisX(scale: Scale, plot: Plot, format: (value: number) => string, label: string): SafeHtml {
  const ticks = scale.ticks.map((tick) => {
    const x = scale.at(tick);
    return html`<g class="tick"><line x1="${c(x)}" y1="${c(plot.top)}" x2="${c(x)}" y2="${c(plot.bottom)}" stroke="#e1e4e8"/><text x="${c(x)}" y="${c(plot.bottom + 16)}" text-anchor="middle" fill="#59636e">${format(tick)}</text></g>`;
  });
  return html`<g class="axis axis-x">${ticks}<line x1="${c(plot.left)}" y1="${c(plot.bottom)}" x2="${c(plot.right)}" y2="${c(plot.bottom)}" stroke="#8c959f"/><text class="axis-label" x="${c((plot.left + plot.right) / 2)}" y="${c(plot.bottom + 34)}" text-anchor="middle" fill="#3d444d">${label}</text></g>`;
}

export interface Marker {
  readonly value: number;
  readonly label: string;
  readonly tone?: Tone;
}

/** Dashed vertical threshold lines across the plot, labels staggered so neighbours do not overlap. */
export function verticalMarkers(markers: readonly { readonly x: number; readonly label: string; readonly tone: Tone }[], plot: Plot): SafeHtml {
  const sorted = [...markers].sort((a, b) => a.x - b.x);
  let lastEnd = Number.NEGATIVE_INFINITY;
  let row = 0;
  const parts = sorted.map((marker) => {
    const colour = TONE_COLOURS[marker.tone];
    const label = clip(marker.label, 32);
    const start = marker.x + 4;
    row = start < lastEnd ? row + 1 : 0;
    const anchorEnd = start + textWidth(label) > plot.right;
    lastEnd = anchorEnd ? marker.x : start + textWidth(label);
    const y = plot.top + 12 + (row % 3) * 14;
    return html`<g class="marker"><line x1="${c(marker.x)}" y1="${c(plot.top)}" x2="${c(marker.x)}" y2="${c(plot.bottom)}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/><text x="${c(anchorEnd ? marker.x - 4 : start)}" y="${c(y)}" text-anchor="${anchorEnd ? 'end' : 'start'}" fill="${colour}" font-weight="600">${label}</text></g>`;
  });
  return html`<g class="markers">${parts}</g>`;
}

/** Dashed horizontal threshold lines (bar charts with a vertical value axis). */
export function horizontalMarkers(markers: readonly { readonly y: number; readonly label: string; readonly tone: Tone }[], plot: Plot): SafeHtml {
  return html`<g class="markers">${markers.map((marker) => {
    const colour = TONE_COLOURS[marker.tone];
    return html`<g class="marker"><line x1="${c(plot.left)}" y1="${c(marker.y)}" x2="${c(plot.right)}" y2="${c(marker.y)}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/><text x="${c(plot.right - 4)}" y="${c(marker.y - 4)}" text-anchor="end" fill="${colour}" font-weight="600">${clip(marker.label, 40)}</text></g>`;
  })}</g>`;
}

/** The message drawn in place of a chart that has nothing to plot. */
export function emptyPlot(plot: Plot, message: string): SafeHtml {
  return html`<text class="empty" x="${c((plot.left + plot.right) / 2)}" y="${c((plot.top + plot.bottom) / 2)}" text-anchor="middle" fill="#59636e">${message}</text>`;
}
