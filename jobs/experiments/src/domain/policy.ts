/** The thresholds a readout judges with; reported in report.json and docs/experiments.md. */
export interface ReadoutPolicy {
  /** Confidence of every interval (two-sided). */
  readonly confidence: number;
  /** A sample-ratio-mismatch p-value below this marks the readout invalid. */
  readonly srmAlpha: number;
  /** A variant's degraded share counts as far above the others when it exceeds theirs by this much… */
  readonly degradedExcess: number;
  /** …and the difference is significant at this level (clustered by user). */
  readonly degradedAlpha: number;
}

export const DEFAULT_POLICY: ReadoutPolicy = Object.freeze({ confidence: 0.95, srmAlpha: 0.001, degradedExcess: 0.05, degradedAlpha: 0.001 });
