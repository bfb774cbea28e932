export {
  type InvalidRecordDetails,
  LambdaSqsError,
  LambdaSqsInvalidRecordError,
} from './errors';
export { busEventParser, type EventConsumerOptions, eventConsumer } from './eventConsumer';
export {
  type SqsBatchConsumerOptions,
  type SqsBatchIdempotency,
  type SqsRecordParser,
  sqsBatchConsumer,
} from './sqsBatchConsumer';
