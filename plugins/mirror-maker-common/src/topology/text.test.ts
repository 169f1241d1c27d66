import { buildTopology } from './build';
import { cluster, deployment } from './testFixtures';
import { topologyToText } from './text';

describe('topologyToText', () => {
  it('reports the correct two-DC mesh', () => {
    const text = topologyToText(
      buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [
          deployment('dc1', 'dc2', { suffix: 'dc1' }),
          deployment('dc2', 'dc1', { suffix: 'dc2' }),
        ],
        liveTopics: {
          dc1: ['orders.dc1', 'payments.dc2'],
          dc2: { unreachable: true, error: 'timeout' },
        },
      }),
    );
    expect(text).toBe(
      [
        'MirrorMaker topology: 2 data centres, 2 clusters, 2 deployments',
        'Findings: 0 errors, 1 warning, 0 infos',
        '',
        'Data centres',
        '  dc1: dc1 (suffix .dc1, 2 live topics)',
        '  dc2: dc2 (suffix .dc2, unreachable: timeout)',
        '',
        'Flows',
        '  dc1 -> dc2  mirrormaker:default/dc1-to-dc2  suffix .*\\.dc1  carries .dc1  1 topic',
        '  dc2 -> dc1  mirrormaker:default/dc2-to-dc1  suffix .*\\.dc2  carries .dc2',
        '',
        'Suffix map',
        '  SUFFIX  HOME     REACHES  HOPS  BY       LIVE  VIA',
        '  .dc1    dc1 (1)  dc2      1     pattern        mirrormaker:default/dc1-to-dc2',
        '  .dc2    dc2      dc1      1     pattern  1     mirrormaker:default/dc2-to-dc1',
        '',
        'Live topics',
        '  dc1  1 local-origin, 1 replica',
        '',
        'Findings',
        '  WARNING  unreachable-cluster: Live topics of cluster dc2 could not be read (timeout): live-topic checks for dc2 are skipped, and deployments reading from it are assumed to find every topic they match. Fix: check that its brokers (dc2.kafka.example.com:9092) are reachable from Backstage and that its credentials are valid.',
        '',
      ].join('\n'),
    );
  });

  it('lists errors before warnings and infos', () => {
    const text = topologyToText(
      buildTopology({
        clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
        deployments: [
          deployment('dc1', 'dc1', { suffix: 'dc1' }),
          deployment('dc1', 'dc2', { include: '.*' }),
          deployment('dc2', 'dc1', { include: '.*' }),
        ],
        liveTopics: { dc1: ['legacy'] },
      }),
    );
    const findings = text.slice(text.indexOf('\nFindings\n'));
    const severities = findings
      .split('\n')
      .filter(line => /^ {2}[A-Z]+ /.test(line))
      .map(line => line.trim().split(' ')[0]);
    expect(severities.length).toBeGreaterThan(3);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['ERROR', 'WARNING', 'INFO'].indexOf(a) -
          ['ERROR', 'WARNING', 'INFO'].indexOf(b),
      ),
    );
    expect(text).toContain('SELF-REPLICATION');
    expect(text).toContain('ERROR    replication-loop:');
    expect(text).toContain('.dc3    dc3');
    expect(text).toContain('not replicated');
  });

  it('reports an empty topology', () => {
    expect(
      topologyToText(buildTopology({ clusters: [], deployments: [] })),
    ).toContain('(no clusters configured)');
  });
});
