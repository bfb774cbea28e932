/** One server-sent event. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Splits a `text/event-stream` into events as its chunks arrive (a chunk may end anywhere, even
 * inside a line). Comments (`: keep-alive`) are dropped; `event` defaults to `message`; several
 * `data` lines join with newlines, as the HTML spec says.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 *
 * @example
 * const parser = new EventStreamParser();
 * parser.push('event: order\ndata: {"status":"PEN'); // []
 * parser.push('DING"}\n\n'); // [{ event: 'order', data: '{"status":"PENDING"}' }]
 */
export class EventStreamParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    this.#buffer += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const end = this.#buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      const line = this.#buffer.slice(0, end);
      const newline = this.#buffer.startsWith('\r\n', end) ? 2 : 1;
      this.#buffer = this.#buffer.slice(end + newline);
      if (line === '') {
        if (this.#data.length > 0) {
          events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
        }
        this.#event = '';
        this.#data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') this.#event = value;
      else if (field === 'data') this.#data.push(value);
    }
    return events;
  }
}

/**
 * Reads a server-sent event stream from a fetch response until it ends or `signal` aborts.
 * `EventSource` cannot send an `Authorization` header, and the console's streams are per caller,
 * so the page reads the stream through fetch instead.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const event of parser.push(value)) onEvent(event);
  }
}
