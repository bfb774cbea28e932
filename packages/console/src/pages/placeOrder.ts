import { callJson, type Order, type Product } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page } from '../page';
import { field, heading, money, problemBox } from '../ui';

/** `POST /orders` from the catalog, then the order's live page to watch it confirm or cancel. */
export const placeOrderPage: Page = {
  title: 'Place an order',
  audience: 'signed-in',
  async render({ main, session, config, signal, navigate }) {
    const outcome = h('div', { 'aria-live': 'polite' });
    const body = h('div', {}, h('p', {}, 'Loading the catalog…'));
    replace(
      main,
      heading('Place an order'),
      h(
        'p',
        {},
        'POST /orders with your ID token. The order page then follows the saga live: ' +
          'inventory reserves, payment charges, the order is confirmed or cancelled.',
      ),
      body,
      outcome,
    );
    let products: Product[];
    try {
      products = (await callJson<{ items: Product[] }>('/products?limit=100', { signal })).items;
    } catch (error) {
      if (!isAbort(error)) replace(body, problemBox(error));
      return;
    }

    const product = h(
      'select',
      { name: 'productId', required: true },
      products.map((p) =>
        h('option', { value: p.productId }, `${p.name} — ${money(p.price)} (${p.stock} in stock)`),
      ),
    );
    const quantity = h('input', {
      type: 'number',
      name: 'quantity',
      min: 1,
      max: 1000,
      step: 1,
      value: 1,
      required: true,
    });
    const token = h(
      'select',
      { name: 'paymentToken' },
      config.paymentTokens.map((t) => h('option', { value: t.token }, `${t.token} — ${t.label}`)),
    );
    const submit = h('button', { type: 'submit' }, 'Place order');
    const form = h(
      'form',
      { class: 'stack', 'aria-label': 'New order' },
      field('Product', product),
      field('Quantity', quantity),
      field(
        'Payment token (sandbox gateway)',
        token,
        'Decides what the payment service does: the saga confirms or cancels the order accordingly.',
      ),
      submit,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = products.find((p) => p.productId === product.value);
      if (!chosen) return;
      submit.disabled = true;
      replace(outcome, h('p', {}, 'Placing the order…'));
      try {
        const order = await callJson<Order>('/orders', {
          method: 'POST',
          token: session?.idToken,
          headers: {
            // One key per submission: a double click or a retry places one order, not two.
            'Idempotency-Key': crypto.randomUUID(),
            // Easy to find with `pnpm trail console-…`.
            'X-Correlation-Id': `console-${crypto.randomUUID()}`,
          },
          json: {
            paymentToken: token.value,
            lines: [
              {
                productId: chosen.productId,
                quantity: Number(quantity.value),
                unitPrice: chosen.price,
              },
            ],
          },
        });
        navigate(`#/orders/${encodeURIComponent(order.orderId)}`);
      } catch (error) {
        replace(outcome, problemBox(error));
        submit.disabled = false;
      }
    });
    replace(body, form);
  },
};
