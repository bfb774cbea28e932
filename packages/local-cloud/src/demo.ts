import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { formatMoney } from '@shop/contracts';
import { LocalSignIn } from './identity/localIdentity';
import type { LocalCloud } from './LocalCloud';
import { pollUntil } from './net';
import { findRepoRoot } from './services/workspace';

/** A 160×120 PNG of a coffee cup seen from above: small enough to keep inline. */
const DEMO_PNG = Buffer.from(
  [
    'iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAABbklEQVR42u3dUQ3CQBRE0XGFC6xgExF8o6MSCCF0901PchXM',
    '+W335f16qriYALAAC7AAC7AACzBgARZgARZgARZgwAIswAIswAL8qcf99m2AC1HrscO1Wzpou5mDtps5aLuZQ7fbOHS7jYO2',
    'mzl0u41Dt9s4dLuNQ7fbOHS7jUO32xgwYLqTjUO32zh0u40BA6Y72RgwYLqTjQEDpjvZGDBgwIDpbmsMGDBgwIABX1d3rTFg',
    'wIABAwYMGDBgwIABAwYMGDBgwIABAwYMGDBgwIABAwbM2BcdgAEDBgzYnw10AQMGDJix/4MBA/ZGB2DA3smiCxiwtyq9VcnY',
    'a7OMvRcNGHCh8YZLurri6gpjd5MubrzzgG4XNuu6Plqu635wM+08YBfA+4F3MJ411zzghcwTh5oKfDLz3IlmA5/APH2cBuB/',
    'SNdsUgX8I3blDrXAAgxYgAVYgAVYgAUYsAALsAALsAALMGArABZgAdaCDguAaQR5uuyqAAAAAElFTkSuQmCC',
  ].join(''),
  'base64',
);

interface OrderView {
  orderId: string;
  status: string;
  total: { amount: number; currency: string };
  cancellationReason?: string;
  timeline: { at: string; event: string; detail?: string }[];
}

export interface DemoResult {
  confirmed: OrderView;
  cancelled: OrderView;
  emails: string[];
  upload: string;
}

/**
 * Walks a newcomer through the system on a running local cloud: one order that is confirmed, one
 * whose card is declined (cancelled, stock given back), and an image upload for the thumbnail
 * service. The live view shows each hop as it happens; this prints what came of it.
 */
export async function runDemo(cloud: LocalCloud, say: (line: string) => void): Promise<DemoResult> {
  const stamp = Date.now().toString(36).slice(-5);
  const email = `demo-${stamp}@example.com`;
  const identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
  say(`\n▶ demo: signing in as ${email} through the local Cognito user pool…`);
  const headers = await identity.headers(email);
  say('\n▶ demo: placing an order that will be confirmed (card tok_sandbox_success)…');
  const confirmed = await placeAndSettle(cloud, headers, {
    correlationId: `demo1-${stamp}`,
    token: 'tok_sandbox_success',
    lines: [
      {
        productId: 'prod-espresso-beans',
        quantity: 2,
        unitPrice: { amount: 1450, currency: 'EUR' },
      },
      { productId: 'prod-milk-jug', quantity: 1, unitPrice: { amount: 1299, currency: 'EUR' } },
    ],
  });
  say('\n▶ demo: placing an order whose card is declined (tok_sandbox_declined)…');
  const cancelled = await placeAndSettle(cloud, headers, {
    correlationId: `demo2-${stamp}`,
    token: 'tok_sandbox_declined',
    lines: [
      { productId: 'prod-moka-pot', quantity: 1, unitPrice: { amount: 3999, currency: 'EUR' } },
    ],
  });

  const upload = `uploads/demo/${stamp}/coffee.png`;
  say(`\n▶ demo: uploading ${upload} to the media bucket…`);
  const s3 = new S3Client({
    endpoint: cloud.awsEndpoint,
    region: cloud.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const bucket = `shop-thumbnail-${cloud.stage}-media-000000000000`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: upload, Body: DEMO_PNG, ContentType: 'image/png' }),
  );

  const emails = await pollUntil(
    'the demo emails',
    async () => {
      const store = (await (await fetch(`${cloud.mailViewerUrl}/store`)).json()) as {
        emails: { destination: { to: string[] }; subject: string }[];
      };
      const mine = store.emails.filter((e) => e.destination.to.includes(email));
      return mine.length >= 3 ? mine.map((e) => e.subject) : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );

  say(
    [
      '',
      '── demo result ─────────────────────────────────────────────',
      `order ${confirmed.orderId}  ${confirmed.status}  ${formatMoney(confirmed.total)}`,
      ...confirmed.timeline.map((t) => `    ${t.at.slice(11, 23)}  ${t.event}`),
      `order ${cancelled.orderId}  ${cancelled.status}  ${formatMoney(cancelled.total)}  — ${cancelled.cancellationReason}`,
      ...cancelled.timeline.map(
        (t) => `    ${t.at.slice(11, 23)}  ${t.event}${t.detail ? `: ${t.detail}` : ''}`,
      ),
      `emails sent: ${emails.length} (${emails.join(' | ')})  → ${cloud.mailViewerUrl}`,
      `image uploaded: s3://${bucket}/${upload}`,
      '─────────────────────────────────────────────────────────────',
    ].join('\n'),
  );
  return { confirmed, cancelled, emails, upload };
}

async function placeAndSettle(
  cloud: LocalCloud,
  auth: Record<string, string>,
  order: {
    correlationId: string;
    token: string;
    lines: {
      productId: string;
      quantity: number;
      unitPrice: { amount: number; currency: string };
    }[];
  },
): Promise<OrderView> {
  const response = await fetch(`${cloud.baseUrl}/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Correlation-Id': order.correlationId,
      ...auth,
    },
    body: JSON.stringify({
      paymentToken: order.token,
      lines: order.lines,
    }),
  });
  if (response.status !== 201)
    throw new Error(`the demo order was refused (${response.status}): ${await response.text()}`);
  const { orderId } = (await response.json()) as OrderView;
  return pollUntil(
    `order ${orderId} to settle`,
    async () => {
      const view = (await (
        await fetch(`${cloud.baseUrl}/orders/${orderId}`, { headers: auth })
      ).json()) as OrderView;
      return view.status === 'PENDING' ? undefined : view;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}
