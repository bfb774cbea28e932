import { startSharedClouds } from './sharedCloud';

export default startSharedClouds;
