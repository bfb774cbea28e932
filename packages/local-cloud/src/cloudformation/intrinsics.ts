import { LOCAL_ACCOUNT_ID, type PhysicalResource } from './template';

/** A reference the resolver cannot satisfy yet (the resource is not created) or ever (unsupported). */
export class UnresolvedError extends Error {
  constructor(
    message: string,
    readonly kind: 'pending' | 'unsupported',
  ) {
    super(message);
    this.name = 'UnresolvedError';
  }
}

export interface ResolveContext {
  region: string;
  stackName: string;
  /** Resources of this stack created so far, by logical id. */
  resources: ReadonlyMap<string, PhysicalResource>;
  /** CloudFormation exports of stacks provisioned before this one. */
  exports: ReadonlyMap<string, string>;
}

const SUPPORTED = [
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::ImportValue',
  'Fn::Select',
  'Fn::Split',
];

/**
 * Resolves the intrinsic functions our templates use, the way CloudFormation would for this
 * local account: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::ImportValue, Fn::Select, Fn::Split.
 * Throws UnresolvedError('pending') when a referenced resource does not exist yet, and
 * UnresolvedError('unsupported') naming any other intrinsic.
 */
export function resolveIntrinsics(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    return resolveFunction(first[0], first[1], context);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, context)]));
}

function resolveFunction(name: string, argument: unknown, context: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return ref(String(argument), context);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument)
        ? argument.map(String)
        : String(argument).split('.');
      return getAtt(logicalId ?? '', attribute ?? '', context);
    }
    case 'Fn::Join': {
      const [separator, items] = argument as [string, unknown];
      const resolved = resolveIntrinsics(items, context);
      return (resolved as unknown[]).map(String).join(separator);
    }
    case 'Fn::Sub':
      return sub(argument, context);
    case 'Fn::ImportValue': {
      const exportName = String(resolveIntrinsics(argument, context));
      const exported = context.exports.get(exportName);
      if (exported === undefined) {
        throw new UnresolvedError(
          `Fn::ImportValue ${exportName}: no stack exports it (is its service provisioned?)`,
          'unsupported',
        );
      }
      return exported;
    }
    case 'Fn::Select': {
      const [index, list] = resolveIntrinsics(argument, context) as [number, unknown[]];
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [separator, text] = resolveIntrinsics(argument, context) as [string, string];
      return text.split(separator);
    }
    default:
      throw new UnresolvedError(
        `intrinsic ${name} is not supported locally (supported: ${SUPPORTED.join(', ')})`,
        'unsupported',
      );
  }
}

function ref(name: string, context: ResolveContext): string {
  const pseudo: Record<string, string> = {
    'AWS::Region': context.region,
    'AWS::AccountId': LOCAL_ACCOUNT_ID,
    'AWS::Partition': 'aws',
    'AWS::StackName': context.stackName,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': '',
  };
  if (name in pseudo) return pseudo[name] as string;
  const resource = context.resources.get(name);
  if (!resource) throw new UnresolvedError(`Ref ${name}: not created yet`, 'pending');
  return resource.ref;
}

function getAtt(logicalId: string, attribute: string, context: ResolveContext): string {
  const resource = context.resources.get(logicalId);
  if (!resource)
    throw new UnresolvedError(`Fn::GetAtt ${logicalId}.${attribute}: not created yet`, 'pending');
  const value = resource.attributes[attribute];
  if (value === undefined) {
    throw new UnresolvedError(
      `Fn::GetAtt ${logicalId}.${attribute}: attribute not known locally`,
      'unsupported',
    );
  }
  return value;
}

function sub(argument: unknown, context: ResolveContext): string {
  const [text, variables] = Array.isArray(argument)
    ? [
        String(argument[0]),
        resolveIntrinsics(argument[1] ?? {}, context) as Record<string, unknown>,
      ]
    : [String(argument), {} as Record<string, unknown>];
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, expression: string) => {
    if (expression in variables) return String(variables[expression]);
    const [logicalId, attribute] = expression.split('.');
    return attribute ? getAtt(logicalId ?? '', attribute, context) : ref(expression, context);
  });
}
