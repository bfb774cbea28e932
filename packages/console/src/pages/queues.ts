import { callJson, segment } from '../api';
import { h, replace } from '../dom';
import { every, isAbort, type Page } from '../page';
import { heading, problemBox, section, statusLine, when } from '../ui';

interface QueueView {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetterQueue?: { name: string; maxReceiveCount: number };
  deadLetterSourceOf?: string[];
}

interface DeadLetter {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, string>;
}

/** How often the depths are read again while the page is open. */
const REFRESH_MS = 2_000;

/**
 * Every queue with its depth (read again every two seconds, in place, so focus stays where it
 * is); a dead-letter queue's messages on request, and a redrive that does what `pnpm redrive`
 * does.
 */
export const queuesPage: Page = {
  title: 'Queues',
  audience: 'admin',
  render({ main, session, signal }) {
    const token = session?.idToken;
    const status = statusLine();
    const problems = h('div', {});
    const tbody = h('tbody', {});
    const messages = h('div', {});
    const rows = new Map<
      string,
      { visible: HTMLElement; inFlight: HTMLElement; row: HTMLElement }
    >();

    const peek = async (queue: string) => {
      replace(messages, h('p', {}, `Looking into ${queue}…`));
      try {
        const result = await callJson<{ messages: DeadLetter[] }>(
          `api/queues/${segment(queue)}/messages`,
          { token, signal },
        );
        replace(messages, deadLetters(queue, result.messages));
        messages.querySelector('h2')?.focus();
      } catch (error) {
        if (!isAbort(error)) replace(messages, problemBox(error));
      }
    };
    const redrive = async (queue: string) => {
      status.textContent = `Redriving ${queue}…`;
      try {
        const result = await callJson<{ moved: number; to: string }>(
          `api/queues/${segment(queue)}/redrive`,
          { method: 'POST', token, signal },
        );
        status.textContent = `Moved ${result.moved} message(s) from ${queue} back to ${result.to}.`;
        replace(messages);
      } catch (error) {
        if (isAbort(error)) return;
        status.textContent = '';
        replace(problems, problemBox(error));
      }
    };

    const addRow = (queue: QueueView) => {
      const visible = h('td', { class: 'number' });
      const inFlight = h('td', { class: 'number' });
      const isDlq = Boolean(queue.deadLetterSourceOf);
      const row = h(
        'tr',
        { 'data-queue': queue.name },
        h('th', { scope: 'row' }, h('code', {}, queue.name)),
        visible,
        inFlight,
        h(
          'td',
          {},
          queue.deadLetterQueue
            ? `dead letters → ${queue.deadLetterQueue.name} after ${queue.deadLetterQueue.maxReceiveCount} receives`
            : isDlq
              ? `dead-letter queue of ${queue.deadLetterSourceOf?.join(', ')}`
              : '',
        ),
        h(
          'td',
          {},
          isDlq
            ? h('div', { class: 'actions' }, [
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'aria-label': `Show messages in ${queue.name}`,
                    onclick: () => void peek(queue.name),
                  },
                  'Show messages',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Redrive ${queue.name}`,
                    onclick: () => void redrive(queue.name),
                  },
                  'Redrive',
                ),
              ])
            : null,
        ),
      );
      rows.set(queue.name, { visible, inFlight, row });
      tbody.append(row);
    };

    const refresh = async () => {
      try {
        const { queues } = await callJson<{ queues: QueueView[] }>('api/queues', {
          token,
          signal,
        });
        for (const queue of queues) {
          if (!rows.has(queue.name)) addRow(queue);
          const cells = rows.get(queue.name);
          if (!cells) continue;
          // Only the numbers change: rows stay, and so does the keyboard focus in them.
          cells.visible.textContent = String(queue.visible);
          cells.inFlight.textContent = String(queue.inFlight);
          cells.row.classList.toggle(
            'attention',
            Boolean(queue.deadLetterSourceOf) && queue.visible + queue.inFlight > 0,
          );
        }
        replace(problems);
      } catch (error) {
        if (!isAbort(error)) replace(problems, problemBox(error));
      }
    };

    replace(
      main,
      heading('Queues'),
      h(
        'p',
        {},
        'Every SQS queue of the local cloud with its depth, read again every two seconds. ' +
          'A dead-letter queue can be looked into and redriven (what pnpm redrive does: its ' +
          'messages go back to the queue they came from).',
      ),
      status,
      problems,
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Queues and their depth'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Queue'),
            h('th', { scope: 'col' }, 'Waiting'),
            h('th', { scope: 'col' }, 'In flight'),
            h('th', { scope: 'col' }, 'Dead letters'),
            h('th', { scope: 'col' }, 'Actions'),
          ),
        ),
        tbody,
      ),
      messages,
    );
    every(signal, REFRESH_MS, refresh);
  },
};

function deadLetters(queue: string, messages: DeadLetter[]): HTMLElement {
  return section(
    `Messages in ${queue}`,
    h(
      'p',
      {},
      'Each message is received with a short visibility timeout and made visible again at once, ' +
        'so it stays in the queue; the receive count includes this look.',
    ),
    messages.length === 0
      ? h('p', {}, 'The queue is empty.')
      : h(
          'ol',
          { class: 'messages' },
          messages.map((message) =>
            h(
              'li',
              {},
              h(
                'dl',
                { class: 'facts' },
                h('dt', {}, 'Message id'),
                h('dd', {}, h('code', {}, message.messageId)),
                h('dt', {}, 'Receive count'),
                h('dd', {}, message.attributes.ApproximateReceiveCount ?? '–'),
                h('dt', {}, 'Sent'),
                h(
                  'dd',
                  {},
                  message.attributes.SentTimestamp
                    ? when(new Date(Number(message.attributes.SentTimestamp)).toISOString())
                    : '–',
                ),
                Object.entries(message.messageAttributes).flatMap(([name, value]) => [
                  h('dt', {}, name),
                  h('dd', {}, h('code', {}, value)),
                ]),
              ),
              h('p', { class: 'label' }, 'Body'),
              h('pre', { class: 'body', tabindex: 0 }, message.body),
            ),
          ),
        ),
  );
}
