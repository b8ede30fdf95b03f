/** The data window of a run: [fromMs, toMs), UTC epoch milliseconds. */
export interface DataWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** How the catalogue tables (items, users) are scoped: the current catalogue, or its changes in the window. */
export type CatalogueScope = 'all' | 'window';

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const describeWindow = (window: DataWindow): string => `${isoSeconds(window.fromMs)} – ${isoSeconds(window.toMs)}`;
