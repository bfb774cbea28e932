import {
  isWildcardOnlyAction,
  runSimulation,
  type Simulation,
  type SimulationIdentityPolicy,
} from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../cloudformation/iamResources';
import { LOCAL_ACCOUNT_ID } from '../../cloudformation/template';

// Policy evaluation is @cloud-copilot/iam-simulate's (AWS's evaluation logic: explicit deny,
// identity and resource policies, every condition operator). It validates and loads the policies
// on every call (~0.5 ms), so this keeps, per role, only the statements that can apply to a
// service, and remembers every decision: policies do not change while the local cloud runs, so a
// decision depends only on (role, action, resource, condition keys).

/** The outcome of one authorization. */
export type Evaluation =
  | { result: 'Allowed' }
  | {
      result: 'ImplicitlyDenied' | 'ExplicitlyDenied';
      /** For an explicit deny: the kind of policy and the statement (Sid or position) that denied. */
      deniedBy?: { policy: 'identity' | 'resource'; statement: string };
    }
  /** The simulator cannot evaluate it (an action IAM does not know): not decided locally. */
  | { result: 'Unchecked'; reason: string };

/** The role a function's requests are evaluated against. */
export interface EvaluatedRole {
  arn: string;
  policies: { name: string; document: PolicyDocument }[];
}

type Statement = Record<string, unknown>;

/** Whether a statement can apply to an action of `service` (NotAction statements always can). */
function mayApplyTo(statement: Statement, service: string): boolean {
  if (statement.NotAction !== undefined) return true;
  const actions = [statement.Action].flat().map(String);
  return actions.some((action) => {
    const prefix = action.split(':')[0] ?? '';
    if (action === '*') return true;
    const pattern = new RegExp(
      `^${prefix
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    return pattern.test(service);
  });
}

const MAX_DECISIONS = 20_000;

/**
 * Evaluates requests against roles and resource policies, remembering decisions.
 *
 * @example
 * const evaluator = new IamEvaluator((arn) => policies.get(arn));
 * await evaluator.evaluate(
 *   { principal: 'arn:aws:sts::000000000000:assumed-role/r/f', role },
 *   'dynamodb:PutItem', 'arn:aws:dynamodb:eu-west-1:000000000000:table/t', {});
 * // { result: 'Allowed' }
 */
export class IamEvaluator {
  readonly #decisions = new Map<string, Promise<Evaluation>>();
  readonly #wildcardOnly = new Map<string, Promise<boolean | undefined>>();
  readonly #rolePolicies = new Map<string, SimulationIdentityPolicy[]>();

  /** @param resourcePolicyFor the policy guarding a resource ARN (a queue, topic or bucket), if any */
  constructor(
    private readonly resourcePolicyFor: (resourceArn: string) => PolicyDocument | undefined,
  ) {}

  /** How many decisions are remembered (for the benchmark). */
  get remembered(): number {
    return this.#decisions.size;
  }

  /**
   * Evaluates `action` on `resource` by a role's session (`principal`), or by a service principal
   * (`sns.amazonaws.com`) when `role` is undefined, with the request's condition keys.
   */
  evaluate(
    caller: { principal: string; role?: EvaluatedRole },
    action: string,
    resource: string,
    context: Record<string, string | string[]>,
  ): Promise<Evaluation> {
    const key = [
      caller.role?.arn ?? caller.principal,
      action,
      resource,
      JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : 1))),
    ].join('\n');
    let decision = this.#decisions.get(key);
    if (!decision) {
      decision = this.#simulate(caller, action, resource, context);
      if (this.#decisions.size >= MAX_DECISIONS) {
        // Oldest first: a Map iterates in insertion order.
        const oldest = this.#decisions.keys().next().value;
        if (oldest !== undefined) this.#decisions.delete(oldest);
      }
      this.#decisions.set(key, decision);
    }
    return decision;
  }

  async #simulate(
    caller: { principal: string; role?: EvaluatedRole },
    action: string,
    resource: string,
    context: Record<string, string | string[]>,
  ): Promise<Evaluation> {
    const [service = '', name = ''] = action.split(':');
    const wildcardOnly = await this.#isWildcardOnly(service, name);
    if (wildcardOnly === undefined) {
      return { result: 'Unchecked', reason: `IAM knows no action ${action}` };
    }
    // Actions without resource types (sqs:ListQueues) are authorized on "*" alone.
    const target = wildcardOnly ? '*' : resource;
    const resourcePolicy = this.resourcePolicyFor(target);
    const simulation: Simulation = {
      request: {
        principal: caller.principal,
        action,
        resource: { resource: target, accountId: LOCAL_ACCOUNT_ID },
        contextVariables: context,
      },
      identityPolicies: caller.role ? this.#policiesOf(caller.role, service) : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error') {
      return { result: 'Unchecked', reason: JSON.stringify(response.errors) };
    }
    const analysis =
      response.resultType === 'single'
        ? response.result.analysis
        : response.results.find((r) => r.analysis?.result === response.overallResult)?.analysis;
    const result = response.overallResult;
    if (result === 'Allowed' || result === 'ImplicitlyDenied') return { result };
    const identityDeny = analysis?.identityAnalysis?.denyStatements[0];
    const resourceDeny = analysis?.resourceAnalysis?.denyStatements[0];
    const deny = identityDeny ?? resourceDeny;
    return {
      result,
      ...(deny
        ? {
            deniedBy: {
              policy: identityDeny ? 'identity' : 'resource',
              statement: deny.statement.sid()
                ? `${deny.policyId ?? 'policy'} statement ${deny.statement.sid()}`
                : `${deny.policyId ?? 'policy'} statement ${JSON.stringify(deny.statement.toJSON())}`,
            },
          }
        : {}),
    };
  }

  #isWildcardOnly(service: string, action: string): Promise<boolean | undefined> {
    const key = `${service}:${action}`.toLowerCase();
    let known = this.#wildcardOnly.get(key);
    if (!known) {
      // iam-data throws for an action it does not know (sqs:SendMessageBatch is not an IAM action).
      known = isWildcardOnlyAction(service, action).catch(() => undefined);
      this.#wildcardOnly.set(key, known);
    }
    return known;
  }

  /** The role's policies with only the statements that can apply to `service` (computed once). */
  #policiesOf(role: EvaluatedRole, service: string): SimulationIdentityPolicy[] {
    const key = `${role.arn}\n${service}`;
    let policies = this.#rolePolicies.get(key);
    if (!policies) {
      policies = role.policies.flatMap(({ name, document }) => {
        const statements = [document.Statement ?? []].flat() as Statement[];
        const relevant = statements.filter((statement) => mayApplyTo(statement, service));
        return relevant.length > 0 ? [{ name, policy: { ...document, Statement: relevant } }] : [];
      });
      this.#rolePolicies.set(key, policies);
    }
    return policies;
  }
}
