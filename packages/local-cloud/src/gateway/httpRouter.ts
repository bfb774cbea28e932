import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_HOST } from '../net';
import { proxyTo, sendJson } from './proxy';

export interface HttpRoute {
  method: string;
  /** API Gateway path template, e.g. `/orders/{id}`. */
  path: string;
  service: string;
  port: number;
}

interface CompiledRoute extends HttpRoute {
  pattern: RegExp;
  specificity: number;
}

/** Routes of an HTTP API stack, from its AWS::ApiGatewayV2::Route resources (`RouteKey: "GET /orders"`). */
export function routesFromTemplate(
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  service: string,
  port: number,
): HttpRoute[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
    .map((resource) => String(resource.Properties?.RouteKey ?? ''))
    .filter((routeKey) => routeKey.includes(' '))
    .map((routeKey) => {
      const [method = 'ANY', path = '/'] = routeKey.split(' ');
      return { method, path, service, port };
    });
}

function compile(route: HttpRoute): CompiledRoute {
  const source = route.path
    .split('/')
    .map((segment) =>
      segment.startsWith('{') ? (segment.endsWith('+}') ? '.+' : '[^/]+') : escapeRegExp(segment),
    )
    .join('/');
  return {
    ...route,
    pattern: new RegExp(`^${source}/?$`),
    // Literal segments beat parameters, a method beats ANY: the way API Gateway picks a route.
    specificity:
      route.path.split('/').filter((s) => s && !s.startsWith('{')).length * 10 +
      (route.method === 'ANY' ? 0 : 1),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface HttpRouter {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The single local base URL: forwards each request to the serverless-offline port of the service
 * whose HTTP API declares the route, and serves the merged OpenAPI document at `/openapi.json`.
 * `POST /_local/services/<name>/stop|start` stops or starts one service, to rehearse crashes.
 */
export async function startHttpRouter(
  port: number,
  routes: HttpRoute[],
  serviceControl: (service: string, action: string) => Promise<{ status: number; body: unknown }>,
  openApiDocument: (baseUrl: string) => Promise<unknown>,
): Promise<HttpRouter> {
  const compiled = routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/openapi.json' && req.method === 'GET') {
      openApiDocument(`http://${req.headers.host ?? `${LOCAL_HOST}:${port}`}`).then(
        (document) => sendJson(res, 200, document),
        (error: Error) =>
          sendJson(res, 500, { title: 'OpenAPI generation failed', detail: error.message }),
      );
      return;
    }
    const control = /^\/_local\/services\/([\w-]+)\/(stop|start)$/.exec(url.pathname);
    if (control && req.method === 'POST') {
      serviceControl(control[1] as string, control[2] as string).then(
        ({ status, body }) => sendJson(res, status, body),
        (error: Error) =>
          sendJson(res, 500, { title: 'Service control failed', detail: error.message }),
      );
      return;
    }
    const method = req.method ?? 'GET';
    const matching = compiled.filter((route) => route.pattern.test(url.pathname));
    // OPTIONS preflights go to the service owning the path; its CORS settings answer them.
    const route =
      matching.find((r) => r.method === method) ??
      matching.find((r) => r.method === 'ANY') ??
      matching[0];
    if (!route) {
      sendJson(
        res,
        404,
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `no service has a route for ${url.pathname}; see /openapi.json`,
        },
        'application/problem+json',
      );
      return;
    }
    proxyTo(route.port, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
