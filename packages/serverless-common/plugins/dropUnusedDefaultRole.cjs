'use strict';

/**
 * serverless-iam-roles-per-function gives every function its own role but leaves the framework's
 * shared default role (IamRoleLambdaExecution) in the template, unused. This removes it once no
 * resource refers to it, so a stack holds only roles that some function assumes.
 * The plugin (index.cjs) runs it after serverless-iam-roles-per-function has done its work, so
 * list "@shop/serverless-common" after that plugin in `plugins`.
 *
 * @param {{ Resources: Record<string, unknown>, Outputs?: Record<string, unknown> }} template
 *   the compiled CloudFormation template, changed in place
 * @param {string} roleId the default role's logical id
 */
function dropUnusedDefaultRole(template, roleId) {
  if (!template.Resources[roleId]) return;
  const { [roleId]: _role, ...others } = template.Resources;
  const stillUsed = JSON.stringify({ others, outputs: template.Outputs }).includes(`"${roleId}"`);
  if (!stillUsed) delete template.Resources[roleId];
}

module.exports = { dropUnusedDefaultRole };
