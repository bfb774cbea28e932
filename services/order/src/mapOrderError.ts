import { badRequest, conflict, forbidden, type HttpError, notFound } from '@shop/lambda-http';
import { OrderAccessError, OrderNotFoundError, OrderValidationError } from '@shop/order-domain';

/**
 * Powertools idempotency errors, known by name: importing their classes would bundle the whole
 * idempotency utility (JMESPath included) into every function that answers order errors.
 */
const isIdempotencyError = (error: unknown, name: string) =>
  error instanceof Error && error.name === name;

/** How the order API answers domain and idempotency errors. */
export function mapOrderError(error: unknown): HttpError | undefined {
  if (error instanceof OrderValidationError)
    return badRequest('the request has invalid fields', error.issues);
  if (error instanceof OrderAccessError) return forbidden(error.message);
  if (error instanceof OrderNotFoundError) return notFound(`order ${error.orderId} does not exist`);
  if (isIdempotencyError(error, 'IdempotencyValidationError')) {
    return conflict('this Idempotency-Key was already used with a different body');
  }
  if (isIdempotencyError(error, 'IdempotencyAlreadyInProgressError')) {
    return conflict('a request with this Idempotency-Key is still being processed; retry shortly');
  }
  return undefined;
}
