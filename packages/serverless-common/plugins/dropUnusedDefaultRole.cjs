'use strict';

/**
 * serverless-iam-roles-per-function gives every function its own role but leaves the framework's
 * shared default role (IamRoleLambdaExecution) in the template, unused. This removes it once no
 * resource refers to it, so a stack holds only roles that some function assumes.
 * List it after serverless-iam-roles-per-function in `plugins`.
 */
class DropUnusedDefaultRole {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.drop() };
  }

  drop() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const roleId = this.serverless.providers.aws.naming.getRoleLogicalId();
    if (!template.Resources[roleId]) return;
    const { [roleId]: _role, ...others } = template.Resources;
    const stillUsed = JSON.stringify({ others, outputs: template.Outputs }).includes(`"${roleId}"`);
    if (!stillUsed) delete template.Resources[roleId];
  }
}

module.exports = DropUnusedDefaultRole;
