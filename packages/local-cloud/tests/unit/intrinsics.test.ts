import {
  evaluateCondition,
  type ResolveContext,
  resolveIntrinsics,
  UnresolvedError,
} from '../../src/cloudformation/intrinsics';
import type { PhysicalResource } from '../../src/cloudformation/template';

const QUEUE: PhysicalResource = {
  ref: 'http://127.0.0.1:4566/000000000000/orders',
  attributes: { Arn: 'arn:aws:sqs:eu-west-1:000000000000:orders', QueueName: 'orders' },
};

function contextWith(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    region: 'eu-west-1',
    stackName: 'shop-order-local',
    resources: new Map([['OrdersQueue', QUEUE]]),
    exports: new Map([['shop-event-bus-local-TopicArn', 'arn:aws:sns:eu-west-1:0:events']]),
    conditions: {
      IsLocal: { 'Fn::Equals': [{ Ref: 'AWS::StackName' }, 'shop-order-local'] },
      IsProd: { 'Fn::Equals': ['local', 'prod'] },
      InIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
    },
    ...overrides,
  };
}

/** The error a resolution throws, so a test can assert its kind and message. */
function failureOf(run: () => unknown): UnresolvedError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnresolvedError) return error;
    throw error;
  }
  throw new Error('expected an UnresolvedError, nothing was thrown');
}

describe('Function: resolveIntrinsics', () => {
  describe('Ref and Fn::GetAtt', () => {
    it('resolves pseudo parameters for the local account', () => {
      // Act
      const resolved = resolveIntrinsics(
        ['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::StackName', 'AWS::URLSuffix'].map(
          (name) => ({ Ref: name }),
        ),
        contextWith(),
      );

      // Assess
      expect(resolved).toEqual([
        'eu-west-1',
        '000000000000',
        'aws',
        'shop-order-local',
        'amazonaws.com',
      ]);
    });

    it('resolves a resource to its ref and attributes, in both GetAtt spellings', () => {
      // Act
      const resolved = resolveIntrinsics(
        {
          Url: { Ref: 'OrdersQueue' },
          Arn: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] },
          Name: { 'Fn::GetAtt': 'OrdersQueue.QueueName' },
        },
        contextWith(),
      );

      // Assess
      expect(resolved).toEqual({ Url: QUEUE.ref, Arn: QUEUE.attributes.Arn, Name: 'orders' });
    });

    it('reports a resource not created yet as pending, so provisioning retries it', () => {
      // Act
      const refFailure = failureOf(() => resolveIntrinsics({ Ref: 'Later' }, contextWith()));
      const getAttFailure = failureOf(() =>
        resolveIntrinsics({ 'Fn::GetAtt': ['Later', 'Arn'] }, contextWith()),
      );

      // Assess
      expect(refFailure).toMatchObject({ kind: 'pending', message: 'Ref Later: not created yet' });
      expect(getAttFailure).toMatchObject({ kind: 'pending' });
    });

    it('reports an attribute the local resource does not know as unsupported', () => {
      // Act
      const failure = failureOf(() =>
        resolveIntrinsics({ 'Fn::GetAtt': ['OrdersQueue', 'Nonsense'] }, contextWith()),
      );

      // Assess
      expect(failure).toMatchObject({
        kind: 'unsupported',
        message: 'Fn::GetAtt OrdersQueue.Nonsense: attribute not known locally',
      });
    });

    it('reports a resource left out by its condition as unsupported, naming the condition', () => {
      // Prepare
      const context = contextWith({ excluded: new Map([['ProdAlarm', 'IsProd']]) });

      // Act
      const failure = failureOf(() => resolveIntrinsics({ Ref: 'ProdAlarm' }, context));

      // Assess
      expect(failure).toMatchObject({
        kind: 'unsupported',
        message: 'Ref ProdAlarm: not created, its condition IsProd is false',
      });
    });
  });

  describe('Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::ImportValue', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
    it('substitutes pseudo parameters, refs, attributes and its own variables, and writes ${!Literal} as ${Literal}', () => {
      // Act
      const resolved = resolveIntrinsics(
        {
          'Fn::Sub': [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
            '${AWS::StackName}|${OrdersQueue}|${OrdersQueue.Arn}|${Stage}|${!Literal}',
            { Stage: { 'Fn::Join': ['-', ['lo', 'cal']] } },
          ],
        },
        contextWith(),
      );

      // Assess
      expect(resolved).toBe(
        `shop-order-local|${QUEUE.ref}|${QUEUE.attributes.Arn}|lo-cal|\${Literal}`,
      );
    });

    it('substitutes a plain string template', () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
      expect(resolveIntrinsics({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' }, contextWith())).toBe(
        'arn:aws:s3:::x',
      );
    });

    it('joins, selects and splits resolved values', () => {
      // Act
      const resolved = resolveIntrinsics(
        {
          Joined: { 'Fn::Join': [':', [{ Ref: 'AWS::Region' }, 'x']] },
          Selected: {
            'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] }] }],
          },
        },
        contextWith(),
      );

      // Assess
      expect(resolved).toEqual({ Joined: 'eu-west-1:x', Selected: 'orders' });
    });

    it('imports what an earlier stack exported, and names an export nobody made', () => {
      // Act
      const imported = resolveIntrinsics(
        { 'Fn::ImportValue': { 'Fn::Sub': 'shop-event-bus-local-TopicArn' } },
        contextWith(),
      );
      const failure = failureOf(() =>
        resolveIntrinsics({ 'Fn::ImportValue': 'shop-missing-Arn' }, contextWith()),
      );

      // Assess
      expect(imported).toBe('arn:aws:sns:eu-west-1:0:events');
      expect(failure.kind).toBe('unsupported');
      expect(failure.message).toMatch(/shop-missing-Arn: no stack exports it/);
    });

    it('names an intrinsic it does not support, and the ones it does', () => {
      // Act
      const failure = failureOf(() => resolveIntrinsics({ 'Fn::GetAZs': '' }, contextWith()));

      // Assess
      expect(failure.kind).toBe('unsupported');
      expect(failure.message).toMatch(/intrinsic Fn::GetAZs is not supported locally/);
      expect(failure.message).toMatch(/Fn::If/);
    });

    it('leaves values without intrinsics as they are', () => {
      // Prepare
      const value = { Name: 'q', Tags: [{ Key: 'a', Value: 1 }], Enabled: true, None: null };

      // Act & Assess
      expect(resolveIntrinsics(value, contextWith())).toEqual(value);
    });
  });

  describe('Fn::If and AWS::NoValue', () => {
    it('takes the branch of the condition that holds', () => {
      // Act
      const resolved = resolveIntrinsics(
        {
          Local: { 'Fn::If': ['IsLocal', { Ref: 'OrdersQueue' }, 'other'] },
          Prod: { 'Fn::If': ['IsProd', 'prod-value', 'local-value'] },
        },
        contextWith(),
      );

      // Assess
      expect(resolved).toEqual({ Local: QUEUE.ref, Prod: 'local-value' });
    });

    it('does not resolve the branch it does not take', () => {
      // Act: the untaken branch names a resource that does not exist
      const resolved = resolveIntrinsics(
        { 'Fn::If': ['IsProd', { Ref: 'ProdOnlyTopic' }, 'fallback'] },
        contextWith(),
      );

      // Assess
      expect(resolved).toBe('fallback');
    });

    it('removes a property whose value is AWS::NoValue instead of setting it to an empty string', () => {
      // Act
      const resolved = resolveIntrinsics(
        {
          QueueName: 'orders',
          DelaySeconds: { 'Fn::If': ['IsProd', 5, { Ref: 'AWS::NoValue' }] },
          RedrivePolicy: { Ref: 'AWS::NoValue' },
        },
        contextWith(),
      ) as Record<string, unknown>;

      // Assess
      expect(resolved).toEqual({ QueueName: 'orders' });
      expect(Object.keys(resolved)).not.toContain('DelaySeconds');
    });

    it('removes a list item that is AWS::NoValue', () => {
      // Act
      const resolved = resolveIntrinsics(
        ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }, 'c'],
        contextWith(),
      );

      // Assess
      expect(resolved).toEqual(['a', 'c']);
    });

    it('resolves a value that is only AWS::NoValue to undefined', () => {
      expect(resolveIntrinsics({ Ref: 'AWS::NoValue' }, contextWith())).toBeUndefined();
    });

    it('refuses AWS::NoValue inside a string', () => {
      // Act
      const failure = failureOf(() =>
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
        resolveIntrinsics({ 'Fn::Sub': 'x-${AWS::NoValue}' }, contextWith()),
      );

      // Assess
      expect(failure.kind).toBe('unsupported');
      expect(failure.message).toMatch(/AWS::NoValue stands only for a whole property value/);
    });

    it.each([
      [
        'a condition that is not defined',
        { 'Fn::If': ['Nowhere', 'a', 'b'] },
        /Nowhere is not defined/,
      ],
      ['the wrong number of arguments', { 'Fn::If': ['IsLocal', 'a'] }, /Fn::If takes \[condition/],
    ])('reports Fn::If with %s as unsupported', (_case, value, message) => {
      // Act
      const failure = failureOf(() => resolveIntrinsics(value, contextWith()));

      // Assess
      expect(failure.kind).toBe('unsupported');
      expect(failure.message).toMatch(message);
    });
  });
});

describe('Function: evaluateCondition', () => {
  const conditions = {
    InIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
    IsProd: { 'Fn::Equals': ['local', 'prod'] },
    NumberEqualsString: { 'Fn::Equals': [1, '1'] },
    BothHold: { 'Fn::And': [{ Condition: 'InIreland' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
    EitherHolds: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'InIreland' }] },
    NeitherHolds: {
      'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ Condition: 'InIreland' }] }],
    },
    ImportedIsSet: {
      'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::ImportValue': 'shop-event-bus-local-TopicArn' }, ''] }],
    },
    Loop: { 'Fn::And': [{ Condition: 'LoopBack' }] },
    LoopBack: { 'Fn::And': [{ Condition: 'Loop' }] },
    Unknown: { 'Fn::Contains': [['a'], 'a'] },
  };

  it.each([
    ['InIreland', true],
    ['IsProd', false],
    ['NumberEqualsString', true],
    ['BothHold', true],
    ['EitherHolds', true],
    ['NeitherHolds', false],
    ['ImportedIsSet', true],
  ])('evaluates %s to %s', (name, expected) => {
    expect(evaluateCondition(name, contextWith({ conditions }))).toBe(expected);
  });

  it('reports a condition that refers to itself, with the cycle', () => {
    // Act
    const failure = failureOf(() => evaluateCondition('Loop', contextWith({ conditions })));

    // Assess
    expect(failure.kind).toBe('unsupported');
    expect(failure.message).toMatch(/Loop → LoopBack → Loop/);
  });

  it('names a condition function it does not support', () => {
    // Act
    const failure = failureOf(() => evaluateCondition('Unknown', contextWith({ conditions })));

    // Assess
    expect(failure.message).toMatch(/condition function Fn::Contains is not supported locally/);
  });

  it('reports a template without Conditions as not defining the name', () => {
    // Act
    const failure = failureOf(() =>
      evaluateCondition('IsProd', contextWith({ conditions: undefined })),
    );

    // Assess
    expect(failure.message).toBe('condition IsProd is not defined in Conditions');
  });
});
