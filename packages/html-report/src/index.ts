/**
 * Self-contained HTML reports (pure: strings in, a string out). A page has sections of tables, badges and
 * inline SVG charts; CSS is inline, there is no JavaScript and no external URL, and every text is escaped.
 */
export { SafeHtml, escapeHtml, html, render, slug, text, type Content } from './escape.js';
export { renderPage, table, verdictBadge, paragraph, type Column, type Page, type Section } from './page.js';
export { lineChart, pathData, type IntervalArea, type LineChartSpec, type LineSeries, type ValueFormat } from './line-chart.js';
export { barChart, type Bar, type BarChartSpec } from './bar-chart.js';
export { binValues, histogram, type Bin, type HistogramSpec } from './histogram.js';
export type { Marker } from './svg.js';
export { linearScale, logScale, niceTicks, shortNumber, timeTicks } from './scale.js';
export { SERIES_COLOURS, TONE_COLOURS, Verdict, type Tone } from './theme.js';
