import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const { recompressZip } = require('../../plugins/recompressArtifacts.cjs');

/** The content of every entry of a zip, read through its central directory. */
function entries(file: string): Record<string, string> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(end + 16);
  const files: Record<string, string> = {};
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
  }
  return files;
}

describe('Function: recompressZip', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recompress-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Info-ZIP writes the input and checks the output independently of our reader; CI installs it
  // (.ci/run), elsewhere the test says it is skipped rather than passing unseen.
  const infoZip = ['zip', 'unzip'].every((tool) => spawnSync(tool, ['-v']).status === 0);
  const itWithInfoZip = infoZip || process.env.CI ? it : it.skip;
  if (!infoZip && !process.env.CI)
    process.stderr.write('recompressArtifacts: zip/unzip not installed, one test skipped\n');

  itWithInfoZip(
    'shrinks a fast-deflated zip, keeps its content, and gives the same bytes each time',
    () => {
      // Prepare: a zip deflated at level 1, as archiver writes them, with a data descriptor (-fd).
      const words = Array.from({ length: 20000 }, (_, i) => `name${(i * 7919) % 1000}`).join(',');
      writeFileSync(join(dir, 'handler.js'), `exports.handler=()=>[${words}];`);
      writeFileSync(join(dir, 'README'), 'short');
      execFileSync(
        'zip',
        ['-q', '-1', '-X', '-fd', join(dir, 'fast.zip'), 'handler.js', 'README'],
        {
          cwd: dir,
        },
      );
      const before = statSync(join(dir, 'fast.zip')).size;
      const original = entries(join(dir, 'fast.zip'));

      // Act
      const size = recompressZip(join(dir, 'fast.zip'));
      const once = readFileSync(join(dir, 'fast.zip'));
      recompressZip(join(dir, 'fast.zip'));

      // Assess
      expect(size).toBeLessThan(before);
      expect(entries(join(dir, 'fast.zip'))).toEqual(original);
      expect(readFileSync(join(dir, 'fast.zip'))).toEqual(once);
      execFileSync('unzip', ['-tq', join(dir, 'fast.zip')]);
    },
  );
});
