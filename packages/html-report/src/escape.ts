/**
 * Text becomes HTML only through this module: every string a caller passes is escaped, and markup
 * built by this library travels as `SafeHtml`, which is never escaped twice.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a report block accepts: plain text (escaped), numbers, markup built here, or lists of them. */
export type Content = string | number | SafeHtml | null | undefined | readonly Content[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Content as markup: strings and numbers escaped, SafeHtml as is, arrays joined, null/undefined empty. */
export function render(content: Content): string {
  if (content === null || content === undefined) return '';
  if (content instanceof SafeHtml) return content.value;
  if (typeof content === 'number') return escapeHtml(Number.isFinite(content) ? String(content) : '–');
  if (typeof content === 'string') return escapeHtml(content);
  return content.map(render).join('');
}

/** A tagged template: literal parts are markup, every interpolated value is `render`ed (escaped). */
export function html(strings: TemplateStringsArray, ...values: readonly Content[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Escaped text as SafeHtml (for callers that assemble lists). */
export const text = (value: string): SafeHtml => new SafeHtml(escapeHtml(value));

/** A number for SVG geometry: finite and short, so no NaN or 1e-17 reaches path data. */
export function coordinate(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite coordinate: ${String(value)}`);
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** An id usable in `id` and `href="#…"`: lower-case letters, digits and dashes only. */
export function slug(value: string): string {
  const cleaned = value.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'section' : cleaned.slice(0, 60);
}
