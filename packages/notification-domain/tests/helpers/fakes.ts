import type { EmailSender, OutgoingEmail } from '../../src/ports';

/** EmailSender that keeps what it was given, answers `message-1`, `message-2`, …, or fails. */
export class InMemoryEmailSender implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  /** Set to make every send reject, as a provider outage would. */
  failWith: Error | undefined;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(structuredClone(email));
    return { messageId: `message-${this.sent.length}` };
  }
}
