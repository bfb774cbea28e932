import { queueArnOf } from '../gateway/iam/iamRequests';
import { type ResolveContext, resolveIntrinsics, UnresolvedError } from './intrinsics';
import {
  type CfnProperties,
  type CfnResource,
  LOCAL_ACCOUNT_ID,
  type PhysicalResource,
} from './template';

// IAM locally: roles and resource policies create nothing in the emulators, but the AWS endpoint
// evaluates every function's requests against its role, and deliveries (SNS → SQS, S3 → SQS)
// against the target queue's policy. This module turns their template resources into that.

/** A policy document as IAM takes it (resolved; schemaless JSON). */
export type PolicyDocument = CfnProperties;

/** An IAM role of a stack, with the inline policies it grants. */
export interface LocalRole {
  logicalId: string;
  name: string;
  arn: string;
  /** Inline policies (`Policies`) and `AWS::IAM::Policy` resources attached to it, resolved. */
  policies: { name: string; document: PolicyDocument }[];
  /** Managed policies it attaches: their statements are not known locally. */
  managedPolicyArns: string[];
}

/** A queue, topic or bucket policy. */
export interface ResourcePolicy {
  logicalId: string;
  type: 'AWS::SQS::QueuePolicy' | 'AWS::SNS::TopicPolicy' | 'AWS::S3::BucketPolicy';
  /** The ARNs of the queues, topics or buckets it guards. */
  resourceArns: string[];
  document: PolicyDocument;
}

/** Resource types that are only recorded: IAM has nothing to create in the emulators. */
export const IAM_RECORDED_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::S3::BucketPolicy',
]);

const RESOURCE_POLICY_TYPES = new Set<string>([
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::S3::BucketPolicy',
]);

/**
 * What `Ref` and `Fn::GetAtt` of a role answer: its name and ARN, from `RoleName` and `Path` (a
 * role without a name gets one from its stack and logical id, as CloudFormation does).
 */
export function rolePhysical(
  logicalId: string,
  resource: CfnResource,
  context: ResolveContext,
): PhysicalResource {
  const properties = resource.Properties ?? {};
  const name =
    properties.RoleName === undefined
      ? `${context.stackName}-${logicalId}`.slice(0, 64)
      : String(resolveIntrinsics(properties.RoleName, context));
  const path =
    properties.Path === undefined ? '/' : String(resolveIntrinsics(properties.Path, context));
  const arn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role${path}${name}`;
  return { ref: name, attributes: { Arn: arn, RoleId: `AROALOCAL${logicalId.toUpperCase()}` } };
}

/**
 * A resource policy's guarded ARNs and document, resolved. Queue policies name queues by URL,
 * bucket policies their bucket by name.
 */
export function resourcePolicyOf(
  logicalId: string,
  resource: CfnResource,
  context: ResolveContext,
): ResourcePolicy {
  const type = resource.Type as ResourcePolicy['type'];
  const properties = resolveIntrinsics(resource.Properties ?? {}, context) as CfnProperties;
  const resourceArns =
    type === 'AWS::SQS::QueuePolicy'
      ? ((properties.Queues ?? []) as string[]).map((url) => queueArnOf(url, context.region))
      : type === 'AWS::SNS::TopicPolicy'
        ? ((properties.Topics ?? []) as string[]).map(String)
        : [`arn:aws:s3:::${String(properties.Bucket)}`];
  return {
    logicalId,
    type,
    // Placeholders (`local:…`) stand for resources only AWS has, such as the deployment bucket.
    resourceArns: resourceArns.filter((arn) => !arn.includes('local:')),
    document: properties.PolicyDocument ?? {},
  };
}

export function isResourcePolicyType(type: string): boolean {
  return RESOURCE_POLICY_TYPES.has(type);
}

/**
 * Every role of a template with its policies, resolved once all other resources exist (so a
 * policy may name any of them). A policy that cannot be resolved is left out and reported in
 * `problems`: locally its grants are then missing, which shows as a denial, never as a pass.
 */
export function collectRoles(
  resources: Record<string, CfnResource>,
  context: ResolveContext,
): { roles: LocalRole[]; problems: string[] } {
  const problems: string[] = [];
  const resolved = <T>(value: unknown, where: string): T | undefined => {
    try {
      return resolveIntrinsics(value, context) as T;
    } catch (error) {
      if (!(error instanceof UnresolvedError)) throw error;
      problems.push(`${where}: ${error.message}; its statements are not granted locally`);
      return undefined;
    }
  };
  const roles = new Map<string, LocalRole>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const physical = context.resources.get(logicalId);
    if (!physical) continue;
    const properties = resource.Properties ?? {};
    const policies = ((properties.Policies ?? []) as CfnProperties[]).flatMap((policy, index) => {
      const name = resolved<string>(policy.PolicyName, `role ${logicalId} policy ${index + 1}`);
      const document = resolved<PolicyDocument>(
        policy.PolicyDocument,
        `role ${logicalId} policy ${name ?? index + 1}`,
      );
      return document ? [{ name: String(name ?? `policy-${index + 1}`), document }] : [];
    });
    const managed = resolved<unknown[]>(properties.ManagedPolicyArns ?? [], `role ${logicalId}`);
    roles.set(physical.ref, {
      logicalId,
      name: physical.ref,
      arn: physical.attributes.Arn ?? '',
      policies,
      managedPolicyArns: (managed ?? []).map(String),
    });
  }
  // Policies attached from outside the role (AWS::IAM::Policy, AWS::IAM::ManagedPolicy `Roles`).
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy')
      continue;
    const properties = resource.Properties ?? {};
    const document = resolved<PolicyDocument>(properties.PolicyDocument, logicalId);
    const roleNames = resolved<unknown[]>(properties.Roles ?? [], logicalId) ?? [];
    if (!document) continue;
    for (const roleName of roleNames.map(String)) {
      const role = roles.get(roleName);
      if (role) role.policies.push({ name: String(properties.PolicyName ?? logicalId), document });
      else
        problems.push(
          `${logicalId}: attaches to role ${roleName}, which this stack does not declare`,
        );
    }
  }
  for (const role of roles.values()) {
    if (role.managedPolicyArns.length > 0) {
      problems.push(
        `role ${role.logicalId} attaches managed policies (${role.managedPolicyArns.join(', ')}): their statements are not known locally and are not granted`,
      );
    }
  }
  return { roles: [...roles.values()], problems };
}

/**
 * Decides whether a service may deliver to a queue by the queue's policy, as SNS and S3 do on
 * AWS (`aws:SourceArn` names the topic or bucket). Provisioning asks it before subscribing a queue
 * to a topic and before delivering a bucket's notifications.
 */
export interface DeliveryGate {
  /** `off` creates every subscription as before; `warn` creates them but reports the refused. */
  readonly mode: 'enforce' | 'warn' | 'off';
  /** Records a resource policy of a stack being provisioned (later stacks may target its queues). */
  record(policy: ResourcePolicy): void;
  /** Whether `service` (`sns.amazonaws.com`, `s3.amazonaws.com`) may send to the queue for `sourceArn`. */
  allowsDelivery(service: string, sourceArn: string, queueArn: string): Promise<boolean>;
}
