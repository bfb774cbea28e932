export {
  badRequest,
  conflict,
  HttpError,
  type HttpIssue,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
} from './errors';
export { type HttpHandlerOptions, type HttpRequest, httpHandler } from './httpHandler';
export { methodNotAllowedHandler } from './methodNotAllowedHandler';
export { correlationIdHeader, ProblemSchema, problemResponse } from './openapi';
export { type HttpResponse, json, problem } from './response';
