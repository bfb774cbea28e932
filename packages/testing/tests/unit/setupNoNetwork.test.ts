import { connect, createServer } from 'node:net';

// This project is a unit project, so setupNoNetwork is loaded around this file.
describe('Setup: no network in unit tests', () => {
  it('refuses to listen, naming where such a test belongs', () => {
    const server = createServer();

    expect(() => server.listen(0, '127.0.0.1')).toThrow(
      /unit tests open no sockets \(listen on 0\): move this test to tests\/integration/,
    );
  });

  it('refuses to connect', () => {
    expect(() => connect({ host: '127.0.0.1', port: 9 })).toThrow(/unit tests open no sockets/);
  });

  it('refuses fetch, which connects through the same sockets', async () => {
    await expect(fetch('http://127.0.0.1:9/')).rejects.toThrow();
  });
});
