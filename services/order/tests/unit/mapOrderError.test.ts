import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { mapOrderError } from '../../src/mapOrderError';

describe('Function: mapOrderError', () => {
  it('answers 409 to the idempotency errors Powertools throws', () => {
    // Act
    const reused = mapOrderError(new IdempotencyValidationError('payload differs'));
    const inProgress = mapOrderError(new IdempotencyAlreadyInProgressError('in progress'));

    // Assess
    expect(reused?.statusCode).toBe(409);
    expect(inProgress?.statusCode).toBe(409);
  });

  it('leaves errors it does not know to the edge', () => {
    // Act & Assess
    expect(mapOrderError(new Error('IdempotencyValidationError'))).toBeUndefined();
  });
});
