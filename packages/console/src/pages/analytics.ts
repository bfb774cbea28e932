import { callJson, type Money } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page } from '../page';
import { heading, money, problemBox, section, statusLine, when } from '../ui';

interface Summary {
  generatedAt: string;
  products: {
    productId: string;
    unitsSold: number;
    revenue: Money[];
    unitsRestocked: number;
    unitsCorrected: number;
    currentStock: number | null;
  }[];
  orders: { confirmed: number; cancelled: number; cancelledByReason: Record<string, number> };
  revenue: Money[];
}

const amounts = (values: Money[]) => (values.length > 0 ? values.map(money).join(', ') : '–');

/** `GET /analytics/summary` as the administrator; until the first roll-up, its 404 problem. */
export const analyticsPage: Page = {
  title: 'Analytics',
  audience: 'admin',
  async render({ main, session, signal }) {
    const status = statusLine();
    const body = h('div', {});
    const load = async () => {
      status.textContent = 'Loading the summary…';
      try {
        const summary = await callJson<Summary>('/analytics/summary', {
          token: session?.idToken,
          signal,
        });
        status.textContent = `Roll-up of ${when(summary.generatedAt)}.`;
        replace(body, summaryView(summary));
      } catch (error) {
        if (isAbort(error)) return;
        status.textContent = '';
        replace(body, problemBox(error));
      }
    };
    replace(
      main,
      heading('Analytics'),
      h(
        'p',
        {},
        'The latest roll-up (one runs every minute), as GET /analytics/summary returns it.',
      ),
      h('p', {}, h('button', { type: 'button', onclick: () => void load() }, 'Refresh')),
      status,
      body,
    );
    await load();
  },
};

function summaryView(summary: Summary): HTMLElement {
  return h(
    'div',
    {},
    section(
      'Orders',
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Confirmed'),
        h('dd', {}, String(summary.orders.confirmed)),
        h('dt', {}, 'Cancelled'),
        h('dd', {}, String(summary.orders.cancelled)),
        Object.entries(summary.orders.cancelledByReason).flatMap(([reason, count]) => [
          h('dt', {}, `Cancelled: ${reason}`),
          h('dd', {}, String(count)),
        ]),
        h('dt', {}, 'Revenue'),
        h('dd', {}, amounts(summary.revenue)),
      ),
    ),
    section(
      'Products',
      summary.products.length === 0
        ? h('p', {}, 'No product sold or restocked yet.')
        : h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, 'Sales and stock per product'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Product', 'Sold', 'Revenue', 'Restocked', 'Corrected', 'Stock'].map((title) =>
                  h('th', { scope: 'col' }, title),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              summary.products.map((product) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, h('code', {}, product.productId)),
                  h('td', { class: 'number' }, String(product.unitsSold)),
                  h('td', { class: 'number' }, amounts(product.revenue)),
                  h('td', { class: 'number' }, String(product.unitsRestocked)),
                  h('td', { class: 'number' }, String(product.unitsCorrected)),
                  h('td', { class: 'number' }, product.currentStock ?? '–'),
                ),
              ),
            ),
          ),
    ),
  );
}
