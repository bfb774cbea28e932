export {
  type ApiGatewayEventOptions,
  adminClaims,
  apiGatewayEvent,
  customerClaims,
} from './apiGatewayEvent';
export {
  type CapturedEmf,
  captureEmf,
  dimensionsOf,
  type EmfDocument,
  emitMetricsAs,
  metricUnit,
} from './captureEmf';
export { captureJsonLines, type JsonLine } from './captureJsonLines';
export { fakeContext } from './context';
export { type PollOptions, pollUntil } from './pollUntil';
export { type SqsRecordOverrides, sqsEvent, sqsRecord } from './sqsEvent';
