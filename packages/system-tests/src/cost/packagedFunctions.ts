import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A function as its packaged CloudFormation template deploys it. */
export interface PackagedFunction {
  /** The service folder (`order`). */
  service: string;
  /** The deployed name (`shop-order-local-createOrder`). */
  name: string;
  memoryMb: number;
  architecture: string;
  /** How it is invoked: an HTTP API route, an SQS event source mapping, a schedule. */
  triggers: ('http' | 'queue' | 'schedule')[];
  /** Invocations a month from its schedules (`rate(1 minute)` → 43,200 in 30 days). */
  scheduledPerMonth: number;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

const SECONDS_PER_MONTH = 30 * 24 * 3600;
const RATE_UNITS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/**
 * Invocations a month of a schedule expression; `rate(…)` only (a `cron(…)` counts as 0, with
 * no way to tell its frequency without evaluating it).
 *
 * @example
 * scheduledInvocationsPerMonth('rate(5 minutes)'); // 8640
 */
export function scheduledInvocationsPerMonth(expression: string): number {
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim());
  if (!rate) return 0;
  return SECONDS_PER_MONTH / (Number(rate[1]) * (RATE_UNITS[rate[2] as string] as number));
}

/** The logical id a `{ "Fn::GetAtt": [id, "Arn"] }` or `{ Ref: id }` points at. */
function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown[] })['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return String(getAtt[0]);
  const ref = (value as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** The functions of one packaged template, with what invokes them. */
export function functionsOfTemplate(
  service: string,
  resources: Record<string, Resource>,
): PackagedFunction[] {
  const functions = new Map<string, PackagedFunction>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const properties = resource.Properties ?? {};
    functions.set(id, {
      service,
      name: String(properties.FunctionName ?? id),
      memoryMb: Number(properties.MemorySize ?? 1024), // CloudFormation's default is 128; serverless' 1024
      architecture: String((properties.Architectures as string[] | undefined)?.[0] ?? 'x86_64'),
      triggers: [],
      scheduledPerMonth: 0,
    });
  }
  const add = (id: string | undefined, trigger: PackagedFunction['triggers'][number]) => {
    const fn = id ? functions.get(id) : undefined;
    if (fn && !fn.triggers.includes(trigger)) fn.triggers.push(trigger);
    return fn;
  };
  for (const resource of Object.values(resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::EventSourceMapping')
      add(referencedId(properties.FunctionName), 'queue');
    if (
      resource.Type === 'AWS::Lambda::Permission' &&
      String(properties.Principal).startsWith('apigateway')
    )
      add(referencedId(properties.FunctionName), 'http');
    if (
      resource.Type === 'AWS::Events::Rule' &&
      typeof properties.ScheduleExpression === 'string'
    ) {
      for (const target of (properties.Targets ?? []) as { Arn?: unknown }[]) {
        const fn = add(referencedId(target.Arn), 'schedule');
        if (fn) fn.scheduledPerMonth += scheduledInvocationsPerMonth(properties.ScheduleExpression);
      }
    }
  }
  return [...functions.values()];
}

/**
 * Every function of every packaged service (`services/<name>/.serverless/…-update-stack.json`,
 * written by `serverless package`, which the local cloud runs at start).
 */
export function packagedFunctions(repoRoot: string): PackagedFunction[] {
  const servicesDir = join(repoRoot, 'services');
  return readdirSync(servicesDir).flatMap((service) => {
    const path = join(
      servicesDir,
      service,
      '.serverless',
      'cloudformation-template-update-stack.json',
    );
    if (!existsSync(path)) return [];
    const template = JSON.parse(readFileSync(path, 'utf8')) as {
      Resources?: Record<string, Resource>;
    };
    return functionsOfTemplate(service, template.Resources ?? {});
  });
}
