'use strict';

const { createHash } = require('node:crypto');

/**
 * Per-function credentials under the local cloud. Lambda runs each function with temporary
 * credentials of its own role; serverless-offline gives every function the same process-level
 * AWS_* variables, so the local AWS endpoint could not tell who calls it. When the local cloud
 * asks for it (LOCAL_CLOUD_FUNCTION_CREDENTIALS=1 in `serverless offline`'s environment), each
 * function's environment gets credentials derived from its deployed name; the endpoint reads the
 * function from the session token and evaluates the request against that function's role
 * (packages/local-cloud/src/gateway/iam/IamEnforcer.ts). Nothing else reads them: they are not
 * secrets, and `serverless package` never runs this.
 */

/** Must match FUNCTION_TOKEN_PREFIX in packages/local-cloud/src/gateway/iam/IamEnforcer.ts. */
const TOKEN_PREFIX = 'local-cloud/';

/**
 * The credentials of one function: an `ASIA…` key id (what STS gives roles), a secret, and the
 * session token `local-cloud/<function name>` that identifies the function.
 *
 * @param {string} functionName the deployed name, e.g. `shop-order-dev-createOrder`
 * @returns {{ AWS_ACCESS_KEY_ID: string, AWS_SECRET_ACCESS_KEY: string, AWS_SESSION_TOKEN: string }}
 * @example
 * functionCredentials('shop-order-dev-getOrder').AWS_SESSION_TOKEN; // 'local-cloud/shop-order-dev-getOrder'
 */
function functionCredentials(functionName) {
  const digest = createHash('sha256').update(functionName).digest('hex').toUpperCase();
  return {
    AWS_ACCESS_KEY_ID: `ASIA${digest.slice(0, 16)}`,
    AWS_SECRET_ACCESS_KEY: `local-cloud-${digest.slice(16, 56)}`,
    AWS_SESSION_TOKEN: `${TOKEN_PREFIX}${functionName}`,
  };
}

/**
 * Adds each function's credentials to its `environment`, which serverless-offline applies after
 * the process-level AWS_* variables, so they win.
 *
 * @param {{ getAllFunctions(): string[], getFunction(key: string): { name: string, environment?: Record<string, unknown> } }} service
 *   the Serverless service, changed in place
 */
function addFunctionCredentials(service) {
  for (const key of service.getAllFunctions()) {
    const fn = service.getFunction(key);
    fn.environment = { ...(fn.environment ?? {}), ...functionCredentials(fn.name) };
  }
}

module.exports = { addFunctionCredentials, functionCredentials, TOKEN_PREFIX };
