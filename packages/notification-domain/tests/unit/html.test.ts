import { escapeHtml, html, SafeHtml } from '../../src/templates/html';
import { subjectLine } from '../../src/templates/layout';

describe('Function: escapeHtml', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
  ])('replaces %j with %j', (character, entity) => {
    // Act
    const escaped = escapeHtml(`a${character}b`);

    // Assess
    expect(escaped).toBe(`a${entity}b`);
  });

  it('escapes an existing entity again, so text never turns into markup', () => {
    // Act
    const escaped = escapeHtml('&lt;script&gt;');

    // Assess
    expect(escaped).toBe('&amp;lt;script&amp;gt;');
  });

  it('leaves text without special characters as it is', () => {
    // Act
    const escaped = escapeHtml('Espresso beans, 2 × €14.50');

    // Assess
    expect(escaped).toBe('Espresso beans, 2 × €14.50');
  });
});

describe('Function: html', () => {
  it('escapes every interpolated string and number, not the template itself', () => {
    // Prepare
    const name = '<b>Ada</b>';
    const title = '"quoted"';

    // Act
    const fragment = html`<p title="${title}">${name} ordered ${2}</p>`;

    // Assess
    expect(String(fragment)).toBe(
      '<p title="&quot;quoted&quot;">&lt;b&gt;Ada&lt;/b&gt; ordered 2</p>',
    );
  });

  it('keeps nested fragments as markup and escapes the values inside them once', () => {
    // Prepare
    const cell = html`<td>${'a & b'}</td>`;

    // Act
    const row = html`<tr>${cell}</tr>`;

    // Assess
    expect(String(row)).toBe('<tr><td>a &amp; b</td></tr>');
  });

  it('joins a list of values, escaping the strings and keeping the fragments', () => {
    // Act
    const list = html`<ul>${[html`<li>${'<1>'}</li>`, '<2>']}</ul>`;

    // Assess
    expect(String(list)).toBe('<ul><li>&lt;1&gt;</li>&lt;2&gt;</ul>');
  });

  it('makes a SafeHtml', () => {
    // Act
    const fragment = html`<br>`;

    // Assess
    expect(fragment).toBeInstanceOf(SafeHtml);
  });
});

describe('Class: SafeHtml', () => {
  it('refuses to be built outside html`…`, so raw text cannot pose as markup', () => {
    // Prepare
    const forgedToken = Symbol('SafeHtml') as never;

    // Act & Assess
    expect(() => new SafeHtml('<script>alert(1)</script>', forgedToken)).toThrow(TypeError);
  });
});

describe('Function: subjectLine', () => {
  it('puts a subject with line breaks and runs of spaces on one line', () => {
    // Act
    const subject = subjectLine('  Your order\r\nBcc: someone@example.com\t is   confirmed ');

    // Assess
    expect(subject).toBe('Your order Bcc: someone@example.com is confirmed');
  });
});
