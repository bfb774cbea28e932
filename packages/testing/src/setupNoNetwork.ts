import net from 'node:net';

// Unit tests run without emulators or network: a test that opens a socket belongs in
// tests/integration (`*.int.test.ts`). Loaded after the environment for unit projects only, and
// undone after each file, because jest workers run files of other levels too.
const originalConnect = net.Socket.prototype.connect;
const originalListen = net.Server.prototype.listen;

function refuse(what: string): never {
  throw new Error(
    `unit tests open no sockets (${what}): move this test to tests/integration as *.int.test.ts`,
  );
}

beforeAll(() => {
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    const [target] = args;
    refuse(`connect to ${JSON.stringify(target)}`);
  } as typeof net.Socket.prototype.connect;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    refuse(`listen on ${JSON.stringify(args[0])}`);
  } as typeof net.Server.prototype.listen;
});

afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  net.Server.prototype.listen = originalListen;
});
