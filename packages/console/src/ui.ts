import type { Email, Money } from './api';
import { h, uid } from './dom';
import { type Problem, ProblemError } from './problem';

/** The page's heading; focus moves to it when the page opens, so screen readers announce it. */
export function heading(text: string): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text);
}

/** A titled section, labelled by its heading (which a page may move focus to). */
export function section(title: string, ...children: (Node | string | null | undefined)[]) {
  const id = uid('section');
  return h('section', { 'aria-labelledby': id }, h('h2', { id, tabindex: -1 }, title), ...children);
}

/** A problem as the API said it: title, detail, the fields it names (an alert). */
export function problemBox(error: unknown): HTMLElement {
  const problem: Problem =
    error instanceof ProblemError
      ? error.problem
      : { status: 0, title: 'Request failed', detail: (error as Error)?.message ?? String(error) };
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h(
      'p',
      { class: 'problem-title' },
      h('strong', {}, problem.title),
      problem.status ? ` (${problem.status})` : '',
    ),
    problem.detail ? h('p', {}, problem.detail) : null,
    problem.issues && problem.issues.length > 0
      ? h(
          'ul',
          { class: 'issues' },
          problem.issues.map((issue) =>
            h('li', {}, h('code', {}, issue.path || 'body'), `: ${issue.message}`),
          ),
        )
      : null,
  );
}

/** `1450 EUR` cents → `14.50 EUR`. */
export function money(value: Money | undefined): string {
  return value ? `${(value.amount / 100).toFixed(2)} ${value.currency}` : '–';
}

/** A timestamp, local time with milliseconds (saga steps are milliseconds apart). */
export function when(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleDateString()} ${date.toLocaleTimeString([], { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** An order's status as a badge (its text says it; the colour only repeats it). */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status.toLowerCase()}` }, status);
}

/** A `<p role="status">` whose text screen readers announce when it changes. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { role: 'status', class: 'status-line' });
}

/** A labelled form control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
}

/** `thumbnails/a b/c_thumb.png` → the console's URL for it (each path segment escaped). */
export function mediaUrl(key: string): string {
  return `api/media/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * An email as the customer sees it: its HTML in a sandboxed frame (no scripts, an origin of its
 * own, nothing it links loads), or its text.
 */
export function emailViewer(email: Email): HTMLElement {
  const body = email.html
    ? h('iframe', {
        class: 'email-frame',
        sandbox: '',
        referrerpolicy: 'no-referrer',
        title: `Email body: ${email.subject}`,
        srcdoc: email.html,
      })
    : h('pre', { class: 'email-text' }, email.text ?? '(no body)');
  const id = uid('email');
  return h(
    'article',
    { class: 'email', 'aria-labelledby': id },
    h('h3', { id }, email.subject),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'From'),
      h('dd', {}, email.from),
      h('dt', {}, 'To'),
      h('dd', {}, email.to.join(', ')),
      h('dt', {}, 'Received'),
      h('dd', {}, when(email.at)),
      email.correlationId ? h('dt', {}, 'Correlation id') : null,
      email.correlationId ? h('dd', {}, h('code', {}, email.correlationId)) : null,
    ),
    body,
  );
}
