import 'aws-sdk-client-mock-jest';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecretsReader, SecretsReaderError } from '../../src/secrets/createSecretsReader';

const SECRET_ID = 'shop/prod/stripe-secret-key';

describe('Function: createSecretsReader', () => {
  const secretsManager = mockClient(SecretsManagerClient);

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-28T10:00:00.000Z') });
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'sk_live_first' });
  });

  afterEach(() => {
    secretsManager.reset();
    jest.useRealTimers();
  });

  it('returns the string value of the named secret', async () => {
    // Prepare
    const secrets = createSecretsReader();

    // Act
    const value = await secrets.getString(SECRET_ID);

    // Assess
    expect(value).toBe('sk_live_first');
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: SECRET_ID,
    });
  });

  it('asks Secrets Manager once for two reads within five minutes by default', async () => {
    // Prepare
    const secrets = createSecretsReader();

    // Act
    const first = await secrets.getString(SECRET_ID);
    jest.advanceTimersByTime(299_000);
    const second = await secrets.getString(SECRET_ID);

    // Assess
    expect([first, second]).toEqual(['sk_live_first', 'sk_live_first']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('reads a rotated secret again once the cached value is older than maxAge', async () => {
    // Prepare
    const secrets = createSecretsReader({ maxAgeSeconds: 60 });
    await secrets.getString(SECRET_ID);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'sk_live_rotated' });

    // Act
    jest.advanceTimersByTime(59_000);
    const cached = await secrets.getString(SECRET_ID);
    jest.advanceTimersByTime(2_000);
    const rotated = await secrets.getString(SECRET_ID);

    // Assess
    expect([cached, rotated]).toEqual(['sk_live_first', 'sk_live_rotated']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('caches each secret under its own id', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'shop/dev/other' })
      .resolves({ SecretString: 'other-value' });
    const secrets = createSecretsReader();

    // Act
    const values = [
      await secrets.getString(SECRET_ID),
      await secrets.getString('shop/dev/other'),
      await secrets.getString(SECRET_ID),
    ];

    // Assess
    expect(values).toEqual(['sk_live_first', 'other-value', 'sk_live_first']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('names the secret in its own error, keeps the SDK error as cause and caches no failure', async () => {
    // Prepare
    const missing = new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret.",
      $metadata: {},
    });
    secretsManager.on(GetSecretValueCommand).rejectsOnce(missing).resolves({
      SecretString: 'sk_live_created_later',
    });
    const secrets = createSecretsReader();

    // Act
    const failure = await secrets.getString(SECRET_ID).catch((error: unknown) => error);
    const retried = await secrets.getString(SECRET_ID);

    // Assess
    expect(failure).toBeInstanceOf(SecretsReaderError);
    expect((failure as Error).message).toBe(
      `could not read secret ${SECRET_ID}: Secrets Manager can't find the specified secret.`,
    );
    expect(((failure as Error).cause as Error).cause).toBe(missing);
    expect(retried).toBe('sk_live_created_later');
  });

  it('rejects a secret that holds binary data instead of a string', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretBinary: new TextEncoder().encode('sk_live_x') });
    const secrets = createSecretsReader();

    // Act & Assess
    await expect(secrets.getString(SECRET_ID)).rejects.toThrow(
      new SecretsReaderError(`secret ${SECRET_ID} holds no string value (SecretString)`),
    );
  });

  it('uses a ready client when given one', async () => {
    // Prepare
    const client = new SecretsManagerClient({ region: 'eu-west-1' });
    const secrets = createSecretsReader({ client });

    // Act
    await secrets.getString(SECRET_ID);

    // Assess
    expect(secretsManager.call(0).thisValue).toBe(client);
  });

  it('builds its own client from the given config otherwise', async () => {
    // Prepare
    const secrets = createSecretsReader({ config: { region: 'ap-southeast-2' } });

    // Act
    await secrets.getString(SECRET_ID);

    // Assess
    const client = secretsManager.call(0).thisValue as SecretsManagerClient;
    expect(client).toBeInstanceOf(SecretsManagerClient);
    await expect(client.config.region()).resolves.toBe('ap-southeast-2');
  });
});
