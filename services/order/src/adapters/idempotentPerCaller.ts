import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '@shop/aws-adapters';
import type { Context } from 'aws-lambda';

/** What the wrapped function is called with: a body, and the caller the key belongs to. */
export interface CallerRequest {
  body: unknown;
  caller: { customerId: string };
}

export interface IdempotentPerCallerOptions {
  /** The Powertools idempotency table (ORDER_IDEMPOTENCY_TABLE). */
  tableName: string;
  /** Tests pass their own; by default one is built once, here. */
  client?: DynamoDBClient;
}

/**
 * Makes `run` safe to repeat under an `Idempotency-Key`, with Powertools idempotency records in
 * DynamoDB (kept 24 hours): the same caller, key and body get the stored answer again, the same
 * key with another body is refused (`IdempotencyValidationError`). The key is scoped to the
 * caller, so one customer's key can never replay another's answer. Without a key, `run` runs.
 *
 * @example
 * ```ts
 * const placeOnce = idempotentPerCaller(place, { tableName: requireEnv('ORDER_IDEMPOTENCY_TABLE') });
 * const view = await placeOnce(input, idempotencyKeyOf(headers), context);
 * ```
 */
export function idempotentPerCaller<I extends CallerRequest, R>(
  run: (input: I) => Promise<R>,
  options: IdempotentPerCallerOptions,
): (input: I, idempotencyKey: string | undefined, context: Context) => Promise<R> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[caller.customerId, idempotencyKey]',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: 24 * 60 * 60,
  });
  const runOnce = makeIdempotent((input: I & { idempotencyKey: string }) => run(input), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: options.tableName,
      awsSdkV3Client: options.client ?? createDynamoDbClient(),
    }),
    config,
  });
  return async (input, idempotencyKey, context) => {
    if (idempotencyKey === undefined) return run(input);
    // Lets Powertools expire an in-progress record when this invocation times out.
    config.registerLambdaContext(context);
    return runOnce({ ...input, idempotencyKey });
  };
}
