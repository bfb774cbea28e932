import {
  collectTrail,
  formatTrailLine,
  type LogRecord,
  parseLogLine,
  type ServiceLog,
} from '../../src/trail';

/** A log line as Powertools prints it in a function of the local cloud. */
const logLine = (fields: Partial<LogRecord> & { timestamp: string; message: string }) =>
  JSON.stringify({
    level: 'INFO',
    service: 'svc',
    cold_start: false,
    function_name: 'shop-order-local-createOrder',
    function_request_id: 'req-1',
    ...fields,
  });

const emf = JSON.stringify({
  _aws: { Timestamp: 1, CloudWatchMetrics: [] },
  service: 'order',
  ProcessingTime: 3,
});

const logs: ServiceLog[] = [
  {
    service: 'order',
    lines: [
      'Starting Offline at stage local (eu-west-1)',
      logLine({
        timestamp: '2026-11-27T01:49:25.230Z',
        message: 'order placed',
        correlationId: 'flow-1',
      }),
      logLine({
        timestamp: '2026-11-27T01:49:25.240Z',
        message: 'request handled',
        correlationId: 'flow-1',
        method: 'POST',
        path: '/orders',
        status: 201,
        durationMs: 158,
      }),
      emf,
      logLine({
        timestamp: '2026-11-27T01:49:27.834Z',
        message: 'event handled',
        correlationId: 'flow-1',
        function_name: 'shop-order-local-recordOutcomes',
        eventType: 'InventoryReserved',
        eventSource: 'inventory',
        durationMs: 12,
      }),
      logLine({ timestamp: '2026-11-27T01:49:26.000Z', message: 'other', correlationId: 'flow-2' }),
      '{"level":"INFO","message":"summary rolled up","timestamp":"2026-11-27T01:49:26.100Z"}',
      '',
    ],
  },
  {
    service: 'inventory',
    lines: [
      logLine({
        timestamp: '2026-11-27T01:49:26.804Z',
        message: 'event handling failed; it will be retried',
        level: 'ERROR',
        correlationId: 'flow-1',
        function_name: 'shop-inventory-local-handleOrderEvents',
        eventType: 'OrderCreated',
        eventSource: 'order',
        error: { name: 'Error', message: 'table busy' },
      }),
      '{not json',
    ],
  },
];

describe('Function: parseLogLine', () => {
  it('reads a Powertools log line of a flow', () => {
    // Act
    const record = parseLogLine(
      logLine({ timestamp: '2026-11-27T01:49:25.230Z', message: 'hi', correlationId: 'c-1' }),
    );

    // Assess
    expect(record).toMatchObject({ message: 'hi', correlationId: 'c-1' });
  });

  it.each([
    ['text', 'Offline [http for lambda] listening on http://127.0.0.1:44223'],
    ['broken JSON', '{"message": '],
    ['an EMF document', emf],
    ['a log line of no flow', '{"message":"summary rolled up","timestamp":"2026-11-27T01:49:24Z"}'],
  ])('ignores %s', (_, line) => {
    // Act & Assess
    expect(parseLogLine(line)).toBeUndefined();
  });
});

describe('Function: collectTrail', () => {
  it("gathers one flow's lines from every service, oldest first", () => {
    // Act
    const trail = collectTrail(logs, 'flow-1');

    // Assess
    expect(trail.correlationIds).toEqual(['flow-1']);
    expect(trail.lines.map((line) => `${line.service}: ${line.record.message}`)).toEqual([
      'order: order placed',
      'order: request handled',
      'inventory: event handling failed; it will be retried',
      'order: event handled',
    ]);
  });

  it('matches the start of an id, as the live view shows it, and names every flow it matched', () => {
    // Act
    const trail = collectTrail(logs, 'flow-');

    // Assess
    expect(trail.correlationIds).toEqual(['flow-1', 'flow-2']);
    expect(trail.lines).toHaveLength(5);
  });

  it('prefers the flow with exactly that id over longer ids that start with it', () => {
    // Prepare
    const withLonger: ServiceLog[] = [
      ...logs,
      {
        service: 'payment',
        lines: [
          logLine({
            timestamp: '2026-11-27T01:49:26.000Z',
            message: 'x',
            correlationId: 'flow-10',
          }),
        ],
      },
    ];

    // Act
    const trail = collectTrail(withLonger, 'flow-1');

    // Assess
    expect(trail.correlationIds).toEqual(['flow-1']);
  });

  it('finds nothing for an id no line carries', () => {
    // Act & Assess
    expect(collectTrail(logs, 'nobody')).toEqual({ correlationIds: [], lines: [] });
  });
});

describe('Function: formatTrailLine', () => {
  const [placed, request, failed, handled] = collectTrail(logs, 'flow-1').lines;

  it('shows time, service, function and message', () => {
    // Act
    const line = formatTrailLine(placed ?? fail());

    // Assess
    expect(line).toBe(`01:49:25.230  order         ${'createOrder'.padEnd(22)}  order placed`);
  });

  it('adds the request and its answer to an HTTP line', () => {
    // Act & Assess
    expect(formatTrailLine(request ?? fail())).toMatch(
      /request handled {2}POST \/orders → 201 {2}158 ms$/,
    );
  });

  it('adds the event type and its producer to an event line', () => {
    // Act & Assess
    expect(formatTrailLine(handled ?? fail())).toMatch(
      /recordOutcomes +event handled {2}InventoryReserved ← inventory {2}12 ms$/,
    );
  });

  it('marks errors and gives their message', () => {
    // Act
    const line = formatTrailLine(failed ?? fail());

    // Assess
    expect(line).toContain('inventory     handleOrderEvents');
    expect(line).toContain('ERROR event handling failed; it will be retried  OrderCreated ← order');
    expect(line).toMatch(/Error: table busy$/);
  });
});

function fail(): never {
  throw new Error('the fixture lost a line');
}
