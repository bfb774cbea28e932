import { call, type Email, type Order, segment, type TrailLine } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page } from '../page';
import { ProblemError, toProblem } from '../problem';
import { readEventStream } from '../sse';
import { emailViewer, heading, money, problemBox, section, statusBadge, when } from '../ui';

/**
 * One order, live: the console's event stream sends the order (read through `GET /orders/{id}`
 * with the caller's token) whenever its flow logs something, each log line of its flow, and its
 * emails; the page updates in place, without a reload.
 */
export const orderPage: Page = {
  title: 'Order',
  audience: 'signed-in',
  async render({ main, session, params, signal }) {
    const orderId = params[0] ?? '';
    const live = h('p', { class: 'live' }, 'Connecting…');
    const status = h('p', { role: 'status', class: 'order-status' });
    const facts = h('dl', { class: 'facts' });
    const timeline = h('ol', { class: 'timeline' });
    const emails = h('div', {}, h('p', {}, 'No email yet.'));
    const emailView = h('div', {});
    const trailNote = h('p', {}, 'Waiting for the first log line of this flow…');
    const trail = h('ol', { class: 'trail' });
    const problems = h('div', {});
    replace(
      main,
      heading(`Order ${orderId}`),
      live,
      status,
      problems,
      facts,
      section('Timeline', timeline),
      section('Emails', emails, emailView),
      section('Trail', trailNote, trail),
    );

    let lastStatus = '';
    const showOrder = (order: Order) => {
      if (order.status !== lastStatus) {
        // A role="status" region: a screen reader hears each change of the saga's outcome.
        replace(status, 'Status: ', statusBadge(order.status));
        lastStatus = order.status;
      }
      replace(
        facts,
        h('dt', {}, 'Customer'),
        h('dd', {}, order.customerEmail),
        h('dt', {}, 'Total'),
        h('dd', {}, money(order.total)),
        h('dt', {}, 'Placed'),
        h('dd', {}, when(order.createdAt)),
        h('dt', {}, 'Lines'),
        h(
          'dd',
          {},
          h(
            'ul',
            { class: 'plain' },
            order.lines.map((line) =>
              h('li', {}, `${line.quantity} × ${line.productId} at ${money(line.unitPrice)}`),
            ),
          ),
        ),
        order.cancellationReason ? h('dt', {}, 'Why cancelled') : null,
        order.cancellationReason ? h('dd', {}, order.cancellationReason) : null,
      );
      replace(
        timeline,
        order.timeline.map((entry) =>
          h(
            'li',
            {},
            h('time', { datetime: entry.at }, when(entry.at)),
            ' ',
            h('strong', {}, entry.event),
            entry.detail ? ` — ${entry.detail}` : '',
          ),
        ),
      );
    };
    const showEmails = (list: Email[]) => {
      if (list.length === 0) return;
      replace(
        emails,
        h(
          'ul',
          { class: 'plain' },
          list.map((email) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  onclick: () => replace(emailView, emailViewer(email)),
                },
                `Open email: ${email.subject}`,
              ),
              ` (${when(email.at)})`,
            ),
          ),
        ),
      );
    };
    const addTrail = (payload: { correlationId: string; lines: TrailLine[] }) => {
      replace(trailNote, 'Every log line of correlation id ', h('code', {}, payload.correlationId));
      for (const line of payload.lines) {
        trail.append(
          h(
            'li',
            { class: line.level === 'ERROR' || line.level === 'CRITICAL' ? 'error' : undefined },
            h('code', {}, line.text),
          ),
        );
      }
    };

    try {
      const response = await call(`api/orders/${segment(orderId)}/stream`, {
        token: session?.idToken,
        signal,
      });
      live.textContent = 'Following live: updates appear as the saga moves.';
      await readEventStream(response, ({ event, data }) => {
        const payload = JSON.parse(data);
        if (event === 'order') showOrder(payload as Order);
        else if (event === 'trail') addTrail(payload);
        else if (event === 'emails') showEmails(payload as Email[]);
        else if (event === 'problem')
          replace(problems, problemBox(new ProblemError(toProblem(0, data))));
      });
      live.textContent = 'The live stream ended; reload the page to follow again.';
    } catch (error) {
      if (isAbort(error)) return;
      live.textContent = '';
      replace(problems, problemBox(error));
    }
  },
};
