import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseCommandLine } from './commandLine';
import { findRepoRoot } from './services/workspace';

/**
 * `pnpm trail <correlationId>`: everything every service logged for one flow, oldest first, one
 * line each, read from the log files the local cloud writes (`.local-cloud/logs/<service>.log`).
 * The live view shows one line per hop; this shows every line in between.
 */

/** The fields of a Powertools log line that the trail shows. */
export interface LogRecord {
  level?: string;
  message: string;
  timestamp: string;
  correlationId: string;
  function_name?: string;
  eventType?: string;
  eventSource?: string;
  method?: string;
  path?: string;
  status?: number;
  durationMs?: number;
  error?: { name?: string; message?: string };
}

/** What one service printed, line by line. */
export interface ServiceLog {
  service: string;
  lines: string[];
}

export interface TrailLine {
  service: string;
  record: LogRecord;
}

export interface Trail {
  /** The correlation ids the lines carry: one, unless a prefix matched several flows. */
  correlationIds: string[];
  /** Oldest first; lines with the same timestamp keep their order within a service. */
  lines: TrailLine[];
}

/**
 * The log record a line holds when it is a Powertools log line of some flow (JSON with a message,
 * a timestamp and a correlation id); undefined for anything else a service prints (EMF metrics,
 * serverless-offline's own output, lines of no flow).
 */
export function parseLogLine(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  let record: Partial<LogRecord>;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { message, timestamp, correlationId } = record;
  return typeof message === 'string' &&
    typeof timestamp === 'string' &&
    typeof correlationId === 'string'
    ? (record as LogRecord)
    : undefined;
}

/**
 * The lines of one flow across every service, oldest first. `query` is a whole correlation id or
 * the start of one (the live view shows the first 12 characters): lines with exactly that id win;
 * otherwise every id starting with it matches, and `correlationIds` says how many flows that was.
 */
export function collectTrail(logs: readonly ServiceLog[], query: string): Trail {
  const all = logs.flatMap(({ service, lines }) =>
    lines.flatMap((line) => {
      const record = parseLogLine(line);
      return record?.correlationId.startsWith(query) ? [{ service, record }] : [];
    }),
  );
  const exact = all.filter((line) => line.record.correlationId === query);
  const lines = (exact.length > 0 ? exact : all).sort((a, b) =>
    a.record.timestamp.localeCompare(b.record.timestamp),
  );
  return {
    correlationIds: [...new Set(lines.map((line) => line.record.correlationId))],
    lines,
  };
}

/** `shop-order-local-createOrder` → `createOrder`: the function key, as serverless.yml names it. */
function functionKey(functionName: string | undefined): string {
  return functionName?.split('-').at(-1) ?? '-';
}

/**
 * One readable line: time, service, function, level (when not INFO), message, then what the
 * record says about the hop: event type and producer, request and status, duration, error.
 *
 * @example
 * formatTrailLine({ service: 'inventory', record: { message: 'event handled', eventType: 'OrderCreated', … } })
 * // '01:49:26.247  inventory     handleOrderEvents       event handled  OrderCreated ← order  51 ms'
 */
export function formatTrailLine({ service, record }: TrailLine): string {
  const level = record.level && !['INFO', 'DEBUG'].includes(record.level) ? `${record.level} ` : '';
  const details = [
    record.eventType &&
      `${record.eventType}${record.eventSource ? ` ← ${record.eventSource}` : ''}`,
    record.method &&
      `${record.method} ${record.path ?? ''}${record.status ? ` → ${record.status}` : ''}`,
    record.durationMs !== undefined && `${record.durationMs} ms`,
    record.error?.message && `${record.error.name ?? 'Error'}: ${record.error.message}`,
  ].filter(Boolean);
  return [
    record.timestamp.slice(11, 23),
    service.padEnd(12),
    functionKey(record.function_name).padEnd(22),
    `${level}${record.message}`,
    ...details,
  ].join('  ');
}

/** Every `<service>.log` in the folder. */
export function readServiceLogs(logDir: string): ServiceLog[] {
  if (!existsSync(logDir)) {
    throw new Error(
      `no logs in ${logDir}: start the local cloud (pnpm dev) and send a request first`,
    );
  }
  return readdirSync(logDir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => ({
      service: basename(name, '.log'),
      lines: readFileSync(join(logDir, name), 'utf8').split('\n'),
    }));
}

export const TRAIL_USAGE = `  trail  print every log line of one correlation id (or its first characters), across all
         services, oldest first, from the logs of the running or last local cloud
         --logs   read the logs in this folder instead of .local-cloud/logs`;

/** The `trail` command: `local-cloud trail <correlationId> [--logs dir]`. */
export async function trail(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(args, {
    allowPositionals: true,
    options: { logs: { type: 'string' } },
  });
  const [query] = positionals;
  if (!query || positionals.length > 1) {
    throw new Error('usage: pnpm trail <correlationId> [--logs dir]');
  }
  const logDir = values.logs ? resolve(values.logs) : join(findRepoRoot(), '.local-cloud', 'logs');
  const { correlationIds, lines } = collectTrail(readServiceLogs(logDir), query);
  if (lines.length === 0) {
    throw new Error(
      `no log line carries correlation id ${query} in ${logDir} (the logs start afresh with every start of the local cloud)`,
    );
  }
  if (correlationIds.length > 1) {
    throw new Error(
      `${query} starts ${correlationIds.length} correlation ids; give more of it: ${correlationIds.join(', ')}`,
    );
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  for (const line of lines) say(formatTrailLine(line));
  const services = [...new Set(lines.map((line) => line.service))];
  say(`\n${lines.length} log lines of ${correlationIds[0]} from ${services.join(', ')}`);
}
