export { type ApiGatewayEventOptions, apiGatewayEvent } from './apiGatewayEvent';
export { fakeContext } from './context';
