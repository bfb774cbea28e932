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
  /** The template's `Conditions` section, for `Fn::If` (and resources' `Condition`). */
  conditions?: Readonly<Record<string, unknown>>;
  /** Resources not created because their `Condition` is false, with that condition's name. */
  excluded?: ReadonlyMap<string, string>;
}

const SUPPORTED = [
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::ImportValue',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
];

/**
 * What `Ref: AWS::NoValue` resolves to until the object or list holding it drops it, as
 * CloudFormation removes the property (or list item) instead of setting it.
 */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves the intrinsic functions our templates use, the way CloudFormation would for this
 * local account: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::ImportValue, Fn::Select, Fn::Split and
 * Fn::If (against `context.conditions`). A property or list item that resolves to
 * `Ref: AWS::NoValue` is removed; a value that is nothing but that resolves to `undefined`.
 * Throws UnresolvedError('pending') when a referenced resource does not exist yet, and
 * UnresolvedError('unsupported') naming any other intrinsic.
 *
 * @example
 * resolveIntrinsics(
 *   { Name: 'q', Delay: { 'Fn::If': ['IsProd', 5, { Ref: 'AWS::NoValue' }] } },
 *   { ...context, conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } } },
 * ); // { Name: 'q' } outside eu-west-1
 */
export function resolveIntrinsics(value: unknown, context: ResolveContext): unknown {
  const resolved = resolveValue(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveValue(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    return resolveFunction(first[0], first[1], context);
  }
  return Object.fromEntries(
    entries
      .map(([key, item]) => [key, resolveValue(item, context)] as const)
      .filter(([, item]) => item !== NO_VALUE),
  );
}

function resolveFunction(name: string, argument: unknown, context: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return argument === 'AWS::NoValue' ? NO_VALUE : ref(String(argument), context);
    case 'Fn::If': {
      if (!Array.isArray(argument) || argument.length !== 3) {
        throw new UnresolvedError(
          'Fn::If takes [condition name, value if true, value if false]',
          'unsupported',
        );
      }
      const [condition, whenTrue, whenFalse] = argument;
      // Only the chosen branch is resolved: the other may name a resource that is not created.
      return resolveValue(
        evaluateCondition(String(condition), context) ? whenTrue : whenFalse,
        context,
      );
    }
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
  };
  if (name in pseudo) return pseudo[name] as string;
  if (name === 'AWS::NoValue') {
    throw new UnresolvedError(
      'AWS::NoValue stands only for a whole property value or list item',
      'unsupported',
    );
  }
  const resource = context.resources.get(name);
  if (!resource) throw missingResource(`Ref ${name}`, name, context);
  return resource.ref;
}

/** Pending, unless the resource is left out by its condition: then it never will exist. */
function missingResource(what: string, logicalId: string, context: ResolveContext) {
  const condition = context.excluded?.get(logicalId);
  return condition === undefined
    ? new UnresolvedError(`${what}: not created yet`, 'pending')
    : new UnresolvedError(
        `${what}: not created, its condition ${condition} is false`,
        'unsupported',
      );
}

function getAtt(logicalId: string, attribute: string, context: ResolveContext): string {
  const resource = context.resources.get(logicalId);
  if (!resource) throw missingResource(`Fn::GetAtt ${logicalId}.${attribute}`, logicalId, context);
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
  // `${!Literal}` is how a template writes `${Literal}` itself.
  return text.replace(/\$\{(!?)([^}]*)\}/g, (_match, bang: string, expression: string) => {
    if (bang) return `\${${expression}}`;
    if (expression in variables) return String(variables[expression]);
    const [logicalId, attribute] = expression.split('.');
    return attribute ? getAtt(logicalId ?? '', attribute, context) : ref(expression, context);
  });
}

/**
 * Whether a condition of the template's `Conditions` section holds: Fn::Equals, Fn::And, Fn::Or,
 * Fn::Not and `{ Condition: name }`, over values resolved like any other (pseudo parameters,
 * imports). Throws UnresolvedError('unsupported') for an unknown name or a cycle.
 */
export function evaluateCondition(
  name: string,
  context: ResolveContext,
  evaluating: readonly string[] = [],
): boolean {
  const definition = context.conditions?.[name];
  if (definition === undefined) {
    throw new UnresolvedError(`condition ${name} is not defined in Conditions`, 'unsupported');
  }
  if (evaluating.includes(name)) {
    throw new UnresolvedError(
      `condition ${name} refers to itself (${[...evaluating, name].join(' → ')})`,
      'unsupported',
    );
  }
  return conditionHolds(definition, context, [...evaluating, name]);
}

function conditionHolds(
  definition: unknown,
  context: ResolveContext,
  evaluating: readonly string[],
): boolean {
  const [entry] = Object.entries(definition ?? {});
  const [name, argument] = entry ?? ['', undefined];
  const operands = (Array.isArray(argument) ? argument : []) as unknown[];
  switch (name) {
    case 'Condition':
      return evaluateCondition(String(argument), context, evaluating);
    case 'Fn::Equals': {
      const [left, right] = operands.map((operand) => resolveIntrinsics(operand, context));
      // CloudFormation compares the string forms: `{ "Fn::Equals": [1, "1"] }` holds.
      return String(left) === String(right);
    }
    case 'Fn::And':
      return operands.every((operand) => conditionHolds(operand, context, evaluating));
    case 'Fn::Or':
      return operands.some((operand) => conditionHolds(operand, context, evaluating));
    case 'Fn::Not':
      return !conditionHolds(operands[0], context, evaluating);
    default:
      throw new UnresolvedError(
        `condition function ${name || JSON.stringify(definition)} is not supported locally (supported: Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)`,
        'unsupported',
      );
  }
}
