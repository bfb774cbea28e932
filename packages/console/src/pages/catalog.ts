import { call, callJson, type Product, segment } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page, type PageContext } from '../page';
import { ProblemError } from '../problem';
import { field, heading, mediaUrl, money, problemBox, section, statusLine } from '../ui';

interface CreatedUpload {
  key: string;
  thumbnailKey: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string> };
}

/** How long the page waits for a thumbnail after an upload before it says so. */
const THUMBNAIL_WAIT_MS = 60_000;

/**
 * The catalog from `GET /products` (public), with stock and thumbnails. The administrator also
 * restocks (`POST /products/{id}/stock-adjustments` under the ETag of `GET /products/{id}`) and
 * uploads product images through the presigned URL flow (`POST /uploads`).
 */
export const catalogPage: Page = {
  title: 'Catalog',
  audience: 'anyone',
  async render(context) {
    const { main, session, signal } = context;
    const admin = session?.admin ?? false;
    const status = statusLine();
    const table = h('div', {}, h('p', {}, 'Loading the catalog…'));
    const gallery = admin ? gallerySection(context) : undefined;
    replace(
      main,
      heading('Catalog'),
      h('p', {}, 'Products as GET /products returns them, with their stock and thumbnails.'),
      status,
      table,
      gallery ? uploadSection(context, gallery.reload) : null,
      gallery?.element,
    );
    try {
      const { items } = await callJson<{ items: Product[] }>('/products?limit=100', { signal });
      replace(table, productsTable(items, context, status));
    } catch (error) {
      if (!isAbort(error)) replace(table, problemBox(error));
    }
  },
};

function productsTable(
  products: Product[],
  { session }: PageContext,
  status: HTMLElement,
): HTMLElement {
  const admin = session?.admin ?? false;
  const rows = products.map((product) => {
    const stock = h('td', { class: 'number' }, String(product.stock));
    const problem = h('div', {});
    let restock: HTMLElement | null = null;
    if (admin) {
      const units = h('input', {
        type: 'number',
        min: 1,
        step: 1,
        value: 10,
        class: 'narrow',
        'aria-label': `Units to add to ${product.name}`,
      });
      const button = h('button', { type: 'submit' }, 'Restock');
      button.setAttribute('aria-label', `Restock ${product.name}`);
      const form = h('form', { class: 'inline' }, units, button);
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        button.disabled = true;
        replace(problem);
        try {
          const updated = await restockProduct(
            product.productId,
            Number(units.value),
            session?.idToken,
          );
          stock.textContent = String(updated.stock);
          status.textContent = `Restocked ${product.name}: ${updated.stock} in stock.`;
        } catch (error) {
          replace(problem, problemBox(error));
        } finally {
          button.disabled = false;
        }
      });
      restock = h('td', {}, form, problem);
    }
    return h(
      'tr',
      { 'data-product-id': product.productId },
      h(
        'td',
        {},
        product.thumbnail
          ? h('img', {
              src: mediaUrl(product.thumbnail.key),
              alt: product.name,
              width: product.thumbnail.width,
              height: product.thumbnail.height,
              class: 'thumb',
            })
          : h('span', { class: 'muted' }, 'no image'),
      ),
      h(
        'th',
        { scope: 'row' },
        product.name,
        h('br', {}),
        h('code', { class: 'muted' }, product.productId),
      ),
      h('td', { class: 'number' }, money(product.price)),
      stock,
      restock,
    );
  });
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, 'Products'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Image'),
        h('th', { scope: 'col' }, 'Product'),
        h('th', { scope: 'col' }, 'Price'),
        h('th', { scope: 'col' }, 'Stock'),
        admin ? h('th', { scope: 'col' }, 'Restock') : null,
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** Reads the product's ETag, then adds `delta` units under it (a RESTOCK). */
async function restockProduct(productId: string, delta: number, token: string | undefined) {
  const current = await call(`/products/${segment(productId)}`);
  const etag = current.headers.get('etag');
  if (!etag) {
    throw new ProblemError({ status: 0, title: 'No ETag', detail: 'GET /products/{id} sent none' });
  }
  return callJson<Product>(`/products/${segment(productId)}/stock-adjustments`, {
    method: 'POST',
    token,
    headers: { 'If-Match': etag },
    json: { delta, reason: 'RESTOCK' },
  });
}

function uploadSection({ session, signal }: PageContext, onThumbnail: () => void): HTMLElement {
  const file = h('input', {
    type: 'file',
    name: 'image',
    accept: 'image/jpeg,image/png,image/gif',
    required: true,
  });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const status = statusLine();
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'Upload a product image' },
    field(
      'Image file (JPEG, PNG or GIF)',
      file,
      'POST /uploads gives a presigned PUT URL on the AWS endpoint; the console forwards the PUT unchanged (that endpoint serves no browser), and the thumbnail service makes a thumbnail of it.',
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    submit.disabled = true;
    replace(result);
    try {
      status.textContent = 'Asking for an upload URL…';
      const created = await callJson<CreatedUpload>('/uploads', {
        method: 'POST',
        token: session?.idToken,
        json: { fileName: chosen.name, contentType: chosen.type, contentLength: chosen.size },
      });
      status.textContent = `Uploading to ${created.key}…`;
      await call(`api/presigned-put?url=${encodeURIComponent(created.upload.url)}`, {
        method: 'PUT',
        // Content-Length comes from the file itself: the browser sets it, and it is signed.
        headers: { 'Content-Type': created.upload.headers['Content-Type'] ?? chosen.type },
        body: chosen,
      });
      status.textContent = `Uploaded ${created.key}; waiting for its thumbnail…`;
      const thumbnail = await waitForThumbnail(created.thumbnailKey, signal);
      replace(
        result,
        h(
          'figure',
          {},
          h('img', { src: thumbnail, alt: `Thumbnail of ${chosen.name}`, class: 'thumb' }),
          h('figcaption', {}, h('code', {}, created.thumbnailKey)),
        ),
      );
      status.textContent = `Thumbnail ready: ${created.thumbnailKey}`;
      onThumbnail();
    } catch (error) {
      if (isAbort(error)) return;
      status.textContent = '';
      replace(result, problemBox(error));
    } finally {
      submit.disabled = false;
    }
  });
  return section('Upload a product image', form, status, result);
}

/** Polls the thumbnail's URL until the thumbnail service has written it; that URL. */
async function waitForThumbnail(key: string, signal: AbortSignal): Promise<string> {
  const deadline = Date.now() + THUMBNAIL_WAIT_MS;
  for (;;) {
    const response = await fetch(mediaUrl(key), { signal, cache: 'no-store' });
    // The image element loads it again from the same URL (the page's policy allows no blob:).
    if (response.ok) return mediaUrl(key);
    if (response.status !== 404 || Date.now() > deadline) {
      throw new ProblemError({
        status: response.status,
        title: 'No thumbnail',
        detail: `${key} did not appear within ${THUMBNAIL_WAIT_MS / 1000} s; see .local-cloud/logs/thumbnail.log`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function gallerySection({ session, signal }: PageContext) {
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const load = async () => {
    try {
      const { bucket, thumbnails } = await callJson<{
        bucket: string;
        thumbnails: { key: string; lastModified?: string }[];
      }>('api/media', { token: session?.idToken, signal });
      replace(
        list,
        h('p', {}, 'Newest first, from ', h('code', {}, bucket), ':'),
        thumbnails.length === 0
          ? h('p', {}, 'No thumbnail yet.')
          : h(
              'ul',
              { class: 'gallery' },
              thumbnails.map((t) =>
                h(
                  'li',
                  {},
                  h(
                    'figure',
                    {},
                    h('img', {
                      src: mediaUrl(t.key),
                      alt: `Thumbnail ${t.key}`,
                      class: 'thumb',
                      loading: 'lazy',
                    }),
                    h('figcaption', {}, h('code', {}, t.key)),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      if (!isAbort(error)) replace(list, problemBox(error));
    }
  };
  void load();
  return {
    reload: () => void load(),
    element: section(
      'Thumbnails in the media bucket',
      h('p', {}, h('button', { type: 'button', onclick: () => void load() }, 'Refresh thumbnails')),
      list,
    ),
  };
}
