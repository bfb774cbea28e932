export type { CfnResource, CfnTemplate } from './cloudformation/template';
export { type RunningEmulator, startDynamoDb } from './emulators/dynamodb';
export {
  ensureUserSignedIn,
  findUserPool,
  LocalSignIn,
  type LocalUserPool,
  localUser,
  type SignedIn,
  seedUsers,
  signIn,
} from './identity/localIdentity';
export { type LocalCloud, type LocalCloudOptions, startLocalCloud } from './LocalCloud';
export { pollUntil } from './net';
export { redrive, sourceQueueOf } from './redrive';
export { type PackagedService, packageService } from './services/packageService';
export { findRepoRoot, serviceDirs } from './services/workspace';
export { declaredTable } from './testing/declaredTable';
export { type DynamoDbForTests, startDynamoDbForTests } from './testing/dynamoDbForTests';
export { type LocalCloudProcess, startLocalCloudProcess } from './testing/localCloudProcess';
export { type FunctionUsage, type UsageSnapshot, usage, usageMetered } from './usage';
