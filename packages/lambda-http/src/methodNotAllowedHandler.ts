import { methodNotAllowed } from './errors';
import { httpHandler } from './httpHandler';

/**
 * A handler for `ANY <path>` routes that answers 405 with an `Allow` header. HTTP APIs prefer a
 * specific route such as `GET /orders`, so only methods that have no route reach it.
 *
 * @param allowed methods per route path, e.g. `{ '/orders': ['GET', 'POST'] }`.
 * @example
 * ```ts
 * export const handler = methodNotAllowedHandler({ '/orders': ['GET', 'POST'], '/orders/{id}': ['GET'] });
 * ```
 */
export function methodNotAllowedHandler(allowed: Record<string, readonly string[]>) {
  const routes = Object.entries(allowed).map(([template, methods]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^/]+\}/g, '[^/]+')}/?$`),
    methods,
  }));
  return httpHandler(
    async ({ method, routeKey, path }) => {
      const template = routeKey.split(' ')[1];
      const route =
        routes.find((r) => r.template === template) ?? routes.find((r) => r.pattern.test(path));
      throw methodNotAllowed(method, [...(route?.methods ?? []), 'OPTIONS']);
    },
    // Who may call is the route's authorizer's business; a 405 reveals nothing either way.
    { readBody: false, access: 'public' },
  );
}
