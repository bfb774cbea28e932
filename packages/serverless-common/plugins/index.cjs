'use strict';

const path = require('node:path');

const { dropLogGroupCreation } = require('./dropLogGroupCreation.cjs');
const { dropUnusedDefaultRole } = require('./dropUnusedDefaultRole.cjs');
const { addFunctionCredentials } = require('./localCloudCredentials.cjs');
const { addOperationalAlarms } = require('./operationalAlarms.cjs');
const { recompressZip } = require('./recompressArtifacts.cjs');

/**
 * The plugin every service lists as "@shop/serverless-common" (after
 * serverless-iam-roles-per-function). Once the template is compiled it
 * - drops the framework's default role when no function uses it (dropUnusedDefaultRole.cjs);
 * - drops logs:CreateLogGroup from roles whose log group the template creates
 *   (dropLogGroupCreation.cjs);
 * - adds the Errors, Throttles and dead-letter alarms (operationalAlarms.cjs), notifying the alarm
 *   topic the event-bus stack exports for the same stage;
 * - recompresses each function's zip at zlib's best level (recompressArtifacts.cjs) once
 *   serverless-esbuild wrote it, before the framework hashes it into the template.
 * Under `serverless offline` started by the local cloud (LOCAL_CLOUD_FUNCTION_CREDENTIALS=1), it
 * gives each function credentials of its own (localCloudCredentials.cjs); packaging never does.
 */
class ServerlessCommon {
  constructor(serverless) {
    this.serverless = serverless;
    const credentials = () => this.addLocalCloudCredentials();
    this.hooks = {
      'after:package:createDeploymentArtifacts': () => this.recompressArtifacts(),
      'before:package:finalize': () => {
        this.dropUnusedDefaultRole();
        dropLogGroupCreation(this.template);
      },
      // Not before:package:finalize: the queues of `resources` (DLQs among them) are merged into
      // the template only in this step, and the template is written to disk right after it.
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addAlarms(),
      // `offline start` runs offline:start:init, a bare `offline` runs offline:start; both come
      // before serverless-offline builds its functions from their definitions.
      'before:offline:start:init': credentials,
      'before:offline:start': credentials,
    };
  }

  addLocalCloudCredentials() {
    if (process.env.LOCAL_CLOUD_FUNCTION_CREDENTIALS !== '1') return;
    addFunctionCredentials(this.serverless.service);
  }

  recompressArtifacts() {
    const service = this.serverless.service;
    const artifacts = [
      service.package?.artifact,
      ...service.getAllFunctions().map((name) => service.getFunction(name).package?.artifact),
    ];
    for (const artifact of new Set(artifacts.filter(Boolean))) {
      recompressZip(path.resolve(this.serverless.serviceDir, artifact));
    }
  }

  get template() {
    return this.serverless.service.provider.compiledCloudFormationTemplate;
  }

  dropUnusedDefaultRole() {
    const aws = this.serverless.getProvider('aws');
    dropUnusedDefaultRole(this.template, aws.naming.getRoleLogicalId());
  }

  addAlarms() {
    const stage = this.serverless.getProvider('aws').getStage();
    addOperationalAlarms(this.template, {
      alarmTopicArn: { 'Fn::ImportValue': `shop-event-bus-${stage}-AlarmTopicArn` },
    });
  }
}

module.exports = ServerlessCommon;
