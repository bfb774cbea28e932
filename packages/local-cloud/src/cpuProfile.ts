import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * A V8 CPU profile of this process, taken through the inspector, for LOCAL_CLOUD_CPU_PROF=<dir>:
 * `node --cpu-prof` writes its profile only on a clean exit, which a local cloud stopped with its
 * services (SIGTERM, then SIGKILL after a grace period) does not always reach. Saved as
 * `<dir>/local-cloud.<pid>.cpuprofile`, readable by Chrome DevTools and the benchmarks.
 */
export async function startCpuProfile(dir: string): Promise<{ save(): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    save: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = join(dir, `local-cloud.${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
