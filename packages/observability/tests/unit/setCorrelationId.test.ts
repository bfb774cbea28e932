import { captureJsonLines, type JsonLine } from '@shop/testing';
import {
  CORRELATION_ID_HEADERS,
  CORRELATION_ID_RESPONSE_HEADER,
  logger,
  setCorrelationId,
} from '../../src';

/** Turns the shared logger on and collects the JSON lines it writes until mocks are restored. */
function captureLogs(): JsonLine[] {
  const lines = captureJsonLines();
  logger.setLogLevel('INFO');
  return lines;
}

describe('Function: setCorrelationId', () => {
  afterEach(() => {
    logger.resetKeys();
    logger.setLogLevel('SILENT');
    jest.restoreAllMocks();
  });

  it('adds the correlation id to the logger keys', () => {
    // Prepare
    const appendKeys = jest.spyOn(logger, 'appendKeys');

    // Act
    setCorrelationId('corr-42');

    // Assess
    expect(appendKeys).toHaveBeenCalledWith({ correlationId: 'corr-42' });
  });

  it('writes the correlation id on every following log line', () => {
    // Prepare
    const lines = captureLogs();

    // Act
    setCorrelationId('corr-42');
    logger.info('first');
    logger.error('second');

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({ message: 'first', correlationId: 'corr-42' }),
      expect.objectContaining({ message: 'second', level: 'ERROR', correlationId: 'corr-42' }),
    ]);
  });

  it('replaces the correlation id set before', () => {
    // Prepare
    const lines = captureLogs();
    setCorrelationId('corr-old');

    // Act
    setCorrelationId('corr-new');
    logger.info('after');

    // Assess
    expect(lines).toEqual([expect.objectContaining({ correlationId: 'corr-new' })]);
  });

  it('keeps the correlation id out of the persistent keys, so resetting the keys drops it', () => {
    // Prepare
    const lines = captureLogs();
    setCorrelationId('corr-42');

    // Act
    logger.resetKeys();
    logger.info('next invocation');

    // Assess
    expect(logger.getPersistentLogAttributes()).not.toHaveProperty('correlationId');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });
});

describe('Constants: correlation id headers', () => {
  it('accepts x-correlation-id before x-request-id, lower-cased', () => {
    // Assess
    expect(CORRELATION_ID_HEADERS).toEqual(['x-correlation-id', 'x-request-id']);
    expect(CORRELATION_ID_RESPONSE_HEADER).toBe('X-Correlation-Id');
  });
});
