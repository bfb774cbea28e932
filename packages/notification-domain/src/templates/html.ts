// Module-private: only `html` holds it, so only `html` can make a SafeHtml.
const constructionToken = Symbol('SafeHtml');

/**
 * HTML that is already safe to place in a document: markup written by a template, or text that
 * went through {@link escapeHtml}. Only {@link html} makes one, so an event value cannot pose as
 * markup.
 */
export class SafeHtml {
  readonly #markup: string;

  /** Use {@link html}: the token it alone holds keeps raw strings from skipping escaping. */
  constructor(markup: string, token: typeof constructionToken) {
    if (token !== constructionToken) throw new TypeError('SafeHtml is made by html`…` only');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an HTML element body or a quoted attribute value.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"Ada" & co</b>'); // '&lt;b&gt;&quot;Ada&quot; &amp; co&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** What a template may interpolate: text and numbers (escaped), safe fragments, lists of them. */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for email markup: every interpolated value is escaped unless it is itself a
 * fragment made by `html`, so escaping cannot be forgotten one value at a time.
 *
 * @example
 * ```ts
 * const row = html`<td>${line.productId}</td>`;        // productId escaped
 * const table = html`<table>${[row, row]}</table>`;    // fragments kept as markup
 * String(table);
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup, constructionToken);
}
