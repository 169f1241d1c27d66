import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

import {
  buildQueries,
  NERDGRAPH_EU,
  NERDGRAPH_US,
  NewRelicSource,
  nrqlString,
} from './NewRelicSource';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '__fixtures__', name), 'utf8');

interface Received {
  headers: http.IncomingHttpHeaders;
  body: {
    query: string;
    variables: Record<string, unknown> & {
      processes: string;
      clients: string;
      gc: string;
    };
  };
}

/** NerdGraph as a local server: what it answers is set per test. */
async function fakeNerdGraph() {
  const received: Received[] = [];
  let answer: (res: http.ServerResponse) => void = res => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(fixture('nerdgraph-process-metrics.json'));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      answer(res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/graphql`,
    received,
    answer: (a: typeof answer) => {
      answer = a;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Splits NRQL into its string literals and the text between them, by the
 * language's rules (single quotes, backslash escapes), as New Relic would.
 */
function nrqlTokens(nrql: string): { code: string[]; strings: string[] } {
  const code: string[] = [];
  const strings: string[] = [];
  let current = '';
  let i = 0;
  while (i < nrql.length) {
    const c = nrql[i++];
    if (c !== "'") {
      current += c;
      continue;
    }
    code.push(current);
    current = '';
    let literal = '';
    for (;;) {
      if (i >= nrql.length) throw new Error('unterminated literal');
      const d = nrql[i++];
      if (d === '\\') literal += nrql[i++];
      else if (d === "'") break;
      else literal += d;
    }
    strings.push(literal);
  }
  code.push(current);
  return { code, strings };
}

const now = () => new Date('2026-11-24T12:00:00.000Z');

const request = {
  deploymentRef: 'mirrormaker:default/dc1-to-dc2',
  deploymentName: 'dc1-to-dc2',
  groupId: 'mirror-maker-dc1-to-dc2',
  processes: [
    { host: 'mm1.dc2.example.com', index: 1 },
    { host: 'mm1.dc2.example.com', index: 2 },
    { host: 'mm2.dc2.example.com', index: 1 },
    { host: 'mm2.dc2.example.com', index: 2 },
  ],
};

describe('NewRelicSource', () => {
  let nerdGraph: Awaited<ReturnType<typeof fakeNerdGraph>>;

  beforeEach(async () => {
    nerdGraph = await fakeNerdGraph();
  });

  afterEach(async () => {
    await nerdGraph.close();
  });

  const source = (options: { timeoutMs?: number } = {}) =>
    new NewRelicSource({
      apiKey: 'NRAK-TEST',
      accountId: 1234567,
      endpoint: nerdGraph.endpoint,
      now,
      ...options,
    });

  it('maps facet rows back to the processes of the request', async () => {
    const result = await source().processMetrics(request);

    expect(result).toEqual([
      {
        host: 'mm1.dc2.example.com',
        index: 1,
        source: 'newrelic',
        up: true,
        droppedMessages: 0,
        recordsConsumedRate: 200,
        recordsSentRate: 199.25,
        recordErrorRate: 0,
        requestLatencyAvgMs: 3.5,
        recordsLagMax: 250,
        assignedPartitions: 5,
        heapUsedBytes: 402653184,
        heapMaxBytes: 2147483648,
        gcSecondsTotal: 1.75,
        observedAt: '2026-11-24T11:59:45.000Z',
      },
      {
        host: 'mm1.dc2.example.com',
        index: 2,
        source: 'newrelic',
        up: true,
        droppedMessages: 7,
        recordsConsumedRate: 0,
        recordsSentRate: 0,
        recordErrorRate: 2.5,
        requestLatencyAvgMs: 12,
        assignedPartitions: 1,
        heapUsedBytes: 536870912,
        heapMaxBytes: 2147483648,
        observedAt: '2026-11-24T11:59:20.000Z',
      },
      expect.objectContaining({
        host: 'mm2.dc2.example.com',
        index: 1,
        up: false,
        droppedMessages: 0,
        observedAt: '2026-11-24T11:50:00.000Z',
      }),
      {
        host: 'mm2.dc2.example.com',
        index: 2,
        source: 'newrelic',
        up: false,
        error:
          'New Relic has no kafkaMirrorMakerMonitoring event of label.mirrorMakerProcessName "kafka-mirror-maker-2" on label.mirrorMakerNode "mm2.dc2.example.com" of label.deployment "dc1-to-dc2" in the last 5 minutes (is the infrastructure agent running nri-jmx on the node?)',
        observedAt: '2026-11-24T12:00:00.000Z',
      },
    ]);
    expect(result[2].error).toBe(
      'New Relic\'s newest kafkaMirrorMakerMonitoring event of label.mirrorMakerProcessName "kafka-mirror-maker-1" on label.mirrorMakerNode "mm2.dc2.example.com" of label.deployment "dc1-to-dc2" is 600 s old (at 2026-11-24T11:50:00.000Z); the process or its infrastructure agent stopped reporting',
    );
  });

  it('sends one NerdGraph request with the key, the account and three NRQL queries', async () => {
    await source().processMetrics(request);
    expect(nerdGraph.received).toHaveLength(1);
    const [{ headers, body }] = nerdGraph.received;
    expect(headers['api-key']).toBe('NRAK-TEST');
    expect(headers['content-type']).toBe('application/json');
    expect(body.query).toMatch(
      /account\(id: \$accountId\)[\s\S]*processes: nrql\(query: \$processes\) \{ results \}/,
    );
    expect(body.variables.accountId).toBe(1234567);
    for (const q of ['processes', 'clients', 'gc'] as const) {
      expect(body.variables[q]).toContain(
        "FROM kafkaMirrorMakerMonitoring WHERE `label.deployment` = 'dc1-to-dc2'",
      );
      expect(body.variables[q]).toContain(
        'FACET `label.mirrorMakerNode`, `label.mirrorMakerProcessName`',
      );
      expect(body.variables[q]).toMatch(/SINCE 5 minutes ago LIMIT MAX$/);
    }
    expect(body.variables.clients).toContain('`key:topic` IS NULL');
  });

  it('keeps a hostile deployment name inside its string literal', async () => {
    const hostile =
      "x' OR `label.deployment` LIKE '%' SINCE 1 year ago FACET host --\\' \\\\'";
    await source().processMetrics({ ...request, deploymentName: hostile });
    const safe = buildQueries('SAFE', 5);
    const sent = nerdGraph.received[0].body.variables;
    for (const q of ['processes', 'clients', 'gc'] as const) {
      const hostileTokens = nrqlTokens(sent[q]);
      const safeTokens = nrqlTokens(safe[q]);
      // The same query around exactly one different literal: the name.
      expect(hostileTokens.code).toEqual(safeTokens.code);
      const differing = hostileTokens.strings.filter(
        (s, i) => s !== safeTokens.strings[i],
      );
      expect(differing).toEqual([hostile]);
    }
    expect(nrqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it('reports every process down, blaming itself, when NerdGraph answers errors', async () => {
    nerdGraph.answer(res => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fixture('nerdgraph-errors.json'));
    });
    const result = await source().processMetrics(request);
    expect(result).toHaveLength(4);
    for (const m of result) {
      expect(m).toEqual({
        host: expect.any(String),
        index: expect.any(Number),
        source: 'newrelic',
        up: false,
        error:
          "the newrelic metric source failed, not the process: NerdGraph answered with errors: NRQL Syntax Error: Error at line 1 position 52, unexpected 'OR'",
        observedAt: '2026-11-24T12:00:00.000Z',
      });
    }
  });

  it.each([401, 403])('says the key was refused on HTTP %i', async status => {
    nerdGraph.answer(res => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{"errors":[{"message":"Invalid API key"}]}');
    });
    const [m] = await source().processMetrics(request);
    expect(m.up).toBe(false);
    expect(m.error).toBe(
      `the newrelic metric source failed, not the process: NerdGraph at ${nerdGraph.endpoint} refused the API key (HTTP ${status}); check mirrorMaker.metrics.newRelic.apiKey and that its user can query account 1234567`,
    );
  });

  it('gives up after its deadline, and on answers that are not JSON', async () => {
    nerdGraph.answer(() => undefined);
    const [slow] = await source({ timeoutMs: 300 }).processMetrics(request);
    expect(slow.error).toBe(
      `the newrelic metric source failed, not the process: NerdGraph at ${nerdGraph.endpoint} did not answer within 300 ms`,
    );
    nerdGraph.answer(res => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>maintenance</html>');
    });
    const [html] = await source().processMetrics(request);
    expect(html.error).toBe(
      `the newrelic metric source failed, not the process: NerdGraph at ${nerdGraph.endpoint} answered with something other than JSON`,
    );
    nerdGraph.answer(res => {
      res.writeHead(502);
      res.end();
    });
    const [bad] = await source().processMetrics(request);
    expect(bad.error).toBe(
      `the newrelic metric source failed, not the process: NerdGraph at ${nerdGraph.endpoint} answered HTTP 502`,
    );
  });

  it('names the endpoint it cannot reach', async () => {
    const endpoint = nerdGraph.endpoint;
    await nerdGraph.close();
    const [m] = await source().processMetrics(request);
    expect(m.error).toMatch(
      new RegExp(
        `^the newrelic metric source failed, not the process: NerdGraph at ${endpoint.replace(
          /[.]/g,
          '\\.',
        )} cannot be reached: .*ECONNREFUSED`,
      ),
    );
    nerdGraph = await fakeNerdGraph();
  });
});

describe('NewRelicSource.fromConfig', () => {
  const config = (newRelic: unknown) =>
    new ConfigReader({
      mirrorMaker: { metrics: { newRelic: newRelic as JsonObject } },
    });

  it('is undefined without the section', () => {
    expect(NewRelicSource.fromConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      NewRelicSource.fromConfig(new ConfigReader({ mirrorMaker: {} })),
    ).toBeUndefined();
  });

  it('picks the endpoint by region unless one is given', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (url: string) => {
      calls.push(url);
      return new Response(fixture('nerdgraph-process-metrics.json'));
    }) as unknown as typeof fetch;
    for (const [section, endpoint] of [
      [{ apiKey: 'k', accountId: 1 }, NERDGRAPH_US],
      [{ apiKey: 'k', accountId: '1', region: 'eu' }, NERDGRAPH_EU],
      [
        {
          apiKey: 'k',
          accountId: 1,
          endpoint: 'https://proxy.example/graphql',
        },
        'https://proxy.example/graphql',
      ],
    ] as const) {
      const s = NewRelicSource.fromConfig(config(section), {
        fetch: fakeFetch,
        now,
      });
      expect(s?.name).toBe('newrelic');
      await s!.processMetrics(request);
      expect(calls.pop()).toBe(endpoint);
    }
  });

  it.each([
    [{ accountId: 1 }, /^mirrorMaker\.metrics\.newRelic\.apiKey is missing/],
    [{ apiKey: ' ', accountId: 1 }, /apiKey is missing or not a string/],
    [
      { apiKey: 'k', accountId: 'abc' },
      /^mirrorMaker\.metrics\.newRelic\.accountId "abc" is not a New Relic account id; give a positive whole number$/,
    ],
    [{ apiKey: 'k', accountId: -3 }, /accountId -3 is not/],
    [{ apiKey: 'k' }, /accountId undefined is not/],
    [
      { apiKey: 'k', accountId: 1, region: 'ap' },
      /^mirrorMaker\.metrics\.newRelic\.region "ap" is not a region; use 'us' or 'eu'$/,
    ],
    [
      { apiKey: 'k', accountId: 1, endpoint: 'ftp://x' },
      /endpoint "ftp:\/\/x" is not an http\(s\) URL/,
    ],
    [{ apiKey: 'k', accountId: 1, endpoint: 'not a url' }, /is not an http/],
  ])('refuses %j', (section, message) => {
    expect(() => NewRelicSource.fromConfig(config(section))).toThrow(message);
  });
});
