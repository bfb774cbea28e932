import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Security properties of the packaged stacks: encryption at rest, a private TLS-only bucket, and
// writes of the thumbnail function confined to thumbnails/.

jest.setTimeout(600_000);

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

let services: PackagedService[];

beforeAll(async () => {
  services = await packageAllServices();
});

const resources = (type: string) =>
  services.flatMap((service) =>
    Object.entries(service.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => ({ service: service.name, id, resource: resource as CfnResource })),
  );

const statementsOf = (role: CfnResource): Statement[] =>
  ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('Security of the packaged templates', () => {
  it('blocks all public access to every bucket and encrypts it', () => {
    const buckets = resources('AWS::S3::Bucket').filter(
      ({ id }) => id !== 'ServerlessDeploymentBucket',
    );
    expect(buckets.length).toBeGreaterThanOrEqual(1);
    for (const { id, resource } of buckets) {
      expect({ id, block: resource.Properties?.PublicAccessBlockConfiguration }).toEqual({
        id,
        block: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(resource.Properties?.BucketEncryption).toBeDefined();
    }
  });

  it('denies every non-TLS request to every bucket', () => {
    const buckets = resources('AWS::S3::Bucket').filter(
      ({ id }) => id !== 'ServerlessDeploymentBucket',
    );
    const policies = resources('AWS::S3::BucketPolicy');
    for (const { service, id } of buckets) {
      const policy = policies.find(
        (p) =>
          p.service === service &&
          JSON.stringify(p.resource.Properties?.Bucket) === JSON.stringify({ Ref: id }),
      );
      const statements =
        (policy?.resource.Properties?.PolicyDocument as { Statement: Statement[] })?.Statement ??
        [];
      const denyInsecure = statements.find(
        (s) =>
          s.Effect === 'Deny' &&
          asArray(s.Action).includes('s3:*') &&
          JSON.stringify(s.Condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      );
      expect({ bucket: id, denyInsecure: Boolean(denyInsecure) }).toEqual({
        bucket: id,
        denyInsecure: true,
      });
    }
  });

  it('lets the thumbnail functions write only under thumbnails/ (or, for upload URLs, uploads/)', () => {
    const thumbnail = services.find((s) => s.name === 'thumbnail');
    const roles = Object.entries(thumbnail?.template.Resources ?? {}).filter(
      ([, r]) => r.Type === 'AWS::IAM::Role',
    );
    expect(roles.length).toBeGreaterThanOrEqual(1);
    for (const [roleId, role] of roles) {
      for (const statement of statementsOf(role)) {
        const writes = asArray(statement.Action).filter((a) => /^s3:(Put|Delete|\*)/.test(a));
        if (writes.length === 0) continue;
        const targets = JSON.stringify(statement.Resource);
        const allowed =
          /thumbnails\/\*/.test(targets) || (/uploads\/\*/.test(targets) && /Upload/i.test(roleId));
        expect({ roleId, writes, targets, allowed }).toEqual({
          roleId,
          writes,
          targets,
          allowed: true,
        });
      }
    }
  });

  it('encrypts every queue, topic and table at rest', () => {
    const unencrypted = [
      ...resources('AWS::SQS::Queue').filter(
        ({ resource }) =>
          !resource.Properties?.SqsManagedSseEnabled && !resource.Properties?.KmsMasterKeyId,
      ),
      ...resources('AWS::SNS::Topic').filter(
        ({ resource }) => !resource.Properties?.KmsMasterKeyId,
      ),
      ...resources('AWS::DynamoDB::Table').filter(
        ({ resource }) =>
          (resource.Properties?.SSESpecification as { SSEEnabled?: boolean })?.SSEEnabled !== true,
      ),
    ].map(({ service, id }) => `${service}/${id}`);

    expect(unencrypted).toEqual([]);
  });

  it('keeps 14 days of logs per function, not forever', () => {
    for (const { service, id, resource } of resources('AWS::Logs::LogGroup')) {
      expect({ group: `${service}/${id}`, days: resource.Properties?.RetentionInDays }).toEqual({
        group: `${service}/${id}`,
        days: 14,
      });
    }
  });
});
