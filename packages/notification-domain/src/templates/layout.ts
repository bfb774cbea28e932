import { html, type SafeHtml } from './html';

/** One email as every template renders it: the same content as plain text and as HTML. */
export interface RenderedEmail {
  /** One line, plain text. */
  subject: string;
  text: string;
  /** A complete HTML document in which every value from the event is escaped. */
  html: string;
}

/** A labelled value shown in a small two-column table (HTML) or as `Label: value` (text). */
export type Fact = readonly [label: string, value: string];

const FOOTER = 'serverless-shop — you receive this email because you placed an order with us.';

// Inline styles: most mail clients drop <style> blocks and ignore external stylesheets.
const BODY_STYLE =
  'font-family:Arial,Helvetica,sans-serif;color:#222;max-width:600px;margin:0 auto';
/** Style of a table cell holding text; exported so every table of every template lines up. */
export const TEXT_CELL_STYLE = 'padding:4px 12px 4px 0;text-align:left';
/** Style of a table cell holding a number or an amount, right-aligned so digits line up. */
export const AMOUNT_CELL_STYLE = 'padding:4px 0 4px 12px;text-align:right';
const FOOTER_STYLE = 'color:#777;font-size:12px';

/**
 * A subject on one line: event values may carry line breaks, which have no place in a header.
 *
 * @example
 * ```ts
 * subjectLine('Your order\r\n42'); // 'Your order 42'
 * ```
 */
export function subjectLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Facts as a two-column HTML table.
 *
 * @example
 * ```ts
 * factsTable([['Order', orderId], ['Amount paid', formatMoney(amount)]]);
 * ```
 */
export function factsTable(facts: readonly Fact[]): SafeHtml {
  const rows = facts.map(
    ([label, value]) =>
      html`<tr><th scope="row" style="${TEXT_CELL_STYLE}">${label}</th><td style="${TEXT_CELL_STYLE}">${value}</td></tr>`,
  );
  return html`<table role="presentation">${rows}</table>`;
}

/**
 * Facts as `Label: value` lines for the plain-text part.
 *
 * @example
 * ```ts
 * factsText([['Order', 'o-1']]); // ['Order: o-1']
 * ```
 */
export function factsText(facts: readonly Fact[]): string[] {
  return facts.map(([label, value]) => `${label}: ${value}`);
}

/**
 * Wraps a template's content in the shared subject, HTML document and footer.
 *
 * @example
 * ```ts
 * return emailLayout({
 *   subject: `Your receipt for order ${orderId}`,
 *   text: ['Thank you for your payment.', ...factsText(facts)],
 *   body: html`<h1>Thank you for your payment</h1>${factsTable(facts)}`,
 * });
 * ```
 */
export function emailLayout(content: {
  subject: string;
  text: readonly string[];
  body: SafeHtml;
}): RenderedEmail {
  const subject = subjectLine(content.subject);
  const document = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body style="${BODY_STYLE}">
${content.body}
<hr>
<p style="${FOOTER_STYLE}">${FOOTER}</p>
</body>
</html>
`;
  return {
    subject,
    text: `${[...content.text, '', '--', FOOTER].join('\n')}\n`,
    html: String(document),
  };
}
