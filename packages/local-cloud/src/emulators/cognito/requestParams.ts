import { invalidParameter } from './errors';
import { MAX_PAGE } from './state';

// Reading request parameters the way the Cognito API validates them, and paging results.

export type Params<T> = { [K in keyof T]?: unknown };

export function missing(name: string) {
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return invalidParameter(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

export function requiredString<T>(params: Params<T>, key: keyof T & string): string {
  const value = params[key];
  if (value === undefined || value === null || value === '') throw missing(key);
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

export function optionalString<T>(params: Params<T>, key: keyof T & string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

export function stringList<T>(params: Params<T>, key: keyof T & string): string[] {
  const value = params[key] ?? [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw invalidParameter(`${key} must be a list of strings`);
  return value as string[];
}

export function objectList<T>(params: Params<T>, key: keyof T & string): Record<string, unknown>[] {
  const value = params[key] ?? [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null))
    throw invalidParameter(`${key} must be a list of objects`);
  return value as Record<string, unknown>[];
}

export function stringMap<T>(params: Params<T>, key: keyof T & string): Record<string, string> {
  const value = params[key] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidParameter(`${key} must be a map of strings`);
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, String(item)]));
}

/** `[{ Name, Value }]` as a map, in order. */
export function attributeList<T>(params: Params<T>, key: keyof T & string): Map<string, string> {
  return new Map(
    objectList(params, key).map((attribute) => [
      String(attribute.Name ?? ''),
      String(attribute.Value ?? ''),
    ]),
  );
}

export function authParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name];
  if (value === undefined || value === '')
    throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

export function pageSize<T>(params: Params<T>, key: keyof T & string, required: boolean): number {
  const value = params[key];
  if (value === undefined || value === null) {
    if (required) throw missing(key);
    return MAX_PAGE;
  }
  const size = Number(value);
  const member = key.charAt(0).toLowerCase() + key.slice(1);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE}`,
    );
  return size;
}

/** Items in creation order from the one the token names; tokens hold a sequence number. */
export function page<T extends { seq: number }>(
  items: T[],
  limit: number,
  token: unknown,
): { items: T[]; next?: string } {
  let from = 0;
  if (token !== undefined && token !== null) {
    from = Number(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (!Number.isInteger(from) || from <= 0) throw invalidParameter('Invalid pagination token.');
  }
  const remaining = items.filter((item) => item.seq >= from).sort((a, b) => a.seq - b.seq);
  const selected = remaining.slice(0, limit);
  const following = remaining[limit];
  return following
    ? { items: selected, next: Buffer.from(String(following.seq)).toString('base64url') }
    : { items: selected };
}
