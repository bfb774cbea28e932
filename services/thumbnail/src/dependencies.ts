import {
  requireEnv,
  S3ObjectStore,
  S3UploadUrlSigner,
  SnsEventPublisher,
} from '@shop/aws-adapters';
import type { ThumbnailDependencies } from '@shop/thumbnail-domain';
import { loadConfig, type ThumbnailConfig } from './config';

/** Wires the thumbnail use case to the media bucket and the bus; called once per cold start. */
export function createThumbnailDependencies(
  env: NodeJS.ProcessEnv = process.env,
): ThumbnailDependencies {
  const config = loadConfig(env);
  return {
    media: new S3ObjectStore({ bucket: config.bucket }),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
    bucket: config.bucket,
    prefixes: config.prefixes,
    limits: config.limits,
  };
}

/** The presigner and the settings the upload-URL endpoint answers with. */
export function createUploadDependencies(env: NodeJS.ProcessEnv = process.env): {
  config: ThumbnailConfig;
  signer: S3UploadUrlSigner;
} {
  const config = loadConfig(env);
  return { config, signer: new S3UploadUrlSigner({ bucket: config.bucket }) };
}
