import { createUploadUrl, type UploadUrlDependencies, type UploadUrlSigner } from '../../src';

const prefixes = { uploadPrefix: 'uploads/', thumbnailPrefix: 'thumbnails/' };

/** A signer that records what it signed and answers with a recognisable URL. */
function recordingSigner() {
  const signed: { key: string; upload: Parameters<UploadUrlSigner['presignPut']>[1] }[] = [];
  const signer: UploadUrlSigner = {
    presignPut: async (key, upload) => {
      signed.push({ key, upload });
      return {
        url: `https://media.example/${encodeURIComponent(key)}?signed`,
        method: 'PUT',
        headers: {
          'Content-Type': upload.contentType,
          'Content-Length': String(upload.contentLength),
        },
        expiresAt: new Date('2026-11-28T10:05:00Z'),
      };
    },
  };
  return { signer, signed };
}

describe('Use case: createUploadUrl', () => {
  it('signs a PUT for uploads/<id>/<file name> with type, size and TTL, naming its thumbnail', async () => {
    // Prepare
    const { signer, signed } = recordingSigner();
    const deps: UploadUrlDependencies = {
      signer,
      prefixes,
      uploadUrlTtlSeconds: 120,
      newUploadId: () => 'id-1',
    };

    // Act
    const issued = await createUploadUrl(deps, {
      fileName: 'scan 7.tif',
      contentType: 'image/tiff',
      contentLength: 9_000,
    });

    // Assess
    expect(signed).toEqual([
      {
        key: 'uploads/id-1/scan 7.tif',
        upload: { contentType: 'image/tiff', contentLength: 9_000, expiresInSeconds: 120 },
      },
    ]);
    expect(issued).toEqual({
      uploadId: 'id-1',
      key: 'uploads/id-1/scan 7.tif',
      thumbnailKey: 'thumbnails/id-1/scan 7_thumb.tif',
      upload: {
        url: 'https://media.example/uploads%2Fid-1%2Fscan%207.tif?signed',
        method: 'PUT',
        headers: { 'Content-Type': 'image/tiff', 'Content-Length': '9000' },
        expiresAt: new Date('2026-11-28T10:05:00Z'),
      },
    });
  });
});
