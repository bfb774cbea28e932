import { formatTrailLine, type LogRecord, parseLogLine } from '../trail';

/** One log line of a flow, as the console shows it. */
export interface ConsoleTrailLine {
  service: string;
  timestamp: string;
  level: string;
  message: string;
  /** The line as `pnpm trail` prints it. */
  text: string;
}

type Listener = (line: ConsoleTrailLine) => void;

/**
 * The log lines of every flow since the local cloud started, by correlation id, kept in memory
 * from what the services print (the same lines `.local-cloud/logs/*.log` gets), so a page can
 * show an order's trail and hear of each new line as it is printed. Bounded: past `maxLines`
 * the flows seen longest ago are forgotten whole.
 *
 * @example
 * const trails = new LiveTrails();
 * trails.record('order', '{"message":"order placed","timestamp":"…","correlationId":"c-1"}');
 * trails.lines('c-1'); // [{ service: 'order', message: 'order placed', … }]
 */
export class LiveTrails {
  readonly #byCorrelationId = new Map<string, ConsoleTrailLine[]>();
  readonly #listeners = new Map<string, Set<Listener>>();
  #size = 0;

  constructor(private readonly maxLines = 20_000) {}

  /** A line a service printed; anything but a Powertools line of some flow is ignored. */
  record(service: string, line: string): void {
    const record = parseLogLine(line);
    if (!record) return;
    const entry = toConsoleLine(service, record);
    const id = record.correlationId;
    const lines = this.#byCorrelationId.get(id);
    if (lines) lines.push(entry);
    else this.#byCorrelationId.set(id, [entry]);
    this.#size += 1;
    this.#evict();
    for (const listener of this.#listeners.get(id) ?? []) listener(entry);
  }

  /** Every line of one flow so far, oldest first. */
  lines(correlationId: string): ConsoleTrailLine[] {
    return [...(this.#byCorrelationId.get(correlationId) ?? [])].sort((a, b) =>
      a.timestamp.localeCompare(b.timestamp),
    );
  }

  /** Calls `listener` with every new line of the flow; returns the unsubscribe function. */
  subscribe(correlationId: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(correlationId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(correlationId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(correlationId);
    };
  }

  #evict(): void {
    // Maps iterate in insertion order: the first key is the flow first seen.
    for (const [id, lines] of this.#byCorrelationId) {
      if (this.#size <= this.maxLines) return;
      this.#byCorrelationId.delete(id);
      this.#size -= lines.length;
    }
  }
}

function toConsoleLine(service: string, record: LogRecord): ConsoleTrailLine {
  return {
    service,
    timestamp: record.timestamp,
    level: record.level ?? 'INFO',
    message: record.message,
    text: formatTrailLine({ service, record }),
  };
}
