// A minimal round-robin TCP proxy for the two-process benchmark: each incoming connection goes
// to the next backend port. Usage: node bench/lib/proxy.mjs LISTEN_PORT BACKEND_PORT...
// (HTTP keep-alive connections stay on the backend they were given, as behind most balancers.)
import net from 'node:net';

const [listen, ...backends] = process.argv.slice(2).map(Number);
let next = 0;
const server = net.createServer((client) => {
  client.setNoDelay(true);
  const upstream = net.connect({ port: backends[next++ % backends.length], host: '127.0.0.1' });
  upstream.setNoDelay(true);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
});
server.listen(listen, '127.0.0.1', () => console.log('proxy ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
