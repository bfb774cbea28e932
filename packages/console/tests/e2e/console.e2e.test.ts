import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  type LocalCloudProcess,
  startLocalCloudProcess,
} from '../../../local-cloud/src/testing/localCloudProcess';

// The console in a real browser (Debian's chromium driven by playwright-core) against a local
// cloud of its own on free ports: sign in, place an order and watch it confirm live, open its
// emails, upload an image and see its thumbnail, restock, dead-letter a poison message and
// redrive it, read the analytics, and stay out of another customer's orders. axe-core checks
// every page; screenshots go to test-output/ (gitignored).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(
    `no chromium at ${CHROMIUM}: the console's browser tests need it in CI (.ci/run installs it with apt-get install -y chromium; CHROMIUM_PATH points elsewhere)`,
  );
}
if (!hasChromium) {
  process.stdout.write(
    `⚠ no chromium at ${CHROMIUM}: the console's browser tests are SKIPPED (apt-get install -y chromium)\n`,
  );
}
// Skipped, visibly (above and in jest's summary), only on a machine without a browser.
const describeInBrowser = hasChromium ? describe : describe.skip;

jest.setTimeout(240_000);

/** The part of the SQS SDK the test uses. */
interface SqsSdk {
  SQSClient: new (config: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  }) => { send(command: object): Promise<{ QueueUrl?: string }>; destroy(): void };
  GetQueueUrlCommand: new (input: { QueueName: string }) => object;
  SendMessageCommand: new (input: { QueueUrl?: string; MessageBody: string }) => object;
}
// The console package depends on the browser tools only: the SQS SDK is the one the local cloud
// itself depends on, loaded from there (with @aws-sdk/client-sqs as a devDependency this would be
// a plain import).
const { GetQueueUrlCommand, SendMessageCommand, SQSClient } = createRequire(
  join(__dirname, '..', '..', '..', 'local-cloud', 'package.json'),
)('@aws-sdk/client-sqs') as SqsSdk;

const OUTPUT = join(__dirname, '..', '..', 'test-output');
const DOCS_SCREENSHOT = join(__dirname, '..', '..', '..', '..', 'docs', 'console.png');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ADA = { email: 'ada@example.com', password: 'Ada-Lovelace-1815' };
const GRACE = { email: 'grace@example.com', password: 'Grace-Hopper-1906' };
const ADMIN = { email: 'admin@example.com', password: 'Shop-Admin-2026' };

describeInBrowser('the console in a browser', () => {
  let cloud: LocalCloudProcess;
  let browser: Browser;
  let consoleUrl: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Ada's order, placed in the first test, that Grace must not see. */
  let adaOrderId = '';

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    [cloud, browser] = await Promise.all([
      startLocalCloudProcess(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      }),
    ]);
    consoleUrl = `${cloud.baseUrl}/_local/console/`;
  });

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  afterEach(() => {
    // An exception in the page is a bug even when the test's own checks passed.
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** A fresh browser profile (its own session storage), on the console's first page. */
  async function openConsole(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleUrl);
    return page;
  }

  async function signIn(page: Page, user: { email: string; password: string }, heading: string) {
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }

  async function goTo(page: Page, link: string, heading = link) {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function expectAccessible(page: Page, name: string) {
    // Not page.addScriptTag: the console's Content-Security-Policy (script-src 'self') blocks
    // inline scripts, as it should. Evaluated through the DevTools protocol, axe runs under the
    // very policy users get.
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }
      ).axe;
      const results = await axe.run(document);
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(' ')),
      }));
    });
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ page: name, violations: blocking }).toEqual({ page: name, violations: [] });
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
  /** The README's screenshot is refreshed on request only: `CONSOLE_DOCS_SCREENSHOT=1`. */
  const docsShot = async (page: Page) => {
    if (!process.env.CONSOLE_DOCS_SCREENSHOT) return;
    writeFileSync(DOCS_SCREENSHOT, await page.screenshot());
  };

  it('signs a customer in through Cognito, showing a wrong password as Cognito says it', async () => {
    const page = await openConsole();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await expectAccessible(page, 'sign in');
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('NotAuthorizedException').waitFor();
    await expectAccessible(page, 'sign in, refused');
    await shot(page, '01-sign-in-refused');

    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your orders', level: 1 }).waitFor();
    await page.getByText(`Signed in as ${ADA.email} (customer)`).waitFor();
    await expectAccessible(page, 'orders');
  });

  it('places an order and follows it to CONFIRMED live, trail and emails included', async () => {
    const page = contexts[0]?.pages()[0] as Page;
    // Every text the status region shows, recorded from inside the page as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statusSeen: string[] }).statusSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.order-status')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await goTo(page, 'Place an order');
    await expectAccessible(page, 'place an order');
    await page.getByLabel('Product').selectOption('prod-espresso-beans');
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Payment token (sandbox gateway)').selectOption('tok_sandbox_success');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/#\/orders\/[^/]+$/);
    adaOrderId = decodeURIComponent(page.url().split('#/orders/')[1] ?? '');
    await page.getByRole('status').filter({ hasText: 'CONFIRMED' }).waitFor({ timeout: 60_000 });
    // The same document all along: the page was updated by the stream, not reloaded.
    const seen = await page.evaluate(
      () => (window as unknown as { statusSeen: string[] }).statusSeen,
    );
    expect(seen).toEqual(['Status: PENDING', 'Status: CONFIRMED']);
    await page.locator('.timeline').getByText('OrderConfirmed').waitFor();
    await page.locator('.trail').getByText('event handled').first().waitFor();

    await page.getByRole('button', { name: /^Open email: Your order .* is confirmed$/ }).click();
    const email = page.frameLocator('iframe[title^="Email body: Your order"]');
    await email.getByText(adaOrderId).first().waitFor();
    await expectAccessible(page, 'order');
    await shot(page, '02-order-confirmed');
    await docsShot(page);

    await goTo(page, 'Emails');
    await page.getByRole('button', { name: `Your order ${adaOrderId} is confirmed` }).click();
    await page
      .frameLocator(`iframe[title="Email body: Your order ${adaOrderId} is confirmed"]`)
      .getByText('Your order is confirmed')
      .waitFor();
    await expectAccessible(page, 'emails');
    await shot(page, '03-emails');
  });

  it('uploads an image as the admin, shows its thumbnail, and restocks', async () => {
    const page = await openConsole();
    await signIn(page, ADMIN, 'All orders');
    // The administrator sees every customer's orders, Ada's among them.
    await page.getByRole('link', { name: adaOrderId }).waitFor();
    await expectAccessible(page, 'all orders');

    await goTo(page, 'Catalog');
    await expectAccessible(page, 'catalog');
    // A real PNG, whatever chromium renders: its own screenshot of a small area.
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 160, height: 120 } });
    await page.getByLabel('Image file (JPEG, PNG or GIF)').setInputFiles({
      name: 'console-e2e.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const thumbnail = page.getByRole('img', { name: 'Thumbnail of console-e2e.png' });
    await thumbnail.waitFor({ timeout: 60_000 });
    // Decoded, not just in the page: the bytes are the thumbnail service's PNG.
    await thumbnail.evaluate((img: HTMLImageElement) => img.decode());
    expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(
      0,
    );
    // …and the media bucket's gallery lists it too.
    await page
      .getByRole('region', { name: 'Thumbnails in the media bucket' })
      .getByText(/console-e2e_thumb\.png$/)
      .waitFor();

    const stockCell = page.locator('tr[data-product-id="prod-milk-jug"] td.number').nth(1);
    const before = Number(await stockCell.textContent());
    await page.getByLabel('Units to add to Milk jug, 350 ml').fill('3');
    await page.getByRole('button', { name: 'Restock Milk jug, 350 ml' }).click();
    await page.getByText(`Restocked Milk jug, 350 ml: ${before + 3} in stock.`).waitFor();
    await expectAccessible(page, 'catalog, after upload');
    await shot(page, '04-catalog-upload');
  });

  it('shows a poison message in the DLQ, with its reason, and redrives it', async () => {
    const sqs = new SQSClient({
      endpoint: cloud.awsEndpoint,
      region: cloud.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const queue = `shop-payment-${cloud.stage}-events`;
    const dlq = `${queue}-dlq`;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
    const poison = `not an event { ${Date.now()}`;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: poison }));

    const page = contexts[1]?.pages()[0] as Page;
    await goTo(page, 'Queues');
    // The depths refresh every two seconds: wait for the consumer to dead-letter it.
    await page.waitForFunction(
      (name) =>
        Number(document.querySelector(`tr[data-queue="${name}"] td.number`)?.textContent) >= 1,
      dlq,
      { timeout: 60_000 },
    );
    await expectAccessible(page, 'queues');
    await page.getByRole('button', { name: `Show messages in ${dlq}` }).click();
    const messages = page.getByRole('region', { name: `Messages in ${dlq}` });
    await messages.getByText(poison).waitFor();
    await messages.getByText('deadLetterReason').waitFor();
    await expectAccessible(page, 'dead letters');
    await shot(page, '05-dead-letters');

    await page.getByRole('button', { name: `Redrive ${dlq}` }).click();
    await page.getByText(`Moved 1 message(s) from ${dlq} back to ${queue}.`).waitFor();
    sqs.destroy();
  });

  it('shows the analytics summary, or the problem the API answers before the first roll-up', async () => {
    const page = contexts[1]?.pages()[0] as Page;
    await goTo(page, 'Analytics');
    const summary = page.getByRole('heading', { name: 'Products', level: 2 });
    const notYet = page.getByRole('alert').getByText('no roll-up has run yet');
    await summary.or(notYet).waitFor();
    await expectAccessible(page, 'analytics');
    await shot(page, '06-analytics');
  });

  it("keeps a customer out of another customer's orders and the admin pages", async () => {
    const page = await openConsole();
    await signIn(page, GRACE, 'Your orders');
    await page
      .getByRole('status')
      .getByText(/order\(s\)/)
      .waitFor();
    expect(await page.getByRole('link', { name: adaOrderId }).count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Queues' }).count()).toBe(
      0,
    );

    await goTo(page, 'Emails');
    await page
      .getByRole('status')
      .getByText(/email\(s\)/)
      .waitFor();
    expect(await page.getByText(adaOrderId).count()).toBe(0);

    await page.goto(`${consoleUrl}#/orders/${encodeURIComponent(adaOrderId)}`);
    // The API answers 404 for someone else's order, exactly as for a missing one.
    await page.getByRole('alert').getByText('Not Found').waitFor();
    await expectAccessible(page, "another customer's order");

    await page.goto(`${consoleUrl}#/queues`);
    await page.getByRole('alert').getByText('Forbidden').waitFor();
    await expectAccessible(page, 'queues as a customer');
    await shot(page, '07-customer-isolation');
  });
});

/** The part of axe-core's result the test reads (axe's own types are for its npm import). */
interface AxeResults {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: string[] }[] }[];
}
