import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
}

/**
 * The OpenAPI document of every service with an HTTP API, merged into one for the local base URL.
 * Each service generates its own from its zod schemas in `src/openapi.ts` (`openApiDocument()`).
 */
export async function mergedOpenApiDocument(
  serviceDirs: string[],
  baseUrl: string,
): Promise<OpenApiDocument> {
  const merged: Required<Pick<OpenApiDocument, 'paths' | 'components'>> & OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop (local)',
      version: '1.0.0',
      description: 'Every HTTP API of the system, as served by the local base URL.',
    },
    paths: {},
    components: {},
  };
  for (const dir of serviceDirs) {
    const file = join(dir, 'src', 'openapi.ts');
    if (!existsSync(file)) continue;
    const module = (await import(file)) as { openApiDocument?: () => OpenApiDocument };
    const document = module.openApiDocument?.();
    if (!document) continue;
    Object.assign(merged.paths, document.paths);
    for (const [kind, entries] of Object.entries(document.components ?? {})) {
      merged.components[kind] = { ...merged.components[kind], ...entries };
    }
  }
  return { ...merged, servers: [{ url: baseUrl }] } as OpenApiDocument;
}
