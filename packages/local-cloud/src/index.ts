export { type LocalCloud, type LocalCloudOptions, startLocalCloud } from './LocalCloud';
