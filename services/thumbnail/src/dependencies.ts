import { randomUUID } from 'node:crypto';
import {
  requireEnv,
  S3ObjectStore,
  S3UploadUrlSigner,
  SnsEventPublisher,
} from '@shop/aws-adapters';
import type { ThumbnailDependencies, UploadUrlDependencies } from '@shop/thumbnail-domain';
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

/** Wires the upload-URL use case to the bucket's presigner; its config sizes the request schema. */
export function createUploadDependencies(env: NodeJS.ProcessEnv = process.env): {
  config: ThumbnailConfig;
  deps: UploadUrlDependencies;
} {
  const config = loadConfig(env);
  return {
    config,
    deps: {
      signer: new S3UploadUrlSigner({ bucket: config.bucket }),
      prefixes: config.prefixes,
      uploadUrlTtlSeconds: config.uploadUrlTtlSeconds,
      newUploadId: randomUUID,
    },
  };
}
