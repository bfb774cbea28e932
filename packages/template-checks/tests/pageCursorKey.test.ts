import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// The key page cursors are signed with, read from the packaged stacks: only the listing functions
// get it (inline on local and dev, a Secrets Manager secret elsewhere), and each may read that one
// secret and no other.

jest.setTimeout(600_000);

/** The functions that sign and check page cursors. */
const LISTINGS = ['order/listOrders', 'inventory/listProducts'];
/** Other functions that read a secret, and which one. */
const OTHER_SECRET_READERS: Record<string, string> = {
  'payment/handleOrderEvents': 'shop/local/stripe-secret-key',
};
const CURSOR_SECRET = 'shop/local/page-cursor-key';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const statementsOf = (role: CfnResource | undefined): Statement[] =>
  ((role?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

let services: PackagedService[];

beforeAll(async () => {
  services = await packageAllServices();
});

/** Every function as `<service>/<key>`, with its Lambda resource and the role it runs as. */
const functions = () =>
  services.flatMap((service) =>
    Object.entries(service.functions).map(([key, fn]) => {
      const lambda = Object.values(service.template.Resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === fn.name,
      );
      const roleId = (lambda?.Properties?.Role as { 'Fn::GetAtt'?: [string] } | undefined)?.[
        'Fn::GetAtt'
      ]?.[0];
      const variables = ((lambda?.Properties?.Environment as { Variables?: unknown } | undefined)
        ?.Variables ?? {}) as Record<string, unknown>;
      return {
        id: `${service.name}/${key}`,
        variables,
        statements: statementsOf(roleId ? service.template.Resources[roleId] : undefined),
      };
    }),
  );

/** The secret names a statement lets its role read (`-??????` is Secrets Manager's suffix). */
const secretsReadBy = (statements: Statement[]) =>
  statements
    .filter(
      (s) =>
        s.Effect === 'Allow' &&
        asArray(s.Action).some((a) => a.startsWith('secretsmanager:') || a === '*'),
    )
    .flatMap((s) => asArray(s.Resource))
    .map((resource) => {
      const arn = JSON.stringify(resource);
      return /:secret:([^"]+)-\?{6}"/.exec(arn)?.[1] ?? `unscoped ${arn}`;
    });

describe('The page cursor key in the packaged templates', () => {
  it('gives the key to the listing functions only, at least 32 characters long on local', () => {
    const withKey = functions().filter(
      ({ variables }) => 'PAGE_CURSOR_KEY' in variables || 'PAGE_CURSOR_SECRET_ID' in variables,
    );

    expect(withKey.map(({ id }) => id).sort()).toEqual([...LISTINGS].sort());
    for (const { id, variables } of withKey) {
      const length = String(variables.PAGE_CURSOR_KEY ?? '').length;
      expect({ id, longEnough: length >= 32 }).toEqual({ id, longEnough: true });
    }
  });

  it('lets each listing function read the stage’s cursor secret and no other', () => {
    for (const { id, statements } of functions().filter(({ id }) => LISTINGS.includes(id))) {
      expect({ id, secrets: secretsReadBy(statements) }).toEqual({ id, secrets: [CURSOR_SECRET] });
      const actions = statements
        .filter((s) => JSON.stringify(s.Resource).includes(CURSOR_SECRET))
        .flatMap((s) => asArray(s.Action));
      expect({ id, actions }).toEqual({ id, actions: ['secretsmanager:GetSecretValue'] });
    }
  });

  it('lets no other function read the cursor secret, or any secret it does not need', () => {
    const readers = functions()
      .filter(({ id }) => !LISTINGS.includes(id))
      .map(({ id, statements }) => ({ id, secrets: secretsReadBy(statements) }))
      .filter(({ secrets }) => secrets.length > 0);

    expect(readers).toEqual(
      Object.entries(OTHER_SECRET_READERS).map(([id, secret]) => ({ id, secrets: [secret] })),
    );
  });
});
