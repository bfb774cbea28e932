import { requireEnv } from '../../src/environment';

describe('Function: requireEnv', () => {
  it('returns the value of a setting that is there', () => {
    expect(requireEnv('FACTS_TABLE', { FACTS_TABLE: 'facts-test' })).toBe('facts-test');
  });

  it('names the missing setting and where it comes from', () => {
    expect(() => requireEnv('FACTS_TABLE', {})).toThrow(
      "FACTS_TABLE is not set; it comes from the service's serverless.yml",
    );
  });

  it('treats an empty value as missing', () => {
    expect(() => requireEnv('IDEMPOTENCY_TABLE', { IDEMPOTENCY_TABLE: '' })).toThrow(
      'IDEMPOTENCY_TABLE is not set',
    );
  });

  it('reads process.env when given no environment', () => {
    // Prepare
    process.env.REQUIRE_ENV_TEST_SETTING = 'from-process';

    try {
      // Act & Assess
      expect(requireEnv('REQUIRE_ENV_TEST_SETTING')).toBe('from-process');
    } finally {
      delete process.env.REQUIRE_ENV_TEST_SETTING;
    }
  });
});
