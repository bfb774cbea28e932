import { findRepoRoot, type PackagedService, packageService, serviceDirs } from '@shop/local-cloud';

/**
 * Every service as `serverless package` leaves it (the artefacts `sls deploy` would upload), one
 * at a time: each run is esbuild on our two cores, and unchanged services come from the cache.
 */
export async function packageAllServices(): Promise<PackagedService[]> {
  const repoRoot = findRepoRoot(__dirname);
  const services: PackagedService[] = [];
  for (const dir of serviceDirs(repoRoot))
    services.push(await packageService(dir, { repoRoot, stage: 'local' }));
  return services;
}
