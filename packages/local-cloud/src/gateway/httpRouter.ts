import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConsolePath, type LocalConsole } from '../console/localConsole';
import { LOCAL_HOST } from '../net';
import { type UsageRecorder, usage } from '../usage';
import type { JwtAuthorizer, JwtAuthorizerConfig } from './jwtAuthorizer';
import { refuseUnlessLoopback } from './loopbackGuard';
import { proxyTo, sendJson } from './proxy';
import { stageThrottle, type ThrottleSettings, TokenBucket } from './throttle';

export interface HttpRoute {
  method: string;
  /** API Gateway path template, e.g. `/orders/{id}`. */
  path: string;
  service: string;
  port: number;
  /** The route's JWT authorizer (`AuthorizationType: JWT`); absent on public routes. */
  authorizer?: JwtAuthorizerConfig;
  /** The stage's default route throttling; each route has a bucket of its own. */
  throttle?: ThrottleSettings;
}

/** A route ready to match requests, with its own throttling bucket. */
export interface CompiledRoute extends HttpRoute {
  pattern: RegExp;
  specificity: number;
  bucket?: TokenBucket;
}

type TemplateResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/**
 * Routes of an HTTP API stack, from its AWS::ApiGatewayV2::Route resources (`RouteKey: "GET /orders"`),
 * each with its JWT authorizer (`AuthorizationType: JWT`, `AuthorizerId: { Ref }`) and the stage's
 * throttling. `resolve` resolves the authorizer's intrinsics (the issuer and audience are imports).
 */
export function routesFromTemplate(
  resources: TemplateResources,
  service: string,
  port: number,
  resolve: (value: unknown) => unknown = (value) => value,
): HttpRoute[] {
  const throttle = stageThrottle(resources);
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
    .filter((resource) => String(resource.Properties?.RouteKey ?? '').includes(' '))
    .map((resource) => {
      const [method = 'ANY', path = '/'] = String(resource.Properties?.RouteKey).split(' ');
      const authorizer =
        resource.Properties?.AuthorizationType === 'JWT'
          ? jwtAuthorizerOf(resources, resource.Properties.AuthorizerId, resolve)
          : undefined;
      return {
        method,
        path,
        service,
        port,
        ...(authorizer ? { authorizer } : {}),
        ...(throttle ? { throttle } : {}),
      };
    });
}

function jwtAuthorizerOf(
  resources: TemplateResources,
  authorizerId: unknown,
  resolve: (value: unknown) => unknown,
): JwtAuthorizerConfig {
  const logicalId = (authorizerId as { Ref?: string } | undefined)?.Ref ?? '';
  const properties = resources[logicalId]?.Properties;
  const jwt = properties?.JwtConfiguration as { Issuer?: unknown; Audience?: unknown } | undefined;
  const identitySource = (properties?.IdentitySource as string[] | undefined)?.[0] ?? '';
  if (!jwt) throw new Error(`route authorizer ${logicalId} has no JwtConfiguration`);
  return {
    issuer: String(resolve(jwt.Issuer)),
    audience: (resolve(jwt.Audience) as unknown[]).map(String),
    header: /^\$request\.header\.(.+)$/.exec(identitySource)?.[1]?.toLowerCase() ?? 'authorization',
  };
}

/** The routes, compiled and ordered most specific first, for {@link matchRoute}. */
export function compileRoutes(routes: readonly HttpRoute[]): CompiledRoute[] {
  return routes.map(compile).sort((a, b) => b.specificity - a.specificity);
}

/**
 * The route a request goes to, as API Gateway picks it: the most specific path that matches
 * (literal segments beat `{parameters}`, which beat `{proxy+}`), with the request's method, else
 * `ANY`. An OPTIONS preflight without a route of its own goes to any route of the path, whose
 * service's CORS settings answer it.
 *
 * @example
 * const routes = compileRoutes([{ method: 'GET', path: '/orders/{id}', service: 'order', port: 3001 }]);
 * matchRoute(routes, 'GET', '/orders/o-1')?.service; // 'order'
 */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  pathname: string,
): CompiledRoute | undefined {
  const matching = routes.filter((route) => route.pattern.test(pathname));
  return (
    matching.find((route) => route.method === method) ??
    matching.find((route) => route.method === 'ANY') ??
    (method === 'OPTIONS' ? matching[0] : undefined)
  );
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
    ...(route.throttle ? { bucket: new TokenBucket(route.throttle) } : {}),
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

export interface HttpRouterOptions {
  /** Verifies tokens for routes with a JWT authorizer; without it such routes answer 401. */
  jwtAuthorizer?: JwtAuthorizer;
  /** Called for every request the gateway itself refuses (401, 429), for the live view. */
  onRefused?: (refusal: { method: string; path: string; status: number; reason: string }) => void;
  /** The web console, served under `/_local/console/` (console/localConsole.ts). */
  localConsole?: Pick<LocalConsole, 'handle'>;
  /** Counts forwarded requests and serves `/_local/usage` (default: the process's `usage`). */
  usage?: UsageRecorder;
}

/**
 * The single local base URL, playing API Gateway for every service: throttles each route by its
 * stage's settings (429), verifies the token of routes with a JWT authorizer (401), then forwards
 * the request to the serverless-offline port of the service whose HTTP API declares the route.
 * Serves the merged OpenAPI document at `/openapi.json`.
 * `POST /_local/services/<name>/stop|start` stops or starts one service, to rehearse crashes.
 * `GET /_local/usage` answers what the system used in AWS's billing units (usage/UsageRecorder.ts),
 * `POST /_local/usage/reset` starts counting again.
 */
export async function startHttpRouter(
  port: number,
  routes: HttpRoute[],
  serviceControl: (service: string, action: string) => Promise<{ status: number; body: unknown }>,
  openApiDocument: (baseUrl: string) => Promise<unknown>,
  options: HttpRouterOptions = {},
): Promise<HttpRouter> {
  const compiled = compileRoutes(routes);
  const recorder = options.usage ?? usage;
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
    // Control routes stop services: only for this machine's own tools, never a web page
    // (DNS rebinding, cross-origin forms).
    if (url.pathname.startsWith('/_local/') && refuseUnlessLoopback(req, res)) return;
    // The console is same-origin with the APIs: its page passes the guard (a loopback Origin).
    if (options.localConsole && isConsolePath(url.pathname)) {
      options.localConsole.handle(req, res, url);
      return;
    }
    if (url.pathname === '/_local/usage' && req.method === 'GET') {
      sendJson(res, 200, recorder.snapshot());
      return;
    }
    if (url.pathname === '/_local/usage/reset' && req.method === 'POST') {
      recorder.reset();
      sendJson(res, 200, recorder.snapshot());
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
    const route = matchRoute(compiled, method, url.pathname);
    if (!route) {
      sendJson(
        res,
        404,
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `no service has a route for ${method} ${url.pathname}; see /openapi.json`,
        },
        'application/problem+json',
      );
      return;
    }
    if (route.bucket && !route.bucket.take()) {
      options.onRefused?.({ method, path: url.pathname, status: 429, reason: 'throttled' });
      sendJson(res, 429, { message: 'Too Many Requests' });
      return;
    }
    // Billed as API Gateway bills: every request it forwards, none it refused (401, 429).
    const countForwarded = () =>
      recorder.recordApiRequest(
        `${route.method} ${route.path}`,
        Number(req.headers['content-length'] ?? 0),
      );
    // CORS preflights are answered without the authorizer, as API Gateway does.
    if (!route.authorizer || method === 'OPTIONS') {
      countForwarded();
      proxyTo(route.port, req, res);
      return;
    }
    const authorizer = route.authorizer;
    const header = req.headers[authorizer.header];
    const check = options.jwtAuthorizer
      ? options.jwtAuthorizer.check(Array.isArray(header) ? header[0] : header, authorizer)
      : Promise.resolve({
          ok: false as const,
          reason: 'no authorizer is configured locally',
          challenge: 'Bearer',
        });
    // The body waits in the socket while the token is checked; proxyTo pipes it afterwards.
    req.pause();
    check.then(
      (result) => {
        if (result.ok) {
          countForwarded();
          proxyTo(route.port, req, res);
          return;
        }
        req.resume(); // drain the body nobody will read
        options.onRefused?.({ method, path: url.pathname, status: 401, reason: result.reason });
        res.writeHead(401, {
          'Content-Type': 'application/json',
          'WWW-Authenticate': result.challenge,
        });
        res.end(JSON.stringify({ message: 'Unauthorized' }));
      },
      (error: Error) => sendJson(res, 500, { message: `authorizer failed: ${error.message}` }),
    );
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
