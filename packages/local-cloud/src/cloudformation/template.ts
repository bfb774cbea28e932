/** The parts of a CloudFormation template the local cloud reads. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  /** A name in the template's `Conditions`: the resource exists only where it holds. */
  Condition?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
}

/** What a provisioned resource answers to `Ref` and `Fn::GetAtt`. */
export interface PhysicalResource {
  ref: string;
  attributes: Record<string, string>;
}

export const LOCAL_ACCOUNT_ID = '000000000000';

/** Resolved resource properties: schemaless JSON whose shape depends on the resource type. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties have one shape per resource type.
export type CfnProperties = Record<string, any>;
