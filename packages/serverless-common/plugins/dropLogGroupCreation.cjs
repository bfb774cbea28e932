'use strict';

/**
 * serverless-iam-roles-per-function grants every function's role logs:CreateLogGroup next to
 * CreateLogStream and PutLogEvents. The framework declares each function's log group in the
 * template (retention set), and CloudFormation creates it before the function (DependsOn), so
 * the function never creates it. The grant is also dead as written: its resource is
 * `…:log-group:<name>:*:*`, which matches log streams, while CreateLogGroup is authorized on
 * `…:log-group:<name>`. This removes the action from the log statement of every role whose
 * function's log group is in the template.
 *
 * @param {{ Resources: Record<string, any> }} template the compiled template, changed in place
 */
function dropLogGroupCreation(template) {
  const declaredGroups = new Set(
    Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Logs::LogGroup')
      .map((resource) => resource.Properties?.LogGroupName)
      .filter((name) => typeof name === 'string'),
  );
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    for (const policy of resource.Properties?.Policies || []) {
      for (const statement of [].concat(policy.PolicyDocument?.Statement || [])) {
        const actions = [].concat(statement.Action || []);
        if (!actions.includes('logs:CreateLogGroup')) continue;
        const resources = JSON.stringify(statement.Resource || '');
        const groupDeclared = [...declaredGroups].some((name) =>
          resources.includes(`:log-group:${name}:`),
        );
        if (groupDeclared) statement.Action = actions.filter((a) => a !== 'logs:CreateLogGroup');
      }
    }
  }
}

module.exports = { dropLogGroupCreation };
