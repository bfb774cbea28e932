import { UsageRecorder } from './UsageRecorder';

export { DynamoDbMeter } from './dynamoDbMeter';
export { GatewayUsageMeter } from './GatewayUsageMeter';
export type { FunctionUsage, UsageSnapshot } from './UsageRecorder';
export { UsageRecorder };

/**
 * What this process's local cloud has used (one local cloud per process, like its ports): the
 * AWS gateway and the base URL record into it unless given a recorder of their own.
 * Metering is on only with `LOCAL_CLOUD_USAGE=on` (`pnpm load` sets it).
 */
export const usage = new UsageRecorder();

/** Whether this process meters usage (read when the local cloud starts). */
export const usageMetered = (): boolean => process.env.LOCAL_CLOUD_USAGE?.toLowerCase() === 'on';
