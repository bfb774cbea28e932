import type { Caller } from '@shop/lambda-http';
import type { OrderCaller } from '@shop/order-domain';

/** The verified caller as the order domain knows it. */
export function orderCaller(caller: Caller): OrderCaller {
  return {
    customerId: caller.id,
    isAdmin: caller.isAdmin,
    ...(caller.verifiedEmail ? { verifiedEmail: caller.verifiedEmail } : {}),
  };
}
