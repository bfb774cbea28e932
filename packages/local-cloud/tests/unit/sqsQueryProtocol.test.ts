import {
  isSqsQueryRequest,
  queryFault,
  queryParams,
  queueUrlFromPath,
  SqsQueryProtocolError,
  toJsonRequest,
  toQueryErrorXml,
  toQueryXml,
} from '../../src/gateway/sqsQueryProtocol';

const QUEUE_URL = 'http://127.0.0.1:4566/000000000000/orders';
const XMLNS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';
const METADATA = '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>';

/** Query parameters as a form body carries them. */
const form = (body: string) => queryParams('/', body);

describe('Function: isSqsQueryRequest', () => {
  const formEncoded = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

  it('recognises a form-encoded request signed for sqs', () => {
    expect(isSqsQueryRequest('sqs', { method: 'POST', url: '/', headers: formEncoded })).toBe(true);
  });

  it('leaves the JSON protocol alone', () => {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.ListQueues',
    };

    expect(isSqsQueryRequest('sqs', { method: 'POST', url: '/', headers })).toBe(false);
  });

  it('leaves form-encoded requests of other services (SNS) alone', () => {
    expect(isSqsQueryRequest('sns', { method: 'POST', url: '/', headers: formEncoded })).toBe(
      false,
    );
  });

  it('recognises a GET whose URL carries the action', () => {
    expect(
      isSqsQueryRequest('sqs', { method: 'GET', url: '/?Action=ListQueues', headers: {} }),
    ).toBe(true);
    expect(isSqsQueryRequest('sqs', { method: 'GET', url: '/', headers: {} })).toBe(false);
  });
});

describe('Function: queryParams', () => {
  it('decodes the URL and the form body, the body winning', () => {
    // Act
    const params = queryParams(
      '/?Action=ListQueues&QueueNamePrefix=url',
      'QueueNamePrefix=a+b%26c&Version=2012-11-05',
    );

    // Assess
    expect(Object.fromEntries(params)).toEqual({
      Action: 'ListQueues',
      QueueNamePrefix: 'a b&c',
      Version: '2012-11-05',
    });
  });
});

describe('Function: queueUrlFromPath', () => {
  it('builds the queue URL from the host and an /<account>/<queue> path', () => {
    expect(queueUrlFromPath('127.0.0.1:4566', '/000000000000/orders')).toBe(QUEUE_URL);
    expect(queueUrlFromPath('127.0.0.1:4566', '/000000000000/orders/?x=1')).toBe(QUEUE_URL);
  });

  it('gives none for the root path or without a host', () => {
    expect(queueUrlFromPath('127.0.0.1:4566', '/')).toBeUndefined();
    expect(queueUrlFromPath(undefined, '/000000000000/orders')).toBeUndefined();
  });
});

describe('Function: toJsonRequest', () => {
  it('translates ListQueues with its integer MaxResults', () => {
    expect(
      toJsonRequest(form('Action=ListQueues&Version=2012-11-05&QueueNamePrefix=ord&MaxResults=5')),
    ).toStrictEqual({
      action: 'ListQueues',
      input: { QueueNamePrefix: 'ord', MaxResults: 5 },
    });
  });

  it('translates CreateQueue attributes and tags (flattened maps)', () => {
    // Act
    const json = toJsonRequest(
      form(
        'Action=CreateQueue&QueueName=orders' +
          '&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=30' +
          '&Attribute.2.Name=DelaySeconds&Attribute.2.Value=5' +
          '&Tag.1.Key=team&Tag.1.Value=shop',
      ),
    );

    // Assess
    expect(json).toStrictEqual({
      action: 'CreateQueue',
      input: {
        QueueName: 'orders',
        Attributes: { VisibilityTimeout: '30', DelaySeconds: '5' },
        tags: { team: 'shop' },
      },
    });
  });

  it('orders flattened list members by their index, not by their text', () => {
    // Prepare: members out of order, and .10 sorting before .2 as text
    const params = form(
      `Action=GetQueueAttributes&QueueUrl=${encodeURIComponent(QUEUE_URL)}` +
        '&AttributeName.10=C&AttributeName.2=B&AttributeName.1=A',
    );

    // Act + Assess
    expect(toJsonRequest(params).input).toStrictEqual({
      QueueUrl: QUEUE_URL,
      AttributeNames: ['A', 'B', 'C'],
    });
  });

  it('takes the queue URL from the path when the parameters name none', () => {
    expect(toJsonRequest(form('Action=PurgeQueue'), QUEUE_URL)).toStrictEqual({
      action: 'PurgeQueue',
      input: { QueueUrl: QUEUE_URL },
    });
    expect(
      toJsonRequest(form('Action=PurgeQueue&QueueUrl=http%3A%2F%2Fother%2F1%2Fq'), QUEUE_URL).input,
    ).toStrictEqual({ QueueUrl: 'http://other/1/q' });
  });

  it('translates SendMessage with string, number, binary and list attributes', () => {
    // Act
    const json = toJsonRequest(
      form(
        'Action=SendMessage&MessageBody=hello+world&DelaySeconds=3' +
          '&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String' +
          '&MessageAttribute.1.Value.StringValue=blue' +
          '&MessageAttribute.2.Name=count&MessageAttribute.2.Value.DataType=Number' +
          '&MessageAttribute.2.Value.StringValue=3' +
          '&MessageAttribute.3.Name=blob&MessageAttribute.3.Value.DataType=Binary' +
          '&MessageAttribute.3.Value.BinaryValue=AQID' +
          '&MessageAttribute.4.Name=tags&MessageAttribute.4.Value.DataType=String' +
          '&MessageAttribute.4.Value.StringListValue.1=a&MessageAttribute.4.Value.StringListValue.2=b' +
          '&MessageSystemAttribute.1.Name=AWSTraceHeader' +
          '&MessageSystemAttribute.1.Value.DataType=String' +
          '&MessageSystemAttribute.1.Value.StringValue=Root%3D1-abc',
      ),
      QUEUE_URL,
    );

    // Assess
    expect(json).toStrictEqual({
      action: 'SendMessage',
      input: {
        QueueUrl: QUEUE_URL,
        MessageBody: 'hello world',
        DelaySeconds: 3,
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'blue' },
          count: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: 'AQID' },
          tags: { DataType: 'String', StringListValues: ['a', 'b'] },
        },
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' },
        },
      },
    });
  });

  it('translates SendMessageBatch entries with their own attributes', () => {
    // Act
    const json = toJsonRequest(
      form(
        'Action=SendMessageBatch' +
          '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one' +
          '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two' +
          '&SendMessageBatchRequestEntry.2.DelaySeconds=2' +
          '&SendMessageBatchRequestEntry.2.MessageGroupId=g' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=color' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=red',
      ),
      QUEUE_URL,
    );

    // Assess
    expect(json.input).toStrictEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        {
          Id: 'b',
          MessageBody: 'two',
          DelaySeconds: 2,
          MessageGroupId: 'g',
          MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
        },
      ],
    });
  });

  it('translates ReceiveMessage lists and integers', () => {
    expect(
      toJsonRequest(
        form(
          'Action=ReceiveMessage&AttributeName.1=All&MessageSystemAttributeName.1=SenderId' +
            '&MessageAttributeName.1=color&MessageAttributeName.2=trace.*' +
            '&MaxNumberOfMessages=10&VisibilityTimeout=0&WaitTimeSeconds=20' +
            '&ReceiveRequestAttemptId=try-1',
        ),
        QUEUE_URL,
      ).input,
    ).toStrictEqual({
      QueueUrl: QUEUE_URL,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['SenderId'],
      MessageAttributeNames: ['color', 'trace.*'],
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 20,
      ReceiveRequestAttemptId: 'try-1',
    });
  });

  it('translates the delete and visibility actions, single and batched', () => {
    expect(
      toJsonRequest(form('Action=DeleteMessage&ReceiptHandle=rh%2B1'), QUEUE_URL).input,
    ).toStrictEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh+1' });
    expect(
      toJsonRequest(
        form(
          'Action=DeleteMessageBatch' +
            '&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1' +
            '&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2',
        ),
        QUEUE_URL,
      ).input,
    ).toStrictEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'a', ReceiptHandle: 'r1' },
        { Id: 'b', ReceiptHandle: 'r2' },
      ],
    });
    expect(
      toJsonRequest(
        form('Action=ChangeMessageVisibility&ReceiptHandle=r1&VisibilityTimeout=45'),
        QUEUE_URL,
      ).input,
    ).toStrictEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'r1', VisibilityTimeout: 45 });
    expect(
      toJsonRequest(
        form(
          'Action=ChangeMessageVisibilityBatch' +
            '&ChangeMessageVisibilityBatchRequestEntry.1.Id=a' +
            '&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=r1' +
            '&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=0',
        ),
        QUEUE_URL,
      ).input,
    ).toStrictEqual({
      QueueUrl: QUEUE_URL,
      Entries: [{ Id: 'a', ReceiptHandle: 'r1', VisibilityTimeout: 0 }],
    });
  });

  it('translates the tag actions, with tags named as the reference or as botocore sends them', () => {
    const tagged = { QueueUrl: QUEUE_URL, Tags: { team: 'shop', tier: 'gold' } };

    expect(
      toJsonRequest(
        form('Action=TagQueue&Tag.1.Key=team&Tag.1.Value=shop&Tag.2.Key=tier&Tag.2.Value=gold'),
        QUEUE_URL,
      ).input,
    ).toStrictEqual(tagged);
    expect(
      toJsonRequest(
        form('Action=TagQueue&Tags.1.Key=team&Tags.1.Value=shop&Tags.2.Key=tier&Tags.2.Value=gold'),
        QUEUE_URL,
      ).input,
    ).toStrictEqual(tagged);
    expect(
      toJsonRequest(form('Action=UntagQueue&TagKey.1=team&TagKey.2=tier'), QUEUE_URL).input,
    ).toStrictEqual({ QueueUrl: QUEUE_URL, TagKeys: ['team', 'tier'] });
  });

  it('passes an action it has no mapping for through with its queue URL', () => {
    expect(toJsonRequest(form('Action=AddPermission&Label=x'), QUEUE_URL)).toStrictEqual({
      action: 'AddPermission',
      input: { QueueUrl: QUEUE_URL },
    });
  });

  it('refuses a request without an action', () => {
    expect(() => toJsonRequest(form('Version=2012-11-05'))).toThrow(
      expect.objectContaining({ code: 'MissingAction', status: 400 }),
    );
  });

  it('refuses an action that is not a plain name (it would name an XML element)', () => {
    expect(() => toJsonRequest(form('Action=%3Cx%3E'))).toThrow(SqsQueryProtocolError);
  });

  it('refuses a non-integer number, naming the parameter as sent', () => {
    expect(() =>
      toJsonRequest(
        form(
          'Action=SendMessageBatch&SendMessageBatchRequestEntry.1.Id=a' +
            '&SendMessageBatchRequestEntry.3.Id=c&SendMessageBatchRequestEntry.3.DelaySeconds=soon',
        ),
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'InvalidParameterValue',
        message: expect.stringContaining('SendMessageBatchRequestEntry.3.DelaySeconds'),
      }),
    );
  });
});

describe('Function: toQueryXml', () => {
  it('renders ListQueues as a flattened QueueUrl list', () => {
    expect(toQueryXml('ListQueues', { QueueUrls: [QUEUE_URL, `${QUEUE_URL}-dlq`] }, 'req-1')).toBe(
      `<?xml version="1.0"?><ListQueuesResponse ${XMLNS}><ListQueuesResult>` +
        `<QueueUrl>${QUEUE_URL}</QueueUrl><QueueUrl>${QUEUE_URL}-dlq</QueueUrl>` +
        `</ListQueuesResult>${METADATA}</ListQueuesResponse>`,
    );
  });

  it('renders an empty ListQueues result when there are no queues', () => {
    expect(toQueryXml('ListQueues', { QueueUrls: [] }, 'req-1')).toContain(
      '<ListQueuesResult></ListQueuesResult>',
    );
  });

  it('renders actions without a result as ResponseMetadata only', () => {
    expect(toQueryXml('DeleteMessage', {}, 'req-1')).toBe(
      `<?xml version="1.0"?><DeleteMessageResponse ${XMLNS}>${METADATA}</DeleteMessageResponse>`,
    );
  });

  it('renders queue attributes and tags as Name/Value and Key/Value pairs', () => {
    expect(
      toQueryXml('GetQueueAttributes', { Attributes: { VisibilityTimeout: '30' } }, 'req-1'),
    ).toContain(
      '<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>30</Value>' +
        '</Attribute></GetQueueAttributesResult>',
    );
    expect(toQueryXml('ListQueueTags', { Tags: { team: 'shop' } }, 'req-1')).toContain(
      '<ListQueueTagsResult><Tag><Key>team</Key><Value>shop</Value></Tag></ListQueueTagsResult>',
    );
  });

  it('renders a received message with its attributes, message attributes and MD5s', () => {
    // Act
    const xml = toQueryXml(
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'r-1',
            MD5OfBody: 'body-md5',
            Body: 'hi',
            Attributes: { SenderId: '000000000000', ApproximateReceiveCount: '1' },
            MD5OfMessageAttributes: 'attributes-md5',
            MessageAttributes: {
              color: { DataType: 'String', StringValue: 'blue' },
              blob: { DataType: 'Binary', BinaryValue: 'AQID' },
            },
          },
        ],
      },
      'req-1',
    );

    // Assess
    expect(xml).toBe(
      `<?xml version="1.0"?><ReceiveMessageResponse ${XMLNS}><ReceiveMessageResult><Message>` +
        '<MessageId>m-1</MessageId><ReceiptHandle>r-1</ReceiptHandle>' +
        '<MD5OfBody>body-md5</MD5OfBody><Body>hi</Body>' +
        '<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
        '<MD5OfMessageAttributes>attributes-md5</MD5OfMessageAttributes>' +
        '<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue>' +
        '<DataType>String</DataType></Value></MessageAttribute>' +
        '<MessageAttribute><Name>blob</Name><Value><BinaryValue>AQID</BinaryValue>' +
        '<DataType>Binary</DataType></Value></MessageAttribute>' +
        `</Message></ReceiveMessageResult>${METADATA}</ReceiveMessageResponse>`,
    );
  });

  it('renders an empty receive as an empty result', () => {
    expect(toQueryXml('ReceiveMessage', {}, 'req-1')).toContain(
      '<ReceiveMessageResult></ReceiveMessageResult>',
    );
  });

  it('escapes markup and keeps carriage returns (the client checks MD5OfBody)', () => {
    expect(
      toQueryXml('ReceiveMessage', { Messages: [{ Body: `<a href='x'>&"\r\n` }] }, 'req-1'),
    ).toContain('<Body>&lt;a href=&apos;x&apos;&gt;&amp;&quot;&#xD;\n</Body>');
  });

  it('renders a batch send with its successes and failures', () => {
    expect(
      toQueryXml(
        'SendMessageBatch',
        {
          Successful: [{ Id: 'a', MessageId: 'm-1', MD5OfMessageBody: 'md5-a' }],
          Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'no' }],
        },
        'req-1',
      ),
    ).toContain(
      '<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id>' +
        '<MD5OfMessageBody>md5-a</MD5OfMessageBody><MessageId>m-1</MessageId>' +
        '</SendMessageBatchResultEntry><BatchResultErrorEntry><Id>b</Id>' +
        '<SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>no</Message>' +
        '</BatchResultErrorEntry></SendMessageBatchResult>',
    );
  });

  it('renders batch deletes and visibility changes as their entries Ids', () => {
    expect(toQueryXml('DeleteMessageBatch', { Successful: [{ Id: 'a' }] }, 'req-1')).toContain(
      '<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id>' +
        '</DeleteMessageBatchResultEntry></DeleteMessageBatchResult>',
    );
    expect(
      toQueryXml('ChangeMessageVisibilityBatch', { Successful: [{ Id: 'a' }] }, 'req-1'),
    ).toContain(
      '<ChangeMessageVisibilityBatchResultEntry><Id>a</Id></ChangeMessageVisibilityBatchResultEntry>',
    );
  });

  it('renders the send result and queue URL results', () => {
    expect(
      toQueryXml(
        'SendMessage',
        { MessageId: 'm-1', MD5OfMessageBody: 'b', MD5OfMessageAttributes: 'a' },
        'req-1',
      ),
    ).toContain(
      '<SendMessageResult><MD5OfMessageBody>b</MD5OfMessageBody>' +
        '<MD5OfMessageAttributes>a</MD5OfMessageAttributes><MessageId>m-1</MessageId>' +
        '</SendMessageResult>',
    );
    expect(toQueryXml('CreateQueue', { QueueUrl: QUEUE_URL }, 'req-1')).toContain(
      `<CreateQueueResult><QueueUrl>${QUEUE_URL}</QueueUrl></CreateQueueResult>`,
    );
    expect(toQueryXml('ListDeadLetterSourceQueues', { queueUrls: [QUEUE_URL] }, 'req-1')).toContain(
      `<ListDeadLetterSourceQueuesResult><QueueUrl>${QUEUE_URL}</QueueUrl>`,
    );
  });
});

describe('Function: queryFault', () => {
  it('gives a missing queue its query-protocol code', () => {
    expect(
      queryFault(
        400,
        {
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        },
        'AWS.SimpleQueueService.NonExistentQueue;Sender',
      ),
    ).toStrictEqual({
      status: 400,
      type: 'Sender',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue does not exist.',
    });
  });

  it('maps codes by the API model, not by the emulator header', () => {
    // The emulator prefixes every code in its header; SQS itself says QueueAlreadyExists.
    expect(
      queryFault(
        400,
        { __type: 'com.amazonaws.sqs#QueueNameExists', message: 'exists' },
        'AWS.SimpleQueueService.QueueNameExists;Sender',
      ).code,
    ).toBe('QueueAlreadyExists');
    expect(
      queryFault(400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'x' }).code,
    ).toBe('InvalidParameterValue');
  });

  it('passes an unknown action through under its own code', () => {
    expect(
      queryFault(400, {
        __type: 'com.amazonaws.sqs#InvalidAction',
        message: 'Unknown action: ListDeadLetterSourceQueues',
      }),
    ).toStrictEqual({
      status: 400,
      type: 'Sender',
      code: 'InvalidAction',
      message: 'Unknown action: ListDeadLetterSourceQueues',
    });
  });

  it('makes an emulator crash an InternalFailure of the receiver', () => {
    expect(
      queryFault(500, { statusCode: 500, error: 'Internal Server Error', message: 'boom' }),
    ).toStrictEqual({ status: 500, type: 'Receiver', code: 'InternalFailure', message: 'boom' });
  });

  it('takes the fault from the header when it names one', () => {
    expect(
      queryFault(
        400,
        { __type: 'com.amazonaws.sqs#Throttled', message: 'slow' },
        'Throttled;Receiver',
      ).type,
    ).toBe('Receiver');
  });
});

describe('Function: toQueryErrorXml', () => {
  it('renders the ErrorResponse envelope, escaping the message', () => {
    expect(
      toQueryErrorXml(
        {
          status: 400,
          type: 'Sender',
          code: 'AWS.SimpleQueueService.NonExistentQueue',
          message: 'queue <orders> does not exist',
        },
        'req-1',
      ),
    ).toBe(
      `<?xml version="1.0"?><ErrorResponse ${XMLNS}><Error><Type>Sender</Type>` +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code>' +
        '<Message>queue &lt;orders&gt; does not exist</Message><Detail/></Error>' +
        '<RequestId>req-1</RequestId></ErrorResponse>',
    );
  });
});
