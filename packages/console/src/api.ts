import { ProblemError, problemOf } from './problem';

/** What `GET /_local/console/api/config` says about the local cloud. */
export interface ConsoleConfig {
  region: string;
  stage: string;
  userPool: { userPoolId: string; clientId: string } | null;
  paymentTokens: { token: string; label: string }[];
  seededUsers: { email: string; password: string; role: 'admin' | 'customer' }[];
  mediaBucket: string;
}

export interface Money {
  amount: number;
  currency: string;
}

export interface Product {
  productId: string;
  name: string;
  description?: string;
  price: Money;
  stock: number;
  imageKey?: string;
  thumbnail?: { key: string; width: number; height: number };
}

export interface Order {
  orderId: string;
  customerId: string;
  customerEmail: string;
  lines: { productId: string; quantity: number; unitPrice: Money }[];
  total: Money;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  cancellationReason?: string;
  createdAt: string;
  updatedAt: string;
  timeline: { at: string; event: string; detail?: string }[];
}

export interface Email {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  at: string;
  html?: string;
  text?: string;
  correlationId?: string;
}

export interface TrailLine {
  service: string;
  timestamp: string;
  level: string;
  message: string;
  text: string;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Calls the shop's API (`/orders`, `/products`…) or a console route (`api/…`, relative to the
 * console's page) on the page's own origin, with the caller's ID token when given.
 *
 * @throws ProblemError with the problem document of any answer that is not 2xx.
 */
export async function call(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) throw new ProblemError(await problemOf(response));
  return response;
}

/** {@link call}, then the JSON body. */
export async function callJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await call(path, options)).json() as Promise<T>;
}

/** A URL path segment, escaped. */
export const segment = (value: string) => encodeURIComponent(value);
