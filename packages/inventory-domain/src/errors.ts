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

/** A product with this id exists already; ids are never reused. */
export class ProductAlreadyExistsError extends InventoryDomainError {
  constructor(readonly productId: string) {
    super(`product ${productId} already exists`);
    this.name = 'ProductAlreadyExistsError';
  }
}

/**
 * The product changed since the administrator read it (optimistic concurrency): the write was
 * not made, and would have overwritten a change the administrator has not seen.
 */
export class ProductVersionMismatchError extends InventoryDomainError {
  constructor(
    readonly productId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `product ${productId} is at version ${currentVersion}, not ${expectedVersion}; read it again`,
    );
    this.name = 'ProductVersionMismatchError';
  }
}

/** Removing `-delta` units would take the stock below zero; nothing was changed. */
export class InsufficientStockError extends InventoryDomainError {
  constructor(
    readonly productId: string,
    readonly stock: number,
    readonly delta: number,
  ) {
    super(`product ${productId} has ${stock} in stock; removing ${-delta} would leave it below 0`);
    this.name = 'InsufficientStockError';
  }
}
