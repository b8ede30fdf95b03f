/** Sizes of a bulk run. `small` is for tests (seconds); `large` is ten times `medium`. */
export const Scale = { Small: 'small', Medium: 'medium', Large: 'large' } as const;
export type Scale = (typeof Scale)[keyof typeof Scale];

export interface ScaleSpec {
  readonly datasets: number;
  readonly users: number;
  readonly days: number;
  readonly anonymousVisitsPerDay: number;
}

export const SCALES: Readonly<Record<Scale, ScaleSpec>> = {
  small: { datasets: 300, users: 200, days: 7, anonymousVisitsPerDay: 40 },
  medium: { datasets: 3_000, users: 2_000, days: 30, anonymousVisitsPerDay: 300 },
  large: { datasets: 30_000, users: 20_000, days: 30, anonymousVisitsPerDay: 3_000 },
};

export const isScale = (value: string): value is Scale => Object.values(Scale).includes(value as Scale);
