import { EventStreamParser } from '../../src/sse';

describe('EventStreamParser', () => {
  it('yields an event once its blank line arrives, whatever the chunks', () => {
    const parser = new EventStreamParser();
    expect(parser.push('event: order\ndata: {"status":"PEN')).toEqual([]);
    expect(parser.push('DING"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'order', data: '{"status":"PENDING"}' }]);
  });

  it('drops comments, defaults the event name and joins data lines', () => {
    const parser = new EventStreamParser();
    expect(parser.push(': keep-alive\n\ndata: a\ndata: b\r\n\r\nevent: trail\ndata:x\n\n')).toEqual(
      [
        { event: 'message', data: 'a\nb' },
        { event: 'trail', data: 'x' },
      ],
    );
  });
});
