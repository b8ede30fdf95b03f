import { describe, expect, it } from 'vitest';
import { barChart, html, renderPage, table, verdictBadge } from './index.js';

describe('page', () => {
  const page = renderPage({
    title: 'Data quality <script>alert(1)</script>',
    subtitle: 'window 2026-12-04',
    cards: [{ label: 'score', value: 87.5 }],
    sections: [
      { title: 'Checks', badge: verdictBadge('fail'), intro: 'every check', body: [table({ columns: [{ label: 'check' }, { label: 'value', numeric: true }], rows: [['nulls', 0.5], ['<b>dup</b>', 2]] })] },
      { title: 'Checks', body: [barChart({ title: 'x', orientation: 'vertical', valueLabel: 'n', bars: [{ label: 'a', value: 1 }] })] },
    ],
    notes: ['a note with "quotes"'],
  });

  it('is one document with inline CSS and no script or external URL', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<style>');
    expect(page).not.toMatch(/<script|<link|src="http|href="http|@import|url\(/i);
    // the only absolute URL is the SVG namespace, which is never fetched
    expect([...page.matchAll(/https?:\/\/[^"]+/g)].map((match) => match[0]).every((url) => url === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('escapes text in the title, tables and notes', () => {
    expect(page).toContain('<title>Data quality &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('<td>&lt;b&gt;dup&lt;/b&gt;</td>');
    expect(page).toContain('a note with &quot;quotes&quot;');
  });

  it('gives sections unique anchors and links them from the table of contents', () => {
    expect(page).toContain('<section id="checks">');
    expect(page).toContain('<section id="checks-2">');
    expect(page).toContain('href="#checks-2"');
  });

  it('right-aligns numeric columns and badges verdicts', () => {
    expect(page).toContain('<td class="num">0.5</td>');
    expect(page).toContain('<span class="badge badge-fail" title="fail">FAIL</span>');
    expect(table({ columns: [{ label: 'a' }], rows: [], empty: 'nothing' }).value).toContain('<td colspan="1">nothing</td>');
    expect(html`${verdictBadge('pass', 'ok')}`.value).toContain('>ok</span>');
  });
});
