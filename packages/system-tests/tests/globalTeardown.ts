import { stopSharedClouds } from './sharedCloud';

export default stopSharedClouds;
