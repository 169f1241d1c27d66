import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { readJson, writeFileAtomic } from './files';

/**
 * The ports of one node of a deployment, in the spec's terms: process i
 * listens for JMX on `jmxInitialPort + i` and serves metrics on
 * `exporterInitialPort + i`, for i up to `size`.
 */
export interface NodePorts {
  jmxInitialPort: number;
  exporterInitialPort: number;
  size: number;
}

/** Below Linux's ephemeral range, so client sockets opened meanwhile do not land in ours. */
const LOW = 20000;
const HIGH = 32000;
const ATTEMPTS = 300;

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

function isNodePorts(value: unknown): value is NodePorts {
  const v = value as NodePorts | undefined;
  return (
    !!v &&
    [v.jmxInitialPort, v.exporterInitialPort, v.size].every(
      n => Number.isInteger(n) && n >= 0 && n < 65536,
    )
  );
}

/** First and last port of a range, inclusive. */
type Range = [number, number];

function rangesOf(ports: NodePorts): Range[] {
  return [
    [ports.jmxInitialPort + 1, ports.jmxInitialPort + ports.size],
    [ports.exporterInitialPort + 1, ports.exporterInitialPort + ports.size],
  ];
}

function overlaps(a: Range, b: Range): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

/**
 * Hands out port ranges per node and remembers them in the node's
 * `run/ports.json`, so a process keeps its ports across restarts,
 * redeploys and backend restarts (dashboards and scrape configs keep
 * working). Ranges are checked free on 127.0.0.1 when handed out, and never
 * overlap a range remembered for any other node under the work directory,
 * running or not. One allocation runs at a time.
 */
export class PortAllocator {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly workDir: string,
    private readonly random: () => number = Math.random,
  ) {}

  /** The node's remembered ports when they cover `size` processes, else new ones. */
  portsFor(portsFile: string, size: number): Promise<NodePorts> {
    const next = this.queue.then(() => this.allocate(portsFile, size));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async allocate(portsFile: string, size: number): Promise<NodePorts> {
    const known = await readJson<unknown>(portsFile);
    if (isNodePorts(known) && known.size >= size) return known;
    const taken = (await this.remembered())
      .filter(r => r.file !== portsFile)
      .flatMap(r => rangesOf(r.ports));
    const [jmx, exporter] = await this.freeRanges(2, size, taken);
    const ports: NodePorts = {
      jmxInitialPort: jmx - 1,
      exporterInitialPort: exporter - 1,
      size,
    };
    await writeFileAtomic(portsFile, `${JSON.stringify(ports)}\n`, 0o600);
    return ports;
  }

  /** Every ports.json under `<workDir>/<deployment>/<host>/run/`. */
  private async remembered(): Promise<{ file: string; ports: NodePorts }[]> {
    const found: { file: string; ports: NodePorts }[] = [];
    const list = async (dir: string) =>
      fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const deployment of await list(this.workDir)) {
      for (const host of await list(path.join(this.workDir, deployment))) {
        const file = path.join(
          this.workDir,
          deployment,
          host,
          'run',
          'ports.json',
        );
        const ports = await readJson<unknown>(file);
        if (isNodePorts(ports)) found.push({ file, ports });
      }
    }
    return found;
  }

  private async freeRanges(
    count: number,
    size: number,
    taken: Range[],
  ): Promise<number[]> {
    const starts: number[] = [];
    const chosen: Range[] = [];
    for (
      let attempt = 0;
      starts.length < count && attempt < ATTEMPTS;
      attempt++
    ) {
      const start = LOW + Math.floor(this.random() * (HIGH - LOW - size));
      const range: Range = [start, start + size - 1];
      if ([...taken, ...chosen].some(r => overlaps(r, range))) continue;
      let free = true;
      for (let port = range[0]; port <= range[1] && free; port++) {
        free = await portFree(port);
      }
      if (!free) continue;
      starts.push(start);
      chosen.push(range);
    }
    if (starts.length < count) {
      throw new Error(
        `no ${count} ranges of ${size} free ports between ${LOW} and ${HIGH} on 127.0.0.1 after ${ATTEMPTS} attempts`,
      );
    }
    return starts;
  }
}
