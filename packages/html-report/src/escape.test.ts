import { describe, expect, it } from 'vitest';
import { SafeHtml, coordinate, escapeHtml, html, render, slug } from './escape.js';

describe('escaping', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });

  it('escapes every interpolated value of the html template but not markup built by it', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"onmouseover="x'}">${inner}${7}${null}${['<', new SafeHtml('<br>')]}</p>`.value).toBe('<p title="&quot;onmouseover=&quot;x"><b>&lt;i&gt;</b>7&lt;<br></p>');
  });

  it('renders a non-finite number as a dash, never as NaN', () => {
    expect(render(Number.NaN)).toBe('–');
    expect(render(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('refuses a non-finite coordinate and shortens finite ones', () => {
    expect(coordinate(1 / 3)).toBe('0.3');
    expect(coordinate(-0.01)).toBe('0');
    expect(() => coordinate(Number.NaN)).toThrow(RangeError);
  });

  it('makes ids of letters, digits and dashes', () => {
    expect(slug('Nulls & duplicates <per table>')).toBe('nulls-duplicates-per-table');
    expect(slug('!!!')).toBe('section');
  });
});
