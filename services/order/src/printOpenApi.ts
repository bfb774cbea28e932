import { orderOpenApiDocument } from './openapi';

process.stdout.write(`${JSON.stringify(orderOpenApiDocument(), null, 2)}\n`);
