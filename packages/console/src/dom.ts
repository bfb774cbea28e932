/** What an element can hold: nodes and text; `null`, `undefined` and `false` are left out. */
export type Child = Node | string | number | null | undefined | false;

type Listener = (event: Event) => void;

/** Attributes (strings, numbers, booleans) and `on<event>` listeners. */
export type Props = Record<string, string | number | boolean | Listener | undefined>;

/**
 * Builds an element. Text always goes in as text (never parsed as HTML), so whatever the APIs or
 * the logs hold is shown, not run. `true` sets an attribute without a value, `false` or
 * `undefined` leaves it out, `onclick` and the like add listeners.
 *
 * @example
 * h('button', { type: 'button', onclick: () => save() }, 'Save');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, ''), value);
    } else if (name === 'value' && 'value' in element) {
      (element as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything an element holds. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A unique id for label/control pairs. */
let nextId = 0;
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
