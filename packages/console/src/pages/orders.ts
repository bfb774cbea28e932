import { callJson, type Order } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page } from '../page';
import { heading, money, problemBox, statusBadge, statusLine, when } from '../ui';

/**
 * Customers: their own orders, from `GET /orders` with their token. The administrator: every
 * order, from the console's scan of the orders table (no API lists them all).
 */
export const ordersPage: Page = {
  title: 'Orders',
  audience: 'signed-in',
  async render({ main, session, signal }) {
    const admin = session?.admin ?? false;
    const status = statusLine();
    const list = h('div', {});
    const load = async () => {
      status.textContent = 'Loading orders…';
      try {
        const page = admin
          ? await callJson<{ items: Order[]; truncated?: boolean }>('api/orders', {
              token: session?.idToken,
              signal,
            })
          : await callJson<{ items: Order[]; nextCursor?: string }>('/orders?limit=100', {
              token: session?.idToken,
              signal,
            });
        replace(list, ordersTable(page.items, admin));
        status.textContent = `${page.items.length} order(s)${
          ('truncated' in page && page.truncated) || ('nextCursor' in page && page.nextCursor)
            ? ', more not shown'
            : ''
        }.`;
      } catch (error) {
        if (isAbort(error)) return;
        status.textContent = '';
        replace(list, problemBox(error));
      }
    };
    replace(
      main,
      heading(admin ? 'All orders' : 'Your orders'),
      h(
        'p',
        {},
        admin
          ? 'Every order in the orders table (read by the console through the local AWS endpoint: no API lists them all).'
          : 'Your orders, as GET /orders returns them with your ID token.',
      ),
      h(
        'p',
        { class: 'actions' },
        h('button', { type: 'button', onclick: () => void load() }, 'Refresh'),
        h('a', { href: '#/order', class: 'button-link' }, 'Place an order'),
      ),
      status,
      list,
    );
    await load();
  },
};

function ordersTable(orders: Order[], admin: boolean): HTMLElement {
  if (orders.length === 0) return h('p', {}, 'No orders yet.');
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, 'Orders, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Order'),
        admin ? h('th', { scope: 'col' }, 'Customer') : null,
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Total'),
        h('th', { scope: 'col' }, 'Placed'),
      ),
    ),
    h(
      'tbody',
      {},
      orders.map((order) =>
        h(
          'tr',
          { 'data-order-id': order.orderId },
          h(
            'td',
            {},
            h('a', { href: `#/orders/${encodeURIComponent(order.orderId)}` }, order.orderId),
          ),
          admin ? h('td', {}, order.customerEmail) : null,
          h('td', {}, statusBadge(order.status)),
          h('td', { class: 'number' }, money(order.total)),
          h('td', {}, when(order.createdAt)),
        ),
      ),
    ),
  );
}
