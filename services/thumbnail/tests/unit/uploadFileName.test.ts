import { createUploadRequestSchema } from '../../src/schemas';

// Hostile strings stop at the edge: an upload's file name becomes part of an S3 key, so a
// character S3 or a log would silently replace, or a terminal would obey, is refused outright.

const schema = createUploadRequestSchema(1024 * 1024);
const upload = (fileName: string) => ({ fileName, contentType: 'image/jpeg', contentLength: 10 });

/** The issues on fileName, or [] when the name is accepted. */
const fileNameIssues = (fileName: string) =>
  (schema.safeParse(upload(fileName)).error?.issues ?? [])
    .filter((issue) => issue.path.join('.') === 'fileName')
    .map((issue) => issue.message);

describe('Function: createUploadRequestSchema (fileName)', () => {
  it.each([
    ['a NUL', 'beans\u0000.jpg', 'U+0000'],
    ['a trailing line feed (refused, not trimmed away)', 'beans.jpg\n', 'U+000A'],
    ['an escape sequence', '\u001b]0;owned\u0007.jpg', 'U+001B'],
    ['DEL', 'beans\u007f.jpg', 'U+007F'],
    ['a lone high surrogate', JSON.parse('"beans\\ud800.jpg"') as string, 'U+D800'],
    ['a lone low surrogate', JSON.parse('"\\udc00.jpg"') as string, 'U+DC00'],
    ['U+FDD0', 'beans\ufdd0.jpg', 'U+FDD0'],
    ['U+FFFE', 'beans\ufffe.jpg', 'U+FFFE'],
  ])('refuses a name with %s, naming the character', (_case, fileName, codePoint) => {
    expect(fileNameIssues(fileName)).toEqual([expect.stringContaining(codePoint)]);
  });

  it.each(['../etc/passwd', 'a\\b.jpg'])('still refuses the path separators of %j', (fileName) => {
    expect(fileNameIssues(fileName)).toEqual(['must not contain "/" or "\\"']);
  });

  it('keeps spaces, accents and emoji, trimming only surrounding spaces', () => {
    const parsed = schema.parse(upload('  café crème ☕.jpg '));

    expect(parsed.fileName).toBe('café crème ☕.jpg');
  });
});
