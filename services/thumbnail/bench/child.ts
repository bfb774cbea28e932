/**
 * One benchmark case in a fresh process: loads one bundled image library (its load time is the
 * import cost), thumbnails one file `runs` times and prints what it took as JSON, peak RSS
 * included. Arguments: <library bundle or "idle"> <file> <runs>.
 */
import { existsSync, readFileSync } from 'node:fs';

type Thumbnailer = (bytes: Buffer) => Promise<Buffer>;

async function main() {
  const [library = 'idle', file = '', runs = '1'] = process.argv.slice(2);
  const importStarted = performance.now();
  const thumbnail: Thumbnailer =
    library === 'idle'
      ? async (bytes) => bytes
      : (require(library) as { thumbnail: Thumbnailer }).thumbnail;
  const importMs = performance.now() - importStarted;
  const bytes = readFileSync(file);
  const times: number[] = [];
  let result: Buffer | undefined;
  let error: string | undefined;
  for (let i = 0; i < Number(runs); i++) {
    const started = performance.now();
    try {
      result = await thumbnail(bytes);
    } catch (caught) {
      error = (caught as Error).message;
    }
    times.push(performance.now() - started);
  }
  process.stdout.write(
    `${JSON.stringify({
      importMs,
      times,
      maxRssMB: peakRssMB(),
      outputBytes: result?.length,
      error,
    })}\n`,
  );
}

/**
 * This process's peak RSS. `process.resourceUsage().maxRSS` is the obvious source, but Linux
 * carries ru_maxrss across exec: a child forked from a large parent reports the parent's RSS at
 * fork time if that is larger than its own peak. VmHWM (/proc/self/status) belongs to the new
 * address space alone, so it is used where there is one.
 */
function peakRssMB(): number {
  const status = '/proc/self/status';
  if (existsSync(status)) {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'));
    if (match) return Number(match[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
