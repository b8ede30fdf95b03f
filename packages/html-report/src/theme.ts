/** Colours and the page's stylesheet. Series colours are Okabe–Ito (readable with colour blindness). */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#999999'] as const;

export const Verdict = { Pass: 'pass', Warn: 'warn', Fail: 'fail' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Tones for bars, badges and markers: a verdict, or neutral / muted. */
export type Tone = Verdict | 'neutral' | 'muted';

export const TONE_COLOURS: Readonly<Record<Tone, string>> = {
  pass: '#1a7f37',
  warn: '#b35c00',
  fail: '#c62828',
  neutral: '#0072B2',
  muted: '#8c959f',
};

export const seriesColour = (index: number): string => SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#0072B2';

/** Chart geometry: fits a laptop screen at 100 % zoom (the page is at most 1,000 px wide). */
export const CHART = { width: 920, height: 320, font: 12 } as const;

export const STYLESHEET = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; min-height: 100vh; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p.subtitle { margin: 0 0 12px; color: #59636e; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 12px 0 24px; padding: 8px 12px; background: #f6f8fa; border-radius: 6px; font-size: 13px; }
nav.toc a { color: #0550ae; text-decoration: none; white-space: nowrap; }
section { margin: 28px 0; }
section h2 { font-size: 18px; margin: 0 0 6px; padding-bottom: 4px; border-bottom: 1px solid #d1d9e0; display: flex; gap: 10px; align-items: center; }
section p.intro { margin: 4px 0 12px; color: #3d444d; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e1e4e8; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure.chart { margin: 12px 0 20px; }
figure.chart svg { display: block; width: 100%; max-width: ${CHART.width}px; height: auto; }
figcaption { font-size: 12px; color: #59636e; margin-top: 2px; }
.badge { display: inline-block; min-width: 44px; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; text-align: center; color: #fff; letter-spacing: .02em; }
.badge-pass { background: ${TONE_COLOURS.pass}; }
.badge-warn { background: ${TONE_COLOURS.warn}; }
.badge-fail { background: ${TONE_COLOURS.fail}; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { flex: 1 1 160px; border: 1px solid #d1d9e0; border-radius: 6px; padding: 10px 12px; }
.card .label { color: #59636e; font-size: 12px; }
.card .value { font-size: 22px; font-weight: 650; }
ul.notes { color: #3d444d; font-size: 13px; }
footer { margin-top: 32px; color: #59636e; font-size: 12px; }
`;
