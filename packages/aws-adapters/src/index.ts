export { createDocumentClient } from './dynamodb/documentClient';
export {
  decodePageCursor,
  encodePageCursor,
  InvalidPageCursorError,
} from './dynamodb/pageCursor';
export { requireEnv } from './environment';
export { SesEmailSender, type SesEmailSenderOptions } from './ses/SesEmailSender';
export { SnsEventPublisher, type SnsEventPublisherOptions } from './sns/SnsEventPublisher';
export {
  type DeadLetter,
  SqsDeadLetterQueue,
  type SqsDeadLetterQueueOptions,
} from './sqs/SqsDeadLetterQueue';
export { SqsRetryScheduler, type SqsRetrySchedulerOptions } from './sqs/SqsRetryScheduler';
