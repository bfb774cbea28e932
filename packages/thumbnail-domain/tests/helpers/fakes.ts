import type { EventPublisher, ShopEvent } from '@shop/contracts';
import type { FetchedObject, MediaStore, ObjectHead } from '../../src';

interface StoredObject {
  body: Buffer;
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
}

/** An in-memory media bucket that counts what it was asked. */
export class InMemoryMediaStore implements MediaStore {
  readonly objects = new Map<string, StoredObject>();
  readonly calls: { op: 'head' | 'get' | 'put'; key: string }[] = [];
  failWith: Error | undefined;

  add(key: string, body: Buffer, etag = `etag-${this.objects.size + 1}`): string {
    this.objects.set(key, { body, etag, metadata: {} });
    return etag;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    this.calls.push({ op: 'head', key });
    if (this.failWith) throw this.failWith;
    const object = this.objects.get(key);
    return (
      object && { etag: object.etag, contentType: object.contentType, metadata: object.metadata }
    );
  }

  async get(key: string, options: { maxBytes: number }): Promise<FetchedObject | undefined> {
    this.calls.push({ op: 'get', key });
    if (this.failWith) throw this.failWith;
    const object = this.objects.get(key);
    if (!object) return undefined;
    if (object.body.length > options.maxBytes) {
      return { kind: 'too-large', size: object.body.length, etag: object.etag };
    }
    return { kind: 'found', bytes: object.body, etag: object.etag };
  }

  async put(
    key: string,
    object: { body: Buffer; contentType: string; metadata: Record<string, string> },
  ): Promise<void> {
    this.calls.push({ op: 'put', key });
    if (this.failWith) throw this.failWith;
    this.objects.set(key, {
      body: object.body,
      etag: `etag-of-${key}`,
      contentType: object.contentType,
      metadata: object.metadata,
    });
  }

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: ShopEvent[] = [];
  failWith: Error | undefined;
  async publish(event: ShopEvent): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(event);
  }
}
