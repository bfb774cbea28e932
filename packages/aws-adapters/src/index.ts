export { createDocumentClient } from './dynamodb/documentClient';
export { createDynamoDbClient } from './dynamodb/dynamoDbClient';
export {
  createPageCursorCodec,
  InvalidPageCursorError,
  MIN_PAGE_CURSOR_KEY_LENGTH,
  type PageCursorCodec,
  type PageCursorCodecOptions,
  type PageCursorKey,
  pageCursorKeyFromEnv,
} from './dynamodb/pageCursor';
export { requireEnv } from './environment';
export {
  type S3FetchedObject,
  type S3ObjectHead,
  S3ObjectStore,
  type S3ObjectStoreOptions,
} from './s3/S3ObjectStore';
export {
  type PresignedUpload,
  S3UploadUrlSigner,
  type S3UploadUrlSignerOptions,
} from './s3/S3UploadUrlSigner';
export {
  createSecretsReader,
  type SecretsReader,
  SecretsReaderError,
  type SecretsReaderOptions,
} from './secrets/createSecretsReader';
export { SesEmailSender, type SesEmailSenderOptions } from './ses/SesEmailSender';
export { SnsEventPublisher, type SnsEventPublisherOptions } from './sns/SnsEventPublisher';
export {
  type DeadLetter,
  SqsDeadLetterQueue,
  type SqsDeadLetterQueueOptions,
} from './sqs/SqsDeadLetterQueue';
export { SqsRetryScheduler, type SqsRetrySchedulerOptions } from './sqs/SqsRetryScheduler';
