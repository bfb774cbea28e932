export { CognitoError } from './errors';
export { type CognitoEmulator, type CognitoEmulatorOptions, startCognito } from './startCognito';
export { issuerOf } from './tokens';
