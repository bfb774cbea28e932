/** One invalid field of a request: a dotted path and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base error of the inventory domain; carries no HTTP status. */
export class InventoryDomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InventoryDomainError';
  }
}

export class ProductNotFoundError extends InventoryDomainError {
  constructor(readonly productId: string) {
    super(`product ${productId} does not exist`);
    this.name = 'ProductNotFoundError';
  }
}

export class InventoryValidationError extends InventoryDomainError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, options);
    this.name = 'InventoryValidationError';
  }
}
