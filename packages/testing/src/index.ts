export { type ApiGatewayEventOptions, apiGatewayEvent } from './apiGatewayEvent';
export { captureJsonLines, type JsonLine } from './captureJsonLines';
export { fakeContext } from './context';
export { type SqsRecordOverrides, sqsEvent, sqsRecord } from './sqsEvent';
