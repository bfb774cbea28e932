export { type Access, ADMIN_GROUP, type Caller, callerFromClaims } from './caller';
export {
  badRequest,
  conflict,
  forbidden,
  HttpError,
  type HttpIssue,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  preconditionFailed,
  preconditionRequired,
  unauthorized,
  unsupportedMediaType,
} from './errors';
export { type HttpHandlerOptions, type HttpRequest, httpHandler } from './httpHandler';
export { idempotencyKeyOf } from './idempotencyKey';
export { methodNotAllowedHandler } from './methodNotAllowedHandler';
export {
  authResponses,
  bearerSecurityScheme,
  correlationIdHeader,
  ProblemSchema,
  problemResponse,
  secured,
} from './openapi';
export { type HttpResponse, json, problem } from './response';
