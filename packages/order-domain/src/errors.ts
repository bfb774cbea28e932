/** One invalid field of a request: a dotted path (`lines.0.quantity`) and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base error of the order domain. Carries no HTTP status: the edge maps errors to responses. */
export class OrderDomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderDomainError';
  }
}

/** The request breaks the rules; `issues` name every offending field. */
export class OrderValidationError extends OrderDomainError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], options?: ErrorOptions) {
    super(
      `invalid order request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      options,
    );
    this.name = 'OrderValidationError';
    this.issues = issues;
  }
}

export class OrderNotFoundError extends OrderDomainError {
  constructor(readonly orderId: string) {
    super(`order ${orderId} does not exist`);
    this.name = 'OrderNotFoundError';
  }
}

/** The caller may not do this (e.g. place an order without a verified email). */
export class OrderAccessError extends OrderDomainError {
  constructor(message: string) {
    super(message);
    this.name = 'OrderAccessError';
  }
}

/** A state change that the order's current state does not allow (e.g. confirming a cancelled order). */
export class OrderStateError extends OrderDomainError {
  constructor(message: string) {
    super(message);
    this.name = 'OrderStateError';
  }
}

/** Another writer changed the order since it was read; read it again and retry. */
export class OrderVersionConflictError extends OrderDomainError {
  constructor(readonly orderId: string) {
    super(`order ${orderId} changed while it was being updated`);
    this.name = 'OrderVersionConflictError';
  }
}
