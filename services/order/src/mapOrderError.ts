import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { badRequest, conflict, forbidden, type HttpError, notFound } from '@shop/lambda-http';
import { OrderAccessError, OrderNotFoundError, OrderValidationError } from '@shop/order-domain';

/** How the order API answers domain and idempotency errors. */
export function mapOrderError(error: unknown): HttpError | undefined {
  if (error instanceof OrderValidationError)
    return badRequest('the request has invalid fields', error.issues);
  if (error instanceof OrderAccessError) return forbidden(error.message);
  if (error instanceof OrderNotFoundError) return notFound(`order ${error.orderId} does not exist`);
  if (error instanceof IdempotencyValidationError) {
    return conflict('this Idempotency-Key was already used with a different body');
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return conflict('a request with this Idempotency-Key is still being processed; retry shortly');
  }
  return undefined;
}
