import { InventoryValidationError } from '../../src/errors';
import { adjustStock } from '../../src/useCases/adjustStock';
import { listProducts } from '../../src/useCases/catalog';
import { changeProduct } from '../../src/useCases/changeProduct';
import { createProduct } from '../../src/useCases/createProduct';
import { fakeInventory } from '../helpers/fakes';
import { beans, eur } from '../helpers/fixtures';

// Hostile strings stop at the edge: the text an administrator writes (name, description, note)
// and the list cursor are refused with the field named, and nothing is stored or published.

/** Text as JSON.parse leaves it: `\ud800` in the body becomes a lone surrogate. */
const fromJson = (escaped: string) => JSON.parse(`"${escaped}"`) as string;

const hostile: [string, string][] = [
  ['a NUL', 'Beans\u0000'],
  ['a line feed', 'Beans\nfree shipping'],
  ['an escape sequence', '\u001b[31mBeans'],
  ['DEL', 'Beans\u007f'],
  ['a lone high surrogate', fromJson('Beans \\ud83d')],
  ['a lone low surrogate', fromJson('\\udce6 Beans')],
  ['U+FDEF', 'Beans\ufdef'],
  ['U+FFFF', 'Beans\uffff'],
  ['U+2FFFE', 'Beans\u{2fffe}'],
];

const newProduct = { productId: 'prod-filter-papers', name: 'Filter papers', price: eur(450) };

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InventoryValidationError);
  return (error as InventoryValidationError).issues;
}

describe('Function: createProduct (hostile text)', () => {
  it.each(hostile)('refuses a name with %s, naming it, and stores nothing', async (_case, name) => {
    const deps = fakeInventory([]);

    const issues = await issuesOf(createProduct(deps, { ...newProduct, name }));

    expect(issues.map((issue) => issue.path)).toEqual(['name']);
    expect(issues[0]?.message).toMatch(/^must not contain a /);
    expect(await deps.products.get('prod-filter-papers')).toBeUndefined();
  });

  it.each(hostile)('refuses a description with %s, naming it', async (_case, description) => {
    const deps = fakeInventory([]);

    const issues = await issuesOf(createProduct(deps, { ...newProduct, description }));

    expect(issues.map((issue) => issue.path)).toEqual(['description']);
  });

  it('keeps accents, symbols and emoji as written', async () => {
    const deps = fakeInventory([]);
    const text = { name: 'Café crème — 1 kg ☕', description: 'Fair trade, 20 % off 📦' };

    const product = await createProduct(deps, { ...newProduct, ...text });

    expect(product).toMatchObject(text);
  });
});

describe('Function: changeProduct (hostile text)', () => {
  it.each(hostile)(
    'refuses a new name with %s and leaves the product as it was',
    async (_case, name) => {
      const deps = fakeInventory([beans]);

      const issues = await issuesOf(
        changeProduct(deps, { productId: 'beans', expectedVersion: 0, body: { name } }),
      );

      expect(issues.map((issue) => issue.path)).toEqual(['name']);
      expect((await deps.products.get('beans'))?.name).toBe(beans.name);
    },
  );

  it('refuses a new description with a lone surrogate, naming it', async () => {
    const deps = fakeInventory([beans]);

    const issues = await issuesOf(
      changeProduct(deps, {
        productId: 'beans',
        expectedVersion: 0,
        body: { description: fromJson('\\udbff') },
      }),
    );

    expect(issues.map((issue) => issue.path)).toEqual(['description']);
  });
});

describe('Function: adjustStock (hostile text)', () => {
  it.each(hostile)(
    'refuses a note with %s, adjusting and publishing nothing',
    async (_case, note) => {
      const deps = fakeInventory([beans]);

      const issues = await issuesOf(
        adjustStock(deps, {
          productId: 'beans',
          expectedVersion: 0,
          body: { delta: 5, reason: 'RESTOCK', note },
          correlationId: 'corr-note',
        }),
      );

      expect(issues.map((issue) => issue.path)).toEqual(['note']);
      expect(deps.products.stockOf('beans')).toBe(beans.stock);
      expect(deps.events.published).toEqual([]);
    },
  );
});

describe('Function: listProducts (cursor)', () => {
  it.each([...hostile, ['a space', 'abc def'], ['a zero-width space', 'abc\u200bdef']])(
    'refuses a cursor with %s, naming it, without listing',
    async (_case, cursor) => {
      const deps = fakeInventory([beans]);
      const list = jest.spyOn(deps.products, 'list');

      const issues = await issuesOf(listProducts(deps, { cursor }));

      expect(issues.map((issue) => issue.path)).toEqual(['cursor']);
      expect(list).not.toHaveBeenCalled();
    },
  );

  it('passes a well-formed cursor on to the store', async () => {
    const deps = fakeInventory([beans]);
    const list = jest.spyOn(deps.products, 'list');

    await listProducts(deps, { cursor: '0', limit: '1' });

    expect(list).toHaveBeenCalledWith({ limit: 1, cursor: '0' });
  });
});
