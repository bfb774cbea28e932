import { fakeContext } from '@shop/testing';

type Observability = typeof import('../../src');

/**
 * Loads `src` as a new container with `env` would, and says whether it loaded Powertools' tracer
 * (and with it the X-Ray SDK, whose async hook then runs for every promise of the process).
 */
async function loadWith(env: NodeJS.ProcessEnv) {
  const saved = { ...process.env };
  delete process.env.IS_OFFLINE;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  Object.assign(process.env, env);
  let tracerLoaded = false;
  let observability: Observability | undefined;
  try {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@aws-lambda-powertools/tracer', () => {
        tracerLoaded = true;
        return jest.requireActual('@aws-lambda-powertools/tracer');
      });
      observability = await import('../../src');
    });
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  if (!observability) throw new Error('src did not load');
  return { observability, tracerLoaded: () => tracerLoaded };
}

describe('the tracer', () => {
  it.each([
    ['under serverless-offline', { IS_OFFLINE: 'true' }],
    ['with POWERTOOLS_TRACE_ENABLED=false', { POWERTOOLS_TRACE_ENABLED: 'false' }],
    ['with POWERTOOLS_TRACE_ENABLED=FALSE', { POWERTOOLS_TRACE_ENABLED: 'FALSE' }],
  ])('is not even loaded %s, and handlers still answer', async (_case, env) => {
    // Prepare
    const { observability, tracerLoaded } = await loadWith(env);

    // Act
    const handler = observability.instrumentHandler(async () => 'answered');
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toBe('answered');
    expect(observability.tracer).toBeUndefined();
    expect(tracerLoaded()).toBe(false);
  });

  it('is loaded where tracing is on, as in Lambda', async () => {
    // Act
    const { observability, tracerLoaded } = await loadWith({ POWERTOOLS_TRACE_ENABLED: 'true' });

    // Assess
    expect(tracerLoaded()).toBe(true);
    expect(observability.tracer).toBeDefined();
  });
});
