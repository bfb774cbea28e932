import { pollUntil } from '../../src/pollUntil';

describe('Function: pollUntil', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns the first answer that is not undefined', async () => {
    // Prepare
    const answers = [undefined, undefined, 'ready', 'later'];
    const check = jest.fn(async () => answers.shift());

    // Act
    const value = await pollUntil('ready', check, { timeoutMs: 1_000, intervalMs: 1 });

    // Assess
    expect(value).toBe('ready');
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('keeps falsy answers other than undefined', async () => {
    expect(await pollUntil('zero', () => 0, { timeoutMs: 1_000 })).toBe(0);
  });

  it('fails naming what it waited for once the deadline passes', async () => {
    // Prepare: time moves only when the test says so.
    jest.useFakeTimers({ now: 0 });
    const check = jest.fn(async () => undefined);

    // Act
    const waiting = pollUntil('the order to settle', check, { timeoutMs: 500, intervalMs: 100 });
    const failure = expect(waiting).rejects.toThrow(
      'timed out after 500 ms waiting for the order to settle',
    );
    await jest.advanceTimersByTimeAsync(600);

    // Assess
    await failure;
    expect(check).toHaveBeenCalledTimes(6);
  });

  it('describes what it waited for when it gives up, with what it saw by then', async () => {
    // Prepare
    const seen: number[] = [];
    const check = async () => {
      seen.push(seen.length);
      return undefined;
    };

    // Act / Assess
    await expect(
      pollUntil(() => `a match; saw ${seen.join(',')}`, check, { timeoutMs: 0, intervalMs: 1 }),
    ).rejects.toThrow('timed out after 0 ms waiting for a match; saw 0');
  });

  it('fails at once when the check throws', async () => {
    // Prepare
    const check = jest.fn(async () => {
      throw new Error('queue does not exist');
    });

    // Act / Assess
    await expect(pollUntil('a message', check, { timeoutMs: 60_000 })).rejects.toThrow(
      'queue does not exist',
    );
    expect(check).toHaveBeenCalledTimes(1);
  });
});
