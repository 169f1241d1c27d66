import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the fake backend received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeBackend {
  /** `discovery.getBaseUrl('mirror-maker')` of the fake. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Sets the answer to the next requests. */
  reply(status: number, body: unknown): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for the mirror-maker backend, so the actions
 * are tested through global fetch as they run in production.
 */
export async function startFakeBackend(): Promise<FakeBackend> {
  const requests: RecordedRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 500, body: {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const payload =
        typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type':
          typeof answer.body === 'string' ? 'text/html' : 'application/json',
      });
      res.end(payload);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/mirror-maker`,
    requests,
    reply(status, body) {
      answer = { status, body };
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(e => (e ? reject(e) : resolve())),
      ),
  };
}

/** A DiscoveryService that points every plugin at the fake. */
export function fakeDiscovery(backend: FakeBackend) {
  return {
    getBaseUrl: async () => backend.baseUrl,
    getExternalBaseUrl: async () => backend.baseUrl,
  };
}
