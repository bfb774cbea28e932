/** One problem found while validating an event: where (a dotted path) and what. */
export interface ContractIssue {
  path: string;
  message: string;
}

/** Base error of this package. */
export class ContractsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContractsError';
  }
}

/**
 * The message is not a valid event: malformed JSON, an unknown type or version, or a payload that
 * does not match the schema. Permanent: retrying the same message can never succeed, so consumers
 * send it to their DLQ instead of retrying it.
 *
 * @example
 * ```ts
 * try { parseEvent(body) } catch (e) {
 *   if (e instanceof ContractsValidationError) logger.error('bad event', { issues: e.issues });
 * }
 * ```
 */
export class ContractsValidationError extends ContractsError {
  readonly issues: ContractIssue[];

  constructor(summary: string, issues: ContractIssue[], options?: ErrorOptions) {
    const detail = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super(detail ? `${summary}: ${detail}` : summary, options);
    this.name = 'ContractsValidationError';
    this.issues = issues;
  }
}
