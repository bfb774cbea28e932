import fc from 'fast-check';
import { OrderStateError } from '../../src/errors';
import { applyOutcome, type Order, type OrderOutcomeReport } from '../../src/order';
import { pendingOrder } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

const T0 = new Date('2024-05-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const inventoryOk: OrderOutcomeReport = { kind: 'inventory', ok: true };
const inventoryFailed: OrderOutcomeReport = {
  kind: 'inventory',
  ok: false,
  detail: 'prod-espresso-beans is out of stock',
  unavailableItemCount: 1,
};
const paymentOk: OrderOutcomeReport = { kind: 'payment', ok: true, paymentId: 'pay-1' };
const paymentFailed: OrderOutcomeReport = {
  kind: 'payment',
  ok: false,
  detail: 'The card was declined.',
};

const eventOf = (report: OrderOutcomeReport) =>
  report.kind === 'inventory'
    ? report.ok
      ? 'InventoryReserved'
      : 'InventoryReservationFailed'
    : report.ok
      ? 'PaymentProcessed'
      : 'PaymentFailed';

/** Applies reports one second apart, collecting what each one decided. */
function applyAll(order: Order, reports: OrderOutcomeReport[]) {
  const decisions: (string | undefined)[] = [];
  let current = order;
  reports.forEach((report, i) => {
    const applied = applyOutcome(current, report, at(i + 1), eventOf(report));
    decisions.push(applied.decided);
    current = applied.order;
  });
  return { order: current, decisions };
}

describe('Function: applyOutcome', () => {
  it('records a first success without deciding the order', () => {
    // Act
    const { order, decided } = applyOutcome(
      pendingOrder(),
      inventoryOk,
      at(1),
      'InventoryReserved',
    );

    // Assess
    expect(decided).toBeUndefined();
    expect(order.status).toBe('PENDING');
    expect(order.outcomes).toEqual({ inventory: { ok: true } });
    expect(order.updatedAt).toBe(at(1).toISOString());
    expect(order.timeline.at(-1)).toEqual({ at: at(1).toISOString(), event: 'InventoryReserved' });
  });

  it.each([
    ['inventory then payment', [inventoryOk, paymentOk]],
    ['payment then inventory', [paymentOk, inventoryOk]],
  ])('confirms the order once both succeeded (%s)', (_order, reports) => {
    const { order, decisions } = applyAll(pendingOrder(), reports);

    expect(order.status).toBe('CONFIRMED');
    expect(decisions).toEqual([undefined, 'CONFIRMED']);
    expect(order.outcomes).toEqual({
      inventory: { ok: true },
      payment: { ok: true, paymentId: 'pay-1' },
    });
    expect(order.cancellationReason).toBeUndefined();
    expect(order.timeline.map((entry) => entry.event)).toEqual([
      'OrderCreated',
      ...reports.map(eventOf),
      'OrderConfirmed',
    ]);
    expect(order.timeline.at(-1)?.at).toBe(at(2).toISOString());
  });

  it.each([
    ['inventory', inventoryFailed],
    ['payment', paymentFailed],
  ])('cancels the order as soon as %s fails, with its detail as reason', (_kind, report) => {
    // Act
    const { order, decided } = applyOutcome(pendingOrder(), report, at(1), eventOf(report));

    // Assess
    const detail = (report as { detail: string }).detail;
    expect(decided).toBe('CANCELLED');
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellationReason).toBe(detail);
    expect(order.timeline.slice(1)).toEqual([
      { at: at(1).toISOString(), event: eventOf(report), detail },
      { at: at(1).toISOString(), event: 'OrderCancelled', detail },
    ]);
  });

  it('keeps how many lines inventory could not reserve when that cancels the order', () => {
    // Prepare
    const report: OrderOutcomeReport = { ...inventoryFailed, unavailableItemCount: 2 };

    // Act
    const { order } = applyOutcome(pendingOrder(), report, at(1), 'InventoryReservationFailed');

    // Assess
    expect(order).toMatchObject({
      cancellationCode: 'INVENTORY_UNAVAILABLE',
      unavailableItemCount: 2,
    });
  });

  it('keeps no count when the payment failed first, whatever inventory reports later', () => {
    const { order } = applyAll(pendingOrder(), [paymentFailed, inventoryFailed]);

    expect(order.cancellationCode).toBe('PAYMENT_FAILED');
    expect(order).not.toHaveProperty('unavailableItemCount');
  });

  it('cancels when one succeeded and the other failed, in either order', () => {
    const first = applyAll(pendingOrder(), [paymentOk, inventoryFailed]);
    const second = applyAll(pendingOrder(), [inventoryFailed, paymentOk]);

    expect(first.order.status).toBe('CANCELLED');
    expect(first.decisions).toEqual([undefined, 'CANCELLED']);
    expect(second.order.status).toBe('CANCELLED');
    expect(second.decisions).toEqual(['CANCELLED', undefined]);
    expect(first.order.cancellationReason).toBe('prod-espresso-beans is out of stock');
    expect(second.order.cancellationReason).toBe(first.order.cancellationReason);
  });

  it('keeps the first failure as reason when both fail', () => {
    const paymentFirst = applyAll(pendingOrder(), [paymentFailed, inventoryFailed]);
    const inventoryFirst = applyAll(pendingOrder(), [inventoryFailed, paymentFailed]);

    expect(paymentFirst.order.cancellationReason).toBe('The card was declined.');
    expect(paymentFirst.decisions).toEqual(['CANCELLED', undefined]);
    expect(inventoryFirst.order.cancellationReason).toBe('prod-espresso-beans is out of stock');
    expect(inventoryFirst.decisions).toEqual(['CANCELLED', undefined]);
  });

  it('records a report that arrives after the decision without changing the status', () => {
    // Prepare
    const cancelled = applyOutcome(pendingOrder(), inventoryFailed, at(1), 'x').order;

    // Act
    const applied = applyOutcome(cancelled, paymentOk, at(2), 'PaymentProcessed');

    // Assess
    expect(applied.decided).toBeUndefined();
    expect(applied.order.status).toBe('CANCELLED');
    expect(applied.order.cancellationReason).toBe(cancelled.cancellationReason);
    // Recorded, so the payment service's refund can be correlated with the charge.
    expect(applied.order.outcomes.payment).toEqual({ ok: true, paymentId: 'pay-1' });
    expect(applied.order.timeline.at(-1)).toEqual({
      at: at(2).toISOString(),
      event: 'PaymentProcessed',
    });
    expect(applied.order.timeline.filter((e) => e.event === 'OrderCancelled')).toHaveLength(1);
  });

  it.each([inventoryOk, inventoryFailed, paymentOk, paymentFailed])(
    'ignores a repeated $kind report (ok: $ok)',
    (report) => {
      // Prepare
      const once = applyOutcome(pendingOrder(), report, at(1), eventOf(report)).order;

      // Act
      const twice = applyOutcome(once, report, at(2), eventOf(report));

      // Assess
      expect(twice.decided).toBeUndefined();
      expect(twice.order).toBe(once);
    },
  );

  it('ignores a repeated payment success that carries another payment id', () => {
    const once = applyOutcome(pendingOrder(), paymentOk, at(1), 'PaymentProcessed').order;

    const twice = applyOutcome(once, { ...paymentOk, paymentId: 'pay-2' }, at(2), 'x');

    expect(twice.order.outcomes.payment).toEqual({ ok: true, paymentId: 'pay-1' });
  });

  it('ignores a duplicate of the deciding report on a confirmed order', () => {
    const confirmed = applyAll(pendingOrder(), [inventoryOk, paymentOk]).order;

    const again = applyOutcome(confirmed, paymentOk, at(5), 'PaymentProcessed');

    expect(again).toEqual({ order: confirmed });
  });

  it.each([
    [inventoryOk, inventoryFailed, 'inventory already reported success for order-1'],
    [inventoryFailed, inventoryOk, 'inventory already reported failure for order-1'],
    [paymentOk, paymentFailed, 'payment already reported success for order-1'],
    [paymentFailed, paymentOk, 'payment already reported failure for order-1'],
  ])(
    'throws OrderStateError when a report contradicts an earlier one (%j then %j)',
    (first, second, message) => {
      const once = applyOutcome(pendingOrder(), first, at(1), eventOf(first)).order;

      expect(() => applyOutcome(once, second, at(2), eventOf(second))).toThrow(
        new OrderStateError(message),
      );
    },
  );

  it('does not modify the order it is given', () => {
    const order = pendingOrder();
    const snapshot = structuredClone(order);

    applyOutcome(order, inventoryFailed, at(1), 'InventoryReservationFailed');

    expect(order).toEqual(snapshot);
  });

  it('decides as the rules say for any arrival order and any duplicates', () => {
    const outcome = (kind: 'inventory' | 'payment') =>
      fc.oneof(
        fc.constant<OrderOutcomeReport>(kind === 'inventory' ? inventoryOk : paymentOk),
        fc
          .string({ minLength: 1, maxLength: 20 })
          .map(
            (detail): OrderOutcomeReport =>
              kind === 'inventory'
                ? { kind, ok: false, detail, unavailableItemCount: 1 }
                : { kind, ok: false, detail },
          ),
      );
    const scenario = fc
      .record({
        inventory: fc.option(outcome('inventory'), { nil: undefined }),
        payment: fc.option(outcome('payment'), { nil: undefined }),
        copies: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
      })
      .chain(({ inventory, payment, copies }) => {
        // Each reported outcome arrives once or more; then shuffle the arrivals.
        const reports = [inventory, payment].filter(
          (r): r is OrderOutcomeReport => r !== undefined,
        );
        const arrivals = [...reports, ...copies.flatMap((i) => (reports[i] ? [reports[i]] : []))];
        return fc
          .shuffledSubarray(arrivals, { minLength: arrivals.length, maxLength: arrivals.length })
          .map((shuffled) => ({ inventory, payment, arrivals: shuffled }));
      });

    fc.assert(
      fc.property(scenario, ({ inventory, payment, arrivals }) => {
        const { order, decisions } = applyAll(pendingOrder(), arrivals);

        const firstFailure = arrivals.find((r) => !r.ok);
        const expectedStatus = firstFailure
          ? 'CANCELLED'
          : inventory?.ok && payment?.ok
            ? 'CONFIRMED'
            : 'PENDING';
        expect(order.status).toBe(expectedStatus);
        expect(order.cancellationReason).toBe(
          firstFailure && !firstFailure.ok ? firstFailure.detail : undefined,
        );
        // Exactly one report decides a decided order; none decides a pending one.
        const decided = decisions.filter((d) => d !== undefined);
        expect(decided).toEqual(expectedStatus === 'PENDING' ? [] : [expectedStatus]);
        // Every distinct report is recorded once, whatever the duplicates.
        expect(order.outcomes.inventory?.ok).toBe(inventory?.ok);
        expect(order.outcomes.payment?.ok).toBe(payment?.ok);
        const recorded = order.timeline.filter(
          (e) => !['OrderCreated', 'OrderConfirmed', 'OrderCancelled'].includes(e.event),
        );
        expect(recorded).toHaveLength(Number(!!inventory) + Number(!!payment));
      }),
    );
  });
});
