import type { LocalRole } from '../../src/cloudformation/iamResources';
import { revokedGrantsFrom, withoutActions } from '../../src/gateway/iam/IamEnforcer';

const role: LocalRole = {
  logicalId: 'RecordOutcomesIamRoleLambdaExecution',
  name: 'shop-order-local-recordOutcomes-role',
  arn: 'arn:aws:iam::000000000000:role/shop-order-local-recordOutcomes-role',
  managedPolicyArns: [],
  policies: [
    {
      name: 'policy',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: 'arn:t' },
          { Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:topic' },
          { Effect: 'Deny', Action: 'sns:Publish', Resource: 'arn:other' },
        ],
      },
    },
  ],
};

describe('Function: revokedGrantsFrom', () => {
  it('reads function=action pairs', () => {
    expect(
      revokedGrantsFrom(' shop-order-local-recordOutcomes=sns:Publish, f2=dynamodb:PutItem '),
    ).toEqual([
      { functionName: 'shop-order-local-recordOutcomes', action: 'sns:Publish' },
      { functionName: 'f2', action: 'dynamodb:PutItem' },
    ]);
    expect(revokedGrantsFrom(undefined)).toEqual([]);
  });

  it('refuses what is not a function and a service:Action', () => {
    expect(() => revokedGrantsFrom('recordOutcomes')).toThrow(/LOCAL_CLOUD_IAM_REVOKE/);
    expect(() => revokedGrantsFrom('f=Publish')).toThrow(/LOCAL_CLOUD_IAM_REVOKE/);
  });
});

describe('Function: withoutActions', () => {
  it('takes the action out of every Allow, drops emptied statements and keeps Denies', () => {
    // Act
    const revoked = withoutActions(role, [{ functionName: 'f', action: 'SNS:publish' }]);

    // Assess
    expect(revoked.policies[0]?.document.Statement).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: 'arn:t' },
      { Effect: 'Deny', Action: 'sns:Publish', Resource: 'arn:other' },
    ]);
    expect(role.policies[0]?.document.Statement).toHaveLength(3);
  });
});
