/**
 * Turns the JSON log lines of the services (Powertools logger) into one readable line per hop:
 * time, correlation id, event type, producer → consumer, outcome, duration. Everything else a
 * service prints goes to its log file only.
 */

interface LogRecord {
  level?: string;
  message?: string;
  timestamp?: string;
  service?: string;
  correlationId?: string;
  eventType?: string;
  eventSource?: string;
  durationMs?: number;
  method?: string;
  path?: string;
  status?: number;
  error?: { message?: string; name?: string };
  issues?: { path: string; message: string }[];
}

const COLOR = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (COLOR ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (text: string) => paint(32, text);
const yellow = (text: string) => paint(33, text);
const red = (text: string) => paint(31, text);
const dim = (text: string) => paint(2, text);

function parse(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as LogRecord;
    return typeof record.message === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

function time(record: LogRecord): string {
  return (record.timestamp ?? new Date().toISOString()).slice(11, 23);
}

function shortId(id: string | undefined): string {
  return (id ?? '-').slice(0, 12).padEnd(12);
}

/**
 * The live-view line for one line a service printed, or undefined when it is not worth a line.
 *
 * @example
 * formatLogLine('inventory', '{"message":"event handled","eventType":"OrderCreated",…}')
 * // '01:13:14.785  1b2c3d4e  OrderCreated                order → inventory       ok        3 ms'
 */
export function formatLogLine(service: string, line: string): string | undefined {
  const record = parse(line);
  if (!record) return undefined;
  const hop = (outcome: string, detail = '') =>
    [
      dim(time(record)),
      shortId(record.correlationId),
      (record.eventType ?? '').padEnd(26),
      `${record.eventSource ?? '?'} → ${service}`.padEnd(24),
      outcome,
      record.durationMs !== undefined ? dim(`${record.durationMs} ms`) : '',
      detail,
    ]
      .filter(Boolean)
      .join('  ');

  switch (record.message) {
    case 'event handled':
      return hop(green('ok      '));
    case 'event handling failed; it will be retried':
      return hop(yellow('retry   '), record.error?.message ?? '');
    case 'rejected an invalid event; it will go to the DLQ':
      return hop(
        red('rejected'),
        `${(record.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ')} → fix the producer, then redrive the DLQ`,
      );
    case 'request handled': {
      const status = record.status ?? 0;
      // Reads that succeed are not part of a flow; writes and failures are.
      if (record.method === 'GET' && status < 400) return undefined;
      const outcome =
        status >= 500
          ? red(String(status))
          : status >= 400
            ? yellow(String(status))
            : green(String(status));
      return [
        dim(time(record)),
        shortId(record.correlationId),
        `${record.method} ${record.path}`.padEnd(26),
        `client → ${service}`.padEnd(24),
        outcome.padEnd(COLOR ? 17 : 8),
        record.durationMs !== undefined ? dim(`${record.durationMs} ms`) : '',
      ]
        .filter(Boolean)
        .join('  ');
    }
    default:
      if (record.level === 'ERROR' || record.level === 'CRITICAL') {
        return `${dim(time(record))}  ${shortId(record.correlationId)}  ${red(`${service}: ${record.message}`)}${
          record.error?.message ? ` — ${record.error.message}` : ''
        }  ${dim(`(details: .local-cloud/logs/${service}.log)`)}`;
      }
      return undefined;
  }
}
