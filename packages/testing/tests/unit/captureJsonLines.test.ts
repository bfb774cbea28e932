import { captureJsonLines } from '../../src/captureJsonLines';

describe('Function: captureJsonLines', () => {
  afterEach(() => jest.restoreAllMocks());

  it('collects the JSON lines written to stdout and stderr, in order, and drops the rest', () => {
    // Prepare
    const lines = captureJsonLines();

    // Act
    process.stdout.write('{"message":"first"}\nnot json\n');
    process.stderr.write('{"message":"second","level":"ERROR"}\n');

    // Assess
    expect(lines).toEqual([{ message: 'first' }, { message: 'second', level: 'ERROR' }]);
  });

  it('stops collecting once the mocks are restored', () => {
    // Prepare
    const lines = captureJsonLines();
    jest.restoreAllMocks();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    process.stdout.write('{"message":"after"}\n');

    // Assess
    expect(lines).toEqual([]);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
