/** Base of the errors this package throws. */
export class LambdaSqsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LambdaSqsError';
  }
}

export interface InvalidRecordDetails {
  /** Counted once per rejected record (`InvalidEvents`, `InvalidNotifications`, …). */
  metric: string;
  /** The error line logged for the record. */
  logMessage: string;
  /** Sent with the dead letter, when the record's flow is known. */
  correlationId?: string;
  /** Logged with the record's messageId: what was wrong and where. */
  details?: Record<string, unknown>;
}

/**
 * Thrown by a record parser for a record no retry can fix (not JSON, not a valid event, …): the
 * batch core sends it to the DLQ at once and acknowledges it. Its message is the dead letter's
 * `deadLetterReason`.
 *
 * @example
 * ```ts
 * throw new LambdaSqsInvalidRecordError('the body is not JSON', {
 *   metric: 'InvalidNotifications',
 *   logMessage: 'rejected an unreadable notification; it will go to the DLQ',
 * });
 * ```
 */
export class LambdaSqsInvalidRecordError extends LambdaSqsError {
  readonly metric: string;
  readonly logMessage: string;
  readonly correlationId?: string;
  readonly details: Record<string, unknown>;

  constructor(reason: string, rejection: InvalidRecordDetails, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'LambdaSqsInvalidRecordError';
    this.metric = rejection.metric;
    this.logMessage = rejection.logMessage;
    if (rejection.correlationId) this.correlationId = rejection.correlationId;
    this.details = rejection.details ?? {};
  }
}
