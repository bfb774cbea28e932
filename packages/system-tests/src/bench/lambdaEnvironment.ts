import type { CfnTemplate } from '@shop/local-cloud';

const ACCOUNT = '000000000000';

/**
 * A placeholder for what an intrinsic would resolve to when deployed, shaped like the real value
 * (a queue URL, an ARN, a name), so code that reads it at load time sees a plausible string.
 */
export function resolveIntrinsic(value: unknown, template: CfnTemplate, region: string): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value === null || typeof value !== 'object') return 'placeholder';
  const [fn, arg] = Object.entries(value)[0] ?? [];
  const resolve = (inner: unknown) => resolveIntrinsic(inner, template, region);
  switch (fn) {
    case 'Ref': {
      const type = template.Resources[String(arg)]?.Type;
      if (type === 'AWS::SQS::Queue')
        return `https://sqs.${region}.amazonaws.com/${ACCOUNT}/placeholder-${arg}`;
      if (type === 'AWS::SNS::Topic') return `arn:aws:sns:${region}:${ACCOUNT}:placeholder-${arg}`;
      if (arg === 'AWS::Region') return region;
      if (arg === 'AWS::AccountId') return ACCOUNT;
      return `placeholder-${arg}`;
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      return attribute === 'Arn'
        ? `arn:aws:placeholder:${region}:${ACCOUNT}:placeholder-${logicalId}`
        : `placeholder-${logicalId}-${attribute}`;
    }
    case 'Fn::ImportValue': {
      const name = resolve(arg);
      if (/Arn$/.test(name)) return `arn:aws:placeholder:${region}:${ACCOUNT}:${name}`;
      if (/Url$/.test(name)) return `https://placeholder.${region}.amazonaws.com/${name}`;
      return `placeholder-${name}`;
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    case 'Fn::Sub': {
      const [text, variables = {}] = (Array.isArray(arg) ? arg : [arg]) as [
        string,
        Record<string, unknown>?,
      ];
      return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
        name in variables
          ? resolve(variables[name])
          : resolve(name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name }),
      );
    }
    case 'Fn::Select': {
      const [index, list] = arg as [number, unknown];
      return Array.isArray(list) ? resolve(list[index]) : 'placeholder';
    }
    case 'Fn::If':
      return resolve((arg as unknown[])[1]);
    default:
      return 'placeholder';
  }
}

/** What the bench needs of one packaged function. */
export interface PackagedFunction {
  logicalId: string;
  /** e.g. `src/functions/createOrder/handler.handler` */
  handler: string;
  /** e.g. `createOrder.zip` */
  zipName: string;
  environment: Record<string, string>;
}

/** Every Lambda function of a packaged template, with its environment resolved to placeholders. */
export function packagedFunctions(
  template: CfnTemplate,
  region: string,
  taskRoot: (zipName: string) => string,
): PackagedFunction[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      // biome-ignore lint/suspicious/noExplicitAny: the properties of AWS::Lambda::Function.
      const properties = (resource.Properties ?? {}) as Record<string, any>;
      const zipName = resolveIntrinsic(properties.Code?.S3Key, template, region).split('/').pop();
      const variables = (properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      const functionName = resolveIntrinsic(properties.FunctionName, template, region);
      const handler = String(properties.Handler);
      return {
        logicalId,
        handler,
        zipName: zipName ?? '',
        environment: {
          ...lambdaRuntimeVariables({
            region,
            functionName,
            handler,
            memorySize: String(properties.MemorySize ?? 1024),
            runtime: String(properties.Runtime ?? 'nodejs22.x'),
            taskRoot: taskRoot(zipName ?? ''),
          }),
          ...Object.fromEntries(
            Object.entries(variables).map(([name, value]) => [
              name,
              resolveIntrinsic(value, template, region),
            ]),
          ),
        },
      };
    });
}

/**
 * The variables the Lambda runtime sets for a function with active tracing
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime):
 * with AWS_EXECUTION_ENV and a trace header, Powertools' tracer and the X-Ray SDK behave as
 * deployed. Credentials are placeholders: nothing is called at load.
 */
export function lambdaRuntimeVariables(fn: {
  region: string;
  functionName: string;
  handler: string;
  memorySize: string;
  runtime: string;
  taskRoot: string;
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: fn.memorySize,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/28/[$LATEST]00000000000000000000000000000000',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: fn.handler,
    LAMBDA_TASK_ROOT: fn.taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_ACCESS_KEY_ID: 'ASIAPLACEHOLDER',
    AWS_SECRET_ACCESS_KEY: 'placeholder',
    AWS_SESSION_TOKEN: 'placeholder',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
    _X_AMZN_TRACE_ID: 'Root=1-67890abc-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1',
  };
}
