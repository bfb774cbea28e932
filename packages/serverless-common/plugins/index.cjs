'use strict';

const { dropUnusedDefaultRole } = require('./dropUnusedDefaultRole.cjs');
const { addOperationalAlarms } = require('./operationalAlarms.cjs');

/**
 * The plugin every service lists as "@shop/serverless-common" (after
 * serverless-iam-roles-per-function). Once the template is compiled it
 * - drops the framework's default role when no function uses it (dropUnusedDefaultRole.cjs);
 * - adds the Errors, Throttles and dead-letter alarms (operationalAlarms.cjs), notifying the alarm
 *   topic the event-bus stack exports for the same stage.
 */
class ServerlessCommon {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:finalize': () => this.dropUnusedDefaultRole(),
      // Not before:package:finalize: the queues of `resources` (DLQs among them) are merged into
      // the template only in this step, and the template is written to disk right after it.
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addAlarms(),
    };
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
