import * as net from 'net';

function listenOnFreePort(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise(resolve => server.close(() => resolve()));
}

/**
 * Finds `count` distinct free TCP ports on `host` by binding port 0. All
 * sockets are held until every port is known, so the ports are distinct.
 * (Another process may still grab a port before it is used; callers retry.)
 */
export async function findFreePorts(
  count: number,
  host = '127.0.0.1',
): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      servers.push(await listenOnFreePort(host));
    }
    return servers.map(server => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** Finds one free TCP port on `host` (default 127.0.0.1). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await findFreePorts(1, host);
  return port;
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * Finds `count` ranges of `size` consecutive free ports each (for rendered
 * deployments, whose process i listens on start + i), below the ephemeral
 * range so brokers and clients started meanwhile do not land in them.
 * Returns the first port of each range.
 */
export async function findFreePortRanges(
  count: number,
  size: number,
  host = '127.0.0.1',
): Promise<number[]> {
  const starts: number[] = [];
  for (let attempt = 0; starts.length < count && attempt < 200; attempt++) {
    const start = 20000 + Math.floor(Math.random() * 10000);
    const clash = starts.some(s => Math.abs(s - start) < size);
    if (clash) continue;
    let free = true;
    for (let p = start; p < start + size && free; p++) {
      free = await portFree(p, host);
    }
    if (free) starts.push(start);
  }
  if (starts.length < count) {
    throw new Error(
      `found only ${starts.length} of ${count} free port ranges of ${size}`,
    );
  }
  return starts;
}
