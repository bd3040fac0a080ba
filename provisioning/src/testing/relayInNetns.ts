// Run inside a test network namespace: listens on 127.0.0.1:<port> there and forwards each
// connection to the unix socket the test's loopback relay serves, so services in the namespace
// reach the shared test stack (PostgreSQL, Kafka) at their usual addresses.
// Usage: relayInNetns.ts <socket dir> <port>...
import { createConnection, createServer } from 'node:net';
import { relaySocketPath } from './portRelay';

const [dir, ...ports] = process.argv.slice(2);
if (!dir || ports.length === 0) throw new Error('usage: relayInNetns.ts <socket dir> <port>...');
let listening = 0;
for (const port of ports.map(Number)) {
  createServer((inside) => {
    const outside = createConnection(relaySocketPath(dir, port));
    inside.pipe(outside);
    outside.pipe(inside);
    const close = (): void => {
      inside.destroy();
      outside.destroy();
    };
    for (const s of [inside, outside]) {
      s.on('error', close);
      s.on('close', close);
    }
  }).listen(port, '127.0.0.1', () => {
    listening += 1;
    if (listening === ports.length) console.log(`relay ready on ${ports.join(', ')}`);
  });
}
