import { toIssues } from '../../src/issues';
import * as z from '../../src/zod';

const Schema = z.strictObject({
  lines: z.array(z.strictObject({ quantity: z.number().check(z.int(), z.positive()) })),
});

const errorOf = (value: unknown) => {
  const parsed = Schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be invalid');
  return parsed.error;
};

describe('Function: toIssues', () => {
  it('names nested fields by dotted path, relative to the value', () => {
    // Act
    const issues = toIssues(errorOf({ lines: [{ quantity: 0 }] }), { root: 'body' });

    // Assess
    expect(issues).toEqual([{ path: 'lines.0.quantity', message: expect.any(String) }]);
  });

  it('reports an issue about the whole value at its root name, or at the empty path without one', () => {
    // Act
    const named = toIssues(errorOf('text'), { root: 'body' });
    const unnamed = toIssues(errorOf('text'));

    // Assess
    expect(named.map((issue) => issue.path)).toEqual(['body']);
    expect(unnamed.map((issue) => issue.path)).toEqual(['']);
  });

  it('puts the prefix before every path, the whole value included', () => {
    // Act
    const nested = toIssues(errorOf({ lines: [{ quantity: 0 }] }), { prefix: 'data' });
    const whole = toIssues(errorOf(null), { prefix: 'data', root: 'body' });

    // Assess
    expect(nested.map((issue) => issue.path)).toEqual(['data.lines.0.quantity']);
    expect(whole.map((issue) => issue.path)).toEqual(['data']);
  });

  it('gives each unknown field an issue of its own that names it', () => {
    // Act
    const issues = toIssues(
      errorOf({ lines: [{ quantity: 1, discount: 5 }], total: 1, status: 'X' }),
    );

    // Assess
    expect(issues).toEqual([
      { path: 'lines.0.discount', message: '"discount" is not a known field' },
      { path: 'total', message: '"total" is not a known field' },
      { path: 'status', message: '"status" is not a known field' },
    ]);
  });
});
