import { html, render, slug, type Content, type SafeHtml } from './escape.js';
import { STYLESHEET, type Verdict } from './theme.js';

export interface Section {
  readonly title: string;
  /** Shown beside the title (e.g. a verdict badge). */
  readonly badge?: SafeHtml;
  readonly intro?: string;
  readonly body: readonly Content[];
}

export interface Page {
  readonly title: string;
  readonly subtitle?: string;
  /** Headline figures shown as cards under the title. */
  readonly cards?: readonly { readonly label: string; readonly value: Content }[];
  readonly sections: readonly Section[];
  /** Footnotes: how figures were computed, caveats. */
  readonly notes?: readonly string[];
  readonly footer?: string;
}

/** A complete, self-contained HTML document: inline CSS, no script, no external URL. */
export function renderPage(page: Page): string {
  const ids = uniqueIds(page.sections.map((section) => slug(section.title)));
  const toc = page.sections.length > 1 ? html`<nav class="toc">${page.sections.map((section, index) => html`<a href="#${ids[index] ?? ''}">${section.title}</a>`)}</nav>` : '';
  const cards = page.cards === undefined || page.cards.length === 0 ? '' : html`<div class="cards">${page.cards.map((card) => html`<div class="card"><div class="label">${card.label}</div><div class="value">${card.value}</div></div>`)}</div>`;
  const sections = page.sections.map(
    (section, index) => html`<section id="${ids[index] ?? ''}"><h2>${section.title}${section.badge ?? ''}</h2>${section.intro === undefined ? '' : html`<p class="intro">${section.intro}</p>`}${section.body}</section>`,
  );
  const notes = page.notes === undefined || page.notes.length === 0 ? '' : html`<section id="notes"><h2>Notes</h2><ul class="notes">${page.notes.map((note) => html`<li>${note}</li>`)}</ul></section>`;
  const footer = page.footer === undefined ? '' : html`<footer>${page.footer}</footer>`;
  const body = html`<main><header><h1>${page.title}</h1>${page.subtitle === undefined ? '' : html`<p class="subtitle">${page.subtitle}</p>`}${cards}</header>${toc}${sections}${notes}${footer}</main>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${render(page.title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
${body.value}
</body>
</html>
`;
}

function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const count = seen.get(id) ?? 0;
    seen.set(id, count + 1);
    return count === 0 ? id : `${id}-${count + 1}`;
  });
}

export interface Column {
  readonly label: string;
  /** Right-aligned tabular figures. */
  readonly numeric?: boolean;
}

/** A table; cells are escaped text, numbers or markup built here (badges). */
export function table(spec: { readonly columns: readonly Column[]; readonly rows: readonly (readonly Content[])[]; readonly caption?: string; readonly empty?: string }): SafeHtml {
  const head = spec.columns.map((column) => html`<th${column.numeric === true ? html` class="num"` : ''} scope="col">${column.label}</th>`);
  const rows =
    spec.rows.length === 0
      ? html`<tr><td colspan="${spec.columns.length}">${spec.empty ?? 'none'}</td></tr>`
      : spec.rows.map((row) => html`<tr>${row.map((cell, index) => html`<td${spec.columns[index]?.numeric === true ? html` class="num"` : ''}>${cell}</td>`)}</tr>`);
  return html`<table>${spec.caption === undefined ? '' : html`<caption>${spec.caption}</caption>`}<thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** A small coloured verdict label: PASS, WARN, FAIL (or the given text). */
export function verdictBadge(verdict: Verdict, label?: string): SafeHtml {
  return html`<span class="badge badge-${verdict}" title="${verdict}">${label ?? verdict.toUpperCase()}</span>`;
}

/** A paragraph of escaped text. */
export const paragraph = (content: Content): SafeHtml => html`<p>${content}</p>`;
