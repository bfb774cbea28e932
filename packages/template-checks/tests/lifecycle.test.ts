import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Storage that does not pile up, read from the packaged thumbnail stack: the media bucket expires
// what is uploaded under the upload prefix after custom.uploadRetentionDays, never touches the
// thumbnails, and aborts multipart uploads nobody completed.

jest.setTimeout(600_000);

/** custom.uploadRetentionDays of the `local` stage these templates are packaged for: the default. */
const RETENTION_DAYS_OF_LOCAL_STAGE = 7;

/** A rule of `LifecycleConfiguration.Rules`, as CloudFormation spells it. */
type LifecycleRule = {
  Id?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string;
  TagFilters?: unknown[];
  ExpirationInDays?: number;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
} & Record<string, unknown>;

/** Actions that delete objects, versions or markers, or move them to another storage class. */
const REMOVING_ACTIONS = [
  'ExpirationInDays',
  'ExpirationDate',
  'ExpiredObjectDeleteMarker',
  'NoncurrentVersionExpiration',
  'NoncurrentVersionExpirationInDays',
  'Transition',
  'Transitions',
  'NoncurrentVersionTransition',
  'NoncurrentVersionTransitions',
];

let thumbnail: PackagedService;

beforeAll(async () => {
  const services = await packageAllServices();
  const found = services.find((service) => service.name === 'thumbnail');
  if (!found) throw new Error('the thumbnail service was not packaged');
  thumbnail = found;
});

/** The properties of a resource of the thumbnail stack; fails when there is no such resource. */
const propertiesOf = (id: string): Record<string, unknown> => {
  const found: CfnResource | undefined = thumbnail.template.Resources[id];
  if (!found) throw new Error(`the thumbnail stack has no ${id}`);
  return found.Properties ?? {};
};

const enabledRules = (): LifecycleRule[] => {
  const lifecycle = propertiesOf('MediaBucket').LifecycleConfiguration as
    | { Rules?: LifecycleRule[] }
    | undefined;
  return (lifecycle?.Rules ?? []).filter((rule) => rule.Status === 'Enabled');
};

const removes = (rule: LifecycleRule) => REMOVING_ACTIONS.some((action) => action in rule);

/** Whether a rule's key filter reaches any key under `prefix` (no prefix reaches every key). */
const reaches = (rule: LifecycleRule, prefix: string) => {
  const scope = rule.Prefix ?? '';
  return prefix.startsWith(scope) || scope.startsWith(prefix);
};

/** The prefixes the functions are configured with (UPLOAD_PREFIX and THUMBNAIL_PREFIX). */
const prefixes = () => {
  const variables = (
    propertiesOf('CreateUploadUrlLambdaFunction').Environment as {
      Variables: Record<string, string>;
    }
  ).Variables;
  return { upload: String(variables.UPLOAD_PREFIX), thumbnail: String(variables.THUMBNAIL_PREFIX) };
};

describe('Lifecycle of the media bucket in the packaged thumbnail stack', () => {
  it('knows the upload and thumbnail prefixes, one outside the other', () => {
    const { upload, thumbnail: thumbnails } = prefixes();

    expect({ upload, thumbnails }).toEqual({ upload: 'uploads/', thumbnails: 'thumbnails/' });
  });

  it('expires the upload prefix, the one S3 notifies about, after the configured days', () => {
    const notified = (
      propertiesOf('MediaBucket').NotificationConfiguration as {
        QueueConfigurations: { Filter: { S3Key: { Rules: { Name: string; Value: string }[] } } }[];
      }
    ).QueueConfigurations.flatMap((queue) => queue.Filter.S3Key.Rules)
      .filter((rule) => rule.Name === 'prefix')
      .map((rule) => rule.Value);

    const expiring = enabledRules().filter(removes);

    expect(expiring).toEqual([
      expect.objectContaining({
        Prefix: prefixes().upload,
        ExpirationInDays: RETENTION_DAYS_OF_LOCAL_STAGE,
      }),
    ]);
    expect(notified).toEqual([prefixes().upload]);
  });

  it('removes nothing else: one expiry, no transitions, no tag or size conditions on it', () => {
    const expiring = enabledRules().filter(removes);

    expect(expiring).toHaveLength(1);
    const [rule] = expiring;
    const removingActions = REMOVING_ACTIONS.filter((action) => rule && action in rule);
    expect(removingActions).toEqual(['ExpirationInDays']);
    expect(rule?.TagFilters).toBeUndefined();
    expect(Number.isInteger(rule?.ExpirationInDays)).toBe(true);
  });

  it('keeps every thumbnail: no rule that removes objects reaches the thumbnail prefix', () => {
    const reachingThumbnails = enabledRules()
      .filter(removes)
      .filter((rule) => reaches(rule, prefixes().thumbnail))
      .map((rule) => rule.Id ?? JSON.stringify(rule));

    expect(reachingThumbnails).toEqual([]);
  });

  it('aborts incomplete multipart uploads under the upload prefix before uploads expire', () => {
    const aborting = enabledRules().filter(
      (rule) =>
        rule.AbortIncompleteMultipartUpload !== undefined && reaches(rule, prefixes().upload),
    );

    expect(aborting.length).toBeGreaterThanOrEqual(1);
    for (const rule of aborting) {
      const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? 0;
      expect({
        rule: rule.Id,
        days,
        inRange: days >= 1 && days <= RETENTION_DAYS_OF_LOCAL_STAGE,
      }).toEqual({ rule: rule.Id, days, inRange: true });
    }
  });
});
