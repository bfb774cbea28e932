import { ProblemSchema } from '@shop/lambda-http';
import { openApiDocument } from '../../src/openapi';
import { CreateUploadResponseSchema, createUploadRequestSchema } from '../../src/schemas';

type Response = { content?: Record<string, { example?: unknown }> };
type Operation = {
  operationId: string;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, Response>;
};

const document = openApiDocument();
const operations = Object.values(document.paths ?? {}).flatMap((item) =>
  Object.values(item as Record<string, Operation>),
);
const createUpload = operations.find((o) => o.operationId === 'createUpload');
const responseExample = (status: string, mediaType: string) =>
  createUpload?.responses[status]?.content?.[mediaType]?.example;

describe('OpenAPI document of the upload API', () => {
  it('documents POST /uploads and nothing else', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(['/uploads']);
    expect(operations.map((o) => o.operationId)).toEqual(['createUpload']);
  });

  it('has a request example that the handler schema accepts', () => {
    const example = createUpload?.requestBody?.content['application/json']?.example;

    expect(example).toBeDefined();
    expect(createUploadRequestSchema().safeParse(example).error).toBeUndefined();
  });

  it('has a 201 example that the response schema accepts', () => {
    const example = responseExample('201', 'application/json');

    expect(example).toBeDefined();
    expect(CreateUploadResponseSchema.safeParse(example).error).toBeUndefined();
  });

  it('has a 400 example that is a problem document naming a field', () => {
    const example = responseExample('400', 'application/problem+json');

    expect(ProblemSchema.safeParse(example).error).toBeUndefined();
    expect(example).toMatchObject({ status: 400, issues: [{ path: 'contentType' }] });
  });

  it('shares schemas as components generated from zod', () => {
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['CreateUploadRequest', 'CreateUploadResponse', 'Problem']),
    );
  });
});
