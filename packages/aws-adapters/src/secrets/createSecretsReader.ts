import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';

/** Reads string secrets from AWS Secrets Manager, cached for a while per secret. */
export interface SecretsReader {
  /**
   * The secret's current string value (`SecretString`), from the cache while it is younger than
   * the reader's maxAge, so a rotated secret is picked up within that time.
   *
   * @throws SecretsReaderError when the secret cannot be read or holds no string.
   */
  getString(secretId: string): Promise<string>;
}

export type SecretsReaderOptions = {
  /** How long a value is reused before Secrets Manager is asked again; 300 s unless given. */
  maxAgeSeconds?: number;
} & ({ client: SecretsManagerClient } | { config?: SecretsManagerClientConfig });

/** A secret could not be read (missing, no permission, throttled) or holds no string. */
export class SecretsReaderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretsReaderError';
  }
}

const DEFAULT_MAX_AGE_SECONDS = 300;

/**
 * A reader of Secrets Manager secrets through Powertools Parameters, with its cache: one
 * GetSecretValue per secret per maxAge and execution environment, instead of one per invocation
 * (each call is billed and counts against the account's request quota).
 * The function's role needs `secretsmanager:GetSecretValue` on each secret it reads.
 *
 * @example
 * ```ts
 * const secrets = createSecretsReader();                               // Lambda
 * const secrets = createSecretsReader({ client: mocked, maxAgeSeconds: 60 }); // tests
 * const apiKey = await secrets.getString('shop/prod/stripe-secret-key');
 * ```
 */
export function createSecretsReader(options: SecretsReaderOptions = {}): SecretsReader {
  const client =
    'client' in options ? options.client : new SecretsManagerClient(options.config ?? {});
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;

  return {
    async getString(secretId) {
      let value: string | Uint8Array | undefined;
      try {
        value = await provider.get(secretId, { maxAge });
      } catch (error) {
        // Powertools wraps the SDK's error; its message names what went wrong (e.g. AccessDenied).
        throw new SecretsReaderError(
          `could not read secret ${secretId}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (typeof value !== 'string' || value === '') {
        throw new SecretsReaderError(`secret ${secretId} holds no string value (SecretString)`);
      }
      return value;
    },
  };
}
