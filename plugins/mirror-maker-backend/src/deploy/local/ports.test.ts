import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PortAllocator } from './ports';

function listen(server: net.Server, port: number): Promise<boolean> {
  return new Promise(resolve => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

describe('PortAllocator', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-ports-'));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const portsFile = (deployment: string, host: string) =>
    path.join(tmp, deployment, host, 'run', 'ports.json');

  it('remembers the ports of a node across calls and instances', async () => {
    const first = await new PortAllocator(tmp).portsFor(portsFile('d', 'h'), 2);
    expect(first.size).toBe(2);
    expect(first.jmxInitialPort).toBeGreaterThanOrEqual(19999);
    expect(first.exporterInitialPort).not.toBe(first.jmxInitialPort);
    const again = await new PortAllocator(tmp).portsFor(portsFile('d', 'h'), 2);
    expect(again).toEqual(first);
    // Fewer processes fit in the remembered ranges.
    expect(
      await new PortAllocator(tmp).portsFor(portsFile('d', 'h'), 1),
    ).toEqual(first);
    expect(JSON.parse(fs.readFileSync(portsFile('d', 'h'), 'utf8'))).toEqual(
      first,
    );
    expect(fs.statSync(portsFile('d', 'h')).mode & 0o777).toBe(0o600);
  });

  it('gives every node its own ranges, also when allocated at once', async () => {
    const allocator = new PortAllocator(tmp);
    const all = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(host =>
        allocator.portsFor(portsFile('dep', host), 4),
      ),
    );
    const ranges = all.flatMap(p => [
      [p.jmxInitialPort + 1, p.jmxInitialPort + 4],
      [p.exporterInitialPort + 1, p.exporterInitialPort + 4],
    ]);
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) {
        const overlap =
          ranges[i][0] <= ranges[j][1] && ranges[j][0] <= ranges[i][1];
        expect(overlap).toBe(false);
      }
    }
  });

  it('grows a node whose process count grew, away from ports in use', async () => {
    const file = portsFile('d', 'h');
    // A random source that first proposes a port someone listens on.
    const busy = net.createServer();
    let port = 25000;
    while (!(await listen(busy, port))) port++;
    try {
      const proposals = [(port - 20000) / (32000 - 20000 - 3), 0.1, 0.2, 0.3];
      const allocator = new PortAllocator(tmp, () => proposals.shift() ?? 0.5);
      await allocator.portsFor(file, 1);
      const grown = await allocator.portsFor(file, 3);
      expect(grown.size).toBe(3);
      for (const base of [grown.jmxInitialPort, grown.exporterInitialPort]) {
        expect(base + 1 > port || base + 3 < port).toBe(true);
      }
    } finally {
      await new Promise(resolve => busy.close(resolve));
    }
  });
});
