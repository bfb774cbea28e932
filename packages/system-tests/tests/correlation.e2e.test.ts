import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pollUntil } from '@shop/local-cloud';
import { customer, eur, type Json, useLocalCloud } from './helpers';

// One order followed through the local cloud by the correlation id the HTTP edge gave it: in the
// response, in the log lines of every function the order touched, in the emails it caused, and in
// what `pnpm trail` prints.

jest.setTimeout(300_000);

const local = useLocalCloud('correlation-bus-tap');

/** Every function a confirmed order runs through, as service → function keys. */
const touched: Record<string, string[]> = {
  order: ['createOrder', 'recordOutcomes'],
  inventory: ['handleBusEvents'],
  payment: ['handleOrderEvents'],
  notification: ['handleCustomerEvents'],
  analytics: ['recordEvents'],
};

/** `service/functionKey` of every function that logged a line with this correlation id. */
function functionsThatLogged(correlationId: string): string[] {
  const logged = Object.keys(touched).flatMap((service) =>
    local.shop
      .logsOf(service)
      .filter((line) => line.correlationId === correlationId)
      .map((line) => `${service}/${String(line.function_name).split('-').at(-1)}`),
  );
  return [...new Set(logged)].sort();
}

/**
 * What `pnpm trail <correlationId>` prints, run as a person would run it, over log files holding
 * what each service of this test's cloud printed. Not `.local-cloud/logs` itself: every local cloud
 * starting on this machine (another test file, `pnpm dev`) starts that folder afresh.
 */
async function trailOf(correlationId: string): Promise<string> {
  const logDir = mkdtempSync(join(tmpdir(), 'trail-'));
  try {
    for (const { name } of local.cloud.services) {
      const prefix = `[${name}] `;
      const lines = local.cloud
        .output()
        .filter((line) => line.startsWith(prefix))
        .map((line) => line.slice(prefix.length));
      writeFileSync(join(logDir, `${name}.log`), `${lines.join('\n')}\n`);
    }
    const localCloudDir = dirname(require.resolve('@shop/local-cloud/package.json'));
    const { stdout } = await promisify(execFile)(
      join(localCloudDir, 'node_modules', '.bin', 'tsx'),
      [join(localCloudDir, 'src', 'cli.ts'), 'trail', correlationId, '--logs', logDir],
      { cwd: localCloudDir },
    );
    return stdout;
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

describe('Correlation id', () => {
  it('follows one order from the HTTP response through every function to its emails', async () => {
    const email = customer('traced');
    const expected = Object.entries(touched)
      .flatMap(([service, functions]) => functions.map((fn) => `${service}/${fn}`))
      .sort();

    // No X-Correlation-Id sent: the edge makes one, and everything after must carry it.
    const response = await local.shop.postOrder(email, [
      { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) },
    ]);
    expect(response.status).toBe(201);
    const correlationId = response.headers.get('x-correlation-id') ?? '';
    expect(correlationId).not.toBe('');
    const { orderId } = (await response.json()) as Json;
    expect((await local.shop.settled(orderId)).status).toBe('CONFIRMED');

    // The receipt and the confirmation.
    const emails = await pollUntil(
      `the receipt and the confirmation to ${email}`,
      async () => {
        const sent = await local.shop.emailsTo(email);
        return sent.length >= 2 ? sent : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(emails).toHaveLength(2);
    for (const sent of emails) {
      expect({ subject: sent.subject, headers: sent.headers }).toEqual({
        subject: sent.subject,
        headers: expect.arrayContaining([{ name: 'X-Correlation-Id', value: correlationId }]),
      });
    }

    // Analytics records the confirmation last: wait for every function's line (on a timeout, the
    // assertion below shows which are missing).
    const logged = await pollUntil(
      'a log line with the correlation id from every function the order touched',
      async () => {
        const functions = functionsThatLogged(correlationId);
        return expected.every((fn) => functions.includes(fn)) ? functions : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    ).catch(() => functionsThatLogged(correlationId));
    expect(logged).toEqual(expect.arrayContaining(expected));

    // The same flow, as `pnpm trail` tells it from the log files.
    const trail = await trailOf(correlationId);
    for (const [service, functions] of Object.entries(touched)) {
      for (const key of functions)
        expect(trail).toMatch(new RegExp(`^\\S+ +${service} +${key} `, 'm'));
    }
    expect(trail).toMatch(/ order +createOrder +request handled {2}POST \/orders → 201/);
    expect(trail).toMatch(/ notification +handleCustomerEvents +email sent {2}OrderConfirmed/);
    expect(trail).toContain(`log lines of ${correlationId} from `);
  });
});
