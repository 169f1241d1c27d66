import { buildTopology } from './build';
import { cluster, deployment, ref } from './testFixtures';
import { Topology, TopologyInput } from './types';

function errors(t: Topology) {
  return t.findings.filter(f => f.severity === 'error');
}

function findingsOf(t: Topology, kind: string) {
  return t.findings.filter(f => f.kind === kind);
}

function row(t: Topology, suffix: string) {
  const found = t.suffixMap.find(r => r.suffix === suffix);
  if (!found) throw new Error(`no suffix map row for ${suffix}`);
  return found;
}

function classes(t: Topology, clusterName: string) {
  return Object.fromEntries(
    (t.topics[clusterName] ?? []).map(topic => [topic.topic, topic.class]),
  );
}

const twoDcMesh: TopologyInput = {
  clusters: [cluster('dc1'), cluster('dc2')],
  deployments: [
    deployment('dc1', 'dc2', { suffix: 'dc1' }),
    deployment('dc2', 'dc1', { suffix: 'dc2' }),
  ],
};

describe('buildTopology', () => {
  describe('the two-DC mesh with suffix rules', () => {
    const t = buildTopology(twoDcMesh);

    it('has no findings at all', () => {
      expect(t.findings).toEqual([]);
      expect(t.summary).toEqual({ errors: 0, warnings: 0, infos: 0 });
    });

    it('maps each suffix to the other DC in one hop', () => {
      expect(row(t, 'dc1')).toEqual({
        suffix: 'dc1',
        homes: [{ cluster: 'dc1', dataCentre: 'dc1' }],
        reaches: [
          {
            cluster: 'dc2',
            dataCentre: 'dc2',
            hops: 1,
            via: [ref('dc1-to-dc2')],
            writers: [ref('dc1-to-dc2')],
            by: 'pattern',
          },
        ],
      });
      expect(row(t, 'dc2').reaches).toEqual([
        expect.objectContaining({
          cluster: 'dc1',
          hops: 1,
          via: [ref('dc2-to-dc1')],
          by: 'pattern',
        }),
      ]);
    });

    it('describes data centres, nodes and edges', () => {
      expect(t.dataCentres).toEqual([
        { name: 'dc1', clusters: ['dc1'] },
        { name: 'dc2', clusters: ['dc2'] },
      ]);
      expect(t.nodes[0]).toEqual({
        name: 'dc1',
        dataCentre: 'dc1',
        topicSuffix: 'dc1',
        inbound: [ref('dc2-to-dc1')],
        outbound: [ref('dc1-to-dc2')],
      });
      expect(t.edges[0]).toEqual({
        ref: ref('dc1-to-dc2'),
        source: 'dc1',
        target: 'dc2',
        sourceDataCentre: 'dc1',
        targetDataCentre: 'dc2',
        rule: 'suffix',
        include: '.*\\.dc1',
        names: [],
        valid: true,
        selfReplication: false,
        carries: ['dc1'],
      });
      expect(t.dataCentreFlows).toEqual([
        { source: 'dc1', target: 'dc2', deployments: [ref('dc1-to-dc2')] },
        { source: 'dc2', target: 'dc1', deployments: [ref('dc2-to-dc1')] },
      ]);
      expect(t.topics).toEqual({});
    });

    it('treats an equivalent include pattern like the suffix rule', () => {
      const viaInclude = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { include: '.*\\.dc1' }),
          deployment('dc2', 'dc1', { include: '^.*\\.(?:dc2)$' }),
        ],
      });
      expect(viaInclude.findings).toEqual([]);
      expect(viaInclude.suffixMap).toEqual(t.suffixMap);
    });
  });

  describe('self-replication', () => {
    it("flags the seed's default, where source and target are one cluster", () => {
      const t = buildTopology({
        clusters: [cluster('dc1')],
        deployments: [
          deployment('dc1', 'dc1', { include: '.*kafka-perf-test.*' }),
        ],
      });
      const [finding] = findingsOf(t, 'self-replication');
      expect(finding).toMatchObject({
        severity: 'error',
        deployments: [ref('dc1-to-dc1')],
        clusters: ['dc1'],
      });
      expect(finding.message).toMatch(
        /reads from and writes to the same cluster dc1.*Fix: set the target/,
      );
      expect(t.edges[0]).toMatchObject({ valid: false, selfReplication: true });
      expect(findingsOf(t, 'replication-loop')).toEqual([]);
    });

    it('flags two cluster names that share a broker', () => {
      const t = buildTopology({
        clusters: [
          cluster('dc1', { brokers: ['10.0.0.1:9092', '10.0.0.2:9092'] }),
          cluster('dc2', { brokers: ['10.0.0.3:9092', '10.0.0.2:9092 '] }),
        ],
        deployments: [deployment('dc1', 'dc2', { suffix: 'dc1' })],
      });
      const [finding] = findingsOf(t, 'self-replication');
      expect(finding.severity).toBe('error');
      expect(finding.message).toContain(
        'both clusters list broker 10.0.0.2:9092',
      );
      expect(finding.clusters).toEqual(['dc1', 'dc2']);
    });
  });

  describe('replication loops', () => {
    it('flags .* in both directions as a loop naming both deployments', () => {
      const t = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { include: '.*' }),
          deployment('dc2', 'dc1', { include: '.*' }),
        ],
      });
      const loops = findingsOf(t, 'replication-loop');
      expect(loops).toHaveLength(1);
      expect(loops[0]).toMatchObject({
        severity: 'error',
        deployments: [ref('dc1-to-dc2'), ref('dc2-to-dc1')],
        clusters: ['dc1', 'dc2'],
      });
      expect(loops[0].message).toContain(ref('dc1-to-dc2'));
      expect(loops[0].message).toContain(ref('dc2-to-dc1'));
      expect(loops[0].message).toContain('dc1 -> dc2 -> dc1');
      expect(loops[0].message).toContain('topics ending in .dc1 and .dc2');
      // each direction also copies its target's own suffix
      expect(
        findingsOf(t, 'target-own-suffix').map(f => f.deployments[0]),
      ).toEqual([ref('dc1-to-dc2'), ref('dc2-to-dc1')]);
    });

    it('finds a loop over three clusters', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
        deployments: [
          deployment('dc1', 'dc2', { include: '.*\\.dc1' }),
          deployment('dc2', 'dc3', { include: '.*\\.dc1' }),
          deployment('dc3', 'dc1', { include: '.*\\.dc1' }),
        ],
      });
      const [loop] = findingsOf(t, 'replication-loop');
      expect(loop.severity).toBe('error');
      expect(loop.deployments).toHaveLength(3);
      expect(loop.message).toContain('dc1 -> dc2 -> dc3 -> dc1');
    });

    it('reports a loop nothing feeds yet as a warning, and as an error once a live topic is in it', () => {
      const input: TopologyInput = {
        clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
        deployments: [
          deployment('dc2', 'dc3', { suffix: 'dc1' }),
          deployment('dc3', 'dc2', { suffix: 'dc1' }),
        ],
      };
      const latent = findingsOf(buildTopology(input), 'replication-loop');
      expect(latent).toEqual([
        expect.objectContaining({
          severity: 'warning',
          deployments: [ref('dc2-to-dc3'), ref('dc3-to-dc2')],
        }),
      ]);
      expect(latent[0].message).toMatch(/^Latent replication loop/);

      const fed = buildTopology({
        ...input,
        liveTopics: { dc2: ['orders.dc1'], dc3: ['orders.dc1'] },
      });
      const [loop] = findingsOf(fed, 'replication-loop');
      expect(loop).toMatchObject({ severity: 'error', topics: ['orders.dc1'] });
      expect(classes(fed, 'dc2')).toEqual({ 'orders.dc1': 'replica' });
    });

    it('finds a loop of a pattern without a suffix through example names', () => {
      const t = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { include: 'orders\\..*' }),
          deployment('dc2', 'dc1', { include: 'orders\\..*' }),
        ],
      });
      const [loop] = findingsOf(t, 'replication-loop');
      expect(loop).toMatchObject({
        severity: 'error',
        deployments: [ref('dc1-to-dc2'), ref('dc2-to-dc1')],
      });
      // examples are not real topics, so they stay out of `topics`
      expect(loop.topics).toBeUndefined();
      expect(loop.message).toContain(
        'topics such as orders.dc1 and orders.dc2 go round dc1 -> dc2 -> dc1',
      );
      // not a suffix pattern: the suffix map shows a partial reach
      expect(row(t, 'dc1').reaches).toEqual([
        {
          cluster: 'dc2',
          dataCentre: 'dc2',
          hops: 1,
          via: [ref('dc1-to-dc2')],
          writers: [ref('dc1-to-dc2')],
          by: 'pattern-subset',
          examples: ['orders.dc1'],
        },
      ]);
    });

    it("finds the loop a pattern without a suffix makes with the target's own topics", () => {
      const t = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { include: 'orders\\..*' }),
          deployment('dc2', 'dc1', { suffix: 'dc2' }),
        ],
      });
      // orders.dc2 goes to dc1 and is copied back by orders\..*
      expect(findingsOf(t, 'replication-loop')[0].message).toContain(
        'topics such as orders.dc2',
      );
      expect(findingsOf(t, 'target-own-suffix')[0]).toMatchObject({
        deployments: [ref('dc1-to-dc2')],
      });
      expect(findingsOf(t, 'target-own-suffix')[0].message).toContain(
        'copies topics such as orders.dc2 from dc1 into dc2',
      );

      const narrowed = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { include: 'orders\\..*\\.dc1' }),
          deployment('dc2', 'dc1', { suffix: 'dc2' }),
        ],
      });
      expect(narrowed.findings).toEqual([]);
    });

    it('finds a loop of explicitly named topics', () => {
      const t = buildTopology({
        ...twoDcMesh,
        deployments: [
          deployment('dc1', 'dc2', { names: ['orders.dc1'] }),
          deployment('dc2', 'dc1', { names: ['orders.dc1'] }),
        ],
      });
      const [loop] = findingsOf(t, 'replication-loop');
      expect(loop).toMatchObject({ severity: 'error', topics: ['orders.dc1'] });
      expect(findingsOf(t, 'target-own-suffix')[0]).toMatchObject({
        deployments: [ref('dc2-to-dc1')],
        topics: ['orders.dc1'],
      });
    });
  });

  describe("a pattern that matches the target's own suffix", () => {
    it.each([
      ['.*\\.dc2'],
      ['.*\\.(dc1|dc2)'],
      ['.*\\.dc1|.*\\.dc2'],
      ['.*dc2'],
    ])('flags include %s into dc2', include => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [deployment('dc1', 'dc2', { include })],
      });
      const [finding] = findingsOf(t, 'target-own-suffix');
      expect(finding).toMatchObject({
        severity: 'error',
        deployments: [ref('dc1-to-dc2')],
        clusters: ['dc1', 'dc2'],
      });
      expect(finding.message).toContain(
        'copies every topic ending in .dc2 from dc1 into dc2',
      );
      expect(finding.message).toContain('topics.suffix: dc1');
    });

    it('is satisfied by an exclude of the own suffix', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [
          deployment('dc1', 'dc2', { include: '.*', exclude: '.*\\.dc2' }),
        ],
      });
      expect(errors(t)).toEqual([]);
    });
  });

  describe('three DCs in a chain', () => {
    const chain: TopologyInput = {
      clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
      deployments: [
        deployment('dc1', 'dc2', { suffix: 'dc1' }),
        deployment('dc2', 'dc3', { include: '.*\\.dc1|.*\\.dc2' }),
      ],
    };

    it('reaches dc3 from dc1 in two hops via dc2', () => {
      const t = buildTopology(chain);
      expect(errors(t)).toEqual([]);
      expect(row(t, 'dc1').reaches).toEqual([
        expect.objectContaining({ cluster: 'dc2', hops: 1 }),
        {
          cluster: 'dc3',
          dataCentre: 'dc3',
          hops: 2,
          via: [ref('dc1-to-dc2'), ref('dc2-to-dc3')],
          writers: [ref('dc2-to-dc3')],
          by: 'pattern',
        },
      ]);
      expect(row(t, 'dc2').reaches).toEqual([
        expect.objectContaining({ cluster: 'dc3', hops: 1 }),
      ]);
      // dc3's own suffix goes nowhere, and dc3 has no outbound deployment
      expect(findingsOf(t, 'unreplicated-suffix')).toEqual([
        expect.objectContaining({ severity: 'info', clusters: ['dc3'] }),
      ]);
    });

    it('reaches dc3 directly when a dc1 -> dc3 deployment exists, and flags the double route', () => {
      const t = buildTopology({
        ...chain,
        deployments: [
          ...chain.deployments,
          deployment('dc1', 'dc3', { suffix: 'dc1' }),
        ],
      });
      const dc3 = row(t, 'dc1').reaches.find(r => r.cluster === 'dc3');
      expect(dc3).toMatchObject({
        hops: 1,
        via: [ref('dc1-to-dc3')],
        writers: [ref('dc1-to-dc3'), ref('dc2-to-dc3')],
      });
      const [conflict] = findingsOf(t, 'duplicate-writers');
      expect(conflict).toMatchObject({
        severity: 'error',
        clusters: ['dc3'],
        deployments: [ref('dc1-to-dc3'), ref('dc2-to-dc3')],
      });
      expect(conflict.message).toContain(
        'dc3 receives every topic ending in .dc1 from 2 deployments',
      );
    });
  });

  describe('two deployments writing the same topic into one cluster', () => {
    const input: TopologyInput = {
      clusters: [cluster('dc1'), cluster('dc2')],
      deployments: [
        deployment('dc1', 'dc2', { suffix: 'dc1' }),
        deployment('dc1', 'dc2', { names: ['orders.dc1'] }, 'orders-to-dc2'),
      ],
    };

    it('flags the conflict by name without live topics', () => {
      const t = buildTopology(input);
      const [conflict] = findingsOf(t, 'duplicate-writers');
      expect(conflict).toMatchObject({
        severity: 'error',
        clusters: ['dc2'],
        deployments: [ref('dc1-to-dc2'), ref('orders-to-dc2')],
        topics: ['orders.dc1'],
      });
      expect(conflict.message).toContain('dc2 receives topic orders.dc1');
    });

    it('flags the conflict by live topics and classifies the copy as conflicting', () => {
      const t = buildTopology({
        ...input,
        liveTopics: {
          dc1: ['orders.dc1', 'shipments.dc1'],
          dc2: ['orders.dc1', 'shipments.dc1'],
        },
      });
      expect(findingsOf(t, 'duplicate-writers')).toHaveLength(1);
      expect(t.topics.dc2).toEqual([
        {
          topic: 'orders.dc1',
          class: 'conflicting',
          home: 'dc1',
          via: [ref('dc1-to-dc2')],
          writers: [ref('dc1-to-dc2'), ref('orders-to-dc2')],
        },
        {
          topic: 'shipments.dc1',
          class: 'replica',
          home: 'dc1',
          via: [ref('dc1-to-dc2')],
          writers: [ref('dc1-to-dc2')],
        },
      ]);
    });

    it('flags a suffix rule and a pattern that overlap', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [
          deployment('dc1', 'dc2', { suffix: 'dc1' }),
          deployment('dc1', 'dc2', { include: 'orders\\..*' }, 'orders-to-dc2'),
        ],
      });
      const [conflict] = findingsOf(t, 'duplicate-writers');
      expect(conflict.deployments).toEqual([
        ref('dc1-to-dc2'),
        ref('orders-to-dc2'),
      ]);
      expect(conflict.message).toContain(
        'dc2 receives topics such as orders.dc1 from 2 deployments',
      );
    });

    it('flags two suffix deployments from different sources', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
        deployments: [
          deployment('dc1', 'dc2', { include: '.*' }),
          deployment('dc1', 'dc3', { suffix: 'dc1' }),
          deployment('dc3', 'dc2', { suffix: 'dc1' }),
        ],
      });
      expect(
        findingsOf(t, 'duplicate-writers').map(f => f.deployments),
      ).toEqual([[ref('dc1-to-dc2'), ref('dc3-to-dc2')]]);
    });
  });

  describe('explicitly named topics', () => {
    it('shows their reach as named-topic, not pattern', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [
          deployment('dc1', 'dc2', { names: ['orders.dc1', 'payments.dc1'] }),
        ],
      });
      expect(row(t, 'dc1').reaches).toEqual([
        {
          cluster: 'dc2',
          dataCentre: 'dc2',
          hops: 1,
          via: [ref('dc1-to-dc2')],
          writers: [ref('dc1-to-dc2')],
          by: 'named-topic',
          topics: ['orders.dc1', 'payments.dc1'],
        },
      ]);
      expect(t.edges[0].carries).toEqual([]);
    });

    it('adds approved topics to a suffix deployment', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [
          deployment('dc1', 'dc2', { suffix: 'dc1' }, undefined, ['audit']),
        ],
        liveTopics: { dc1: ['audit', 'orders.dc1'], dc2: ['audit'] },
      });
      expect(t.edges[0].replicatedTopics).toEqual(['audit', 'orders.dc1']);
      expect(t.topics.dc2).toEqual([
        {
          topic: 'audit',
          class: 'unknown-suffix',
          via: [ref('dc1-to-dc2')],
          writers: [ref('dc1-to-dc2')],
        },
        // orders.dc1 is missing on dc2 and not listed: only live topics are classified
      ]);
      expect(findingsOf(t, 'missing-replica')[0]).toMatchObject({
        clusters: ['dc2'],
        deployments: [ref('dc1-to-dc2')],
        topics: ['orders.dc1'],
      });
    });
  });

  describe('live topics', () => {
    const input: TopologyInput = {
      clusters: [
        cluster('dc1'),
        cluster('dc2'),
        cluster('dc3'),
        cluster('dc4'),
      ],
      deployments: [
        deployment('dc1', 'dc2', { suffix: 'dc1' }),
        deployment('dc2', 'dc1', { suffix: 'dc2' }),
        // copies a topic of dc2's own suffix back into dc2
        deployment('dc1', 'dc2', { names: ['refunds.dc2'] }, 'refunds-to-dc2'),
        deployment('dc1', 'dc4', { suffix: 'dc1' }),
      ],
      liveTopics: {
        dc1: [
          'orders.dc1',
          'invoices.dc1',
          'payments.dc2',
          'refunds.dc2',
          'stale.dc3',
          'legacy',
          '__consumer_offsets',
        ],
        dc2: ['orders.dc1', 'payments.dc2', 'refunds.dc2', 'orders.dc1'],
        dc3: ['metrics.dc3'],
        dc4: { unreachable: true, error: 'connection timed out' },
      },
    };
    const t = buildTopology(input);

    it('classifies every live topic', () => {
      expect(t.topics.dc1).toEqual([
        {
          topic: 'invoices.dc1',
          class: 'local-origin',
          home: 'dc1',
          copiedBy: [ref('dc1-to-dc2'), ref('dc1-to-dc4')],
        },
        { topic: 'legacy', class: 'unknown-suffix' },
        {
          topic: 'orders.dc1',
          class: 'local-origin',
          home: 'dc1',
          copiedBy: [ref('dc1-to-dc2'), ref('dc1-to-dc4')],
        },
        {
          topic: 'payments.dc2',
          class: 'replica',
          home: 'dc2',
          via: [ref('dc2-to-dc1')],
          writers: [ref('dc2-to-dc1')],
        },
        {
          topic: 'refunds.dc2',
          class: 'replica',
          home: 'dc2',
          via: [ref('dc2-to-dc1')],
          writers: [ref('dc2-to-dc1')],
          copiedBy: [ref('refunds-to-dc2')],
        },
        { topic: 'stale.dc3', class: 'unreplicated', home: 'dc3' },
      ]);
      expect(classes(t, 'dc2')).toEqual({
        'orders.dc1': 'replica',
        'payments.dc2': 'local-origin',
        'refunds.dc2': 'conflicting',
      });
      expect(t.topics.dc2[2]).toMatchObject({
        home: 'dc2',
        writers: [ref('refunds-to-dc2')],
      });
      // local, but nobody copies it anywhere
      expect(t.topics.dc3).toEqual([
        { topic: 'metrics.dc3', class: 'unreplicated', home: 'dc3' },
      ]);
    });

    it('handles the unreachable cluster without live-topic findings for it', () => {
      expect(t.topics.dc4).toBeUndefined();
      expect(t.nodes.find(n => n.name === 'dc4')).toMatchObject({
        unreachable: true,
        error: 'connection timed out',
      });
      expect(findingsOf(t, 'unreachable-cluster')).toEqual([
        expect.objectContaining({ severity: 'warning', clusters: ['dc4'] }),
      ]);
      // live-topic checks skip dc4; pattern checks still see it
      expect(
        t.findings.filter(f => f.clusters.includes('dc4')).map(f => f.kind),
      ).toEqual(['unreachable-cluster', 'unreplicated-suffix']);
      // its reach is still known by pattern, without live counts
      expect(row(t, 'dc1').reaches.find(r => r.cluster === 'dc4')).toEqual({
        cluster: 'dc4',
        dataCentre: 'dc4',
        hops: 1,
        via: [ref('dc1-to-dc4')],
        writers: [ref('dc1-to-dc4')],
        by: 'pattern',
      });
    });

    it('counts live topics in the suffix map and lists missing copies', () => {
      expect(row(t, 'dc1')).toMatchObject({
        homes: [{ cluster: 'dc1', dataCentre: 'dc1', liveTopicCount: 2 }],
        liveTopicCounts: { dc1: 2, dc2: 1 },
      });
      expect(row(t, 'dc1').reaches[0]).toMatchObject({
        cluster: 'dc2',
        liveTopicCount: 1,
        missingTopics: ['invoices.dc1'],
      });
      expect(findingsOf(t, 'missing-replica')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          clusters: ['dc2'],
          deployments: [ref('dc1-to-dc2')],
          topics: ['invoices.dc1'],
        }),
      ]);
    });

    it('lists what each deployment replicates', () => {
      const edge = t.edges.find(e => e.ref === ref('dc1-to-dc2'))!;
      expect(edge.replicatedTopics).toEqual(['invoices.dc1', 'orders.dc1']);
      expect(edge.replicatedTopicCount).toBe(2);
      expect(t.nodes.find(n => n.name === 'dc1')!.liveTopicCount).toBe(6);
      // dc4 is unreachable: dc1-to-dc4's source is known, so it still has a list
      expect(
        t.edges.find(e => e.ref === ref('dc1-to-dc4'))!.replicatedTopicCount,
      ).toBe(2);
    });

    it('reports unknown suffixes, orphans and own-suffix writes', () => {
      expect(findingsOf(t, 'unknown-suffix-topic')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          clusters: ['dc1'],
          topics: ['legacy'],
        }),
      ]);
      expect(findingsOf(t, 'orphan-topic')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          clusters: ['dc1', 'dc3'],
          topics: ['stale.dc3'],
        }),
      ]);
      expect(findingsOf(t, 'target-own-suffix')).toEqual([
        expect.objectContaining({
          severity: 'error',
          deployments: [ref('refunds-to-dc2')],
          topics: ['refunds.dc2'],
        }),
      ]);
      expect(findingsOf(t, 'unreplicated-suffix')).toEqual([
        expect.objectContaining({
          severity: 'info',
          clusters: ['dc3'],
          topics: ['metrics.dc3'],
        }),
        expect.objectContaining({ severity: 'info', clusters: ['dc4'] }),
      ]);
    });

    it('adds a row for a suffix only live topics use', () => {
      const t2 = buildTopology({
        ...twoDcMesh,
        liveTopics: { dc1: ['x.dc9'], dc2: [] },
      });
      expect(row(t2, 'dc9')).toEqual({
        suffix: 'dc9',
        homes: [],
        reaches: [],
        liveTopicCounts: { dc1: 1 },
      });
      expect(t2.topics.dc1).toEqual([
        { topic: 'x.dc9', class: 'unknown-suffix' },
      ]);
    });

    it('does not report missing copies on a cluster whose listing is unknown', () => {
      const t2 = buildTopology({
        ...twoDcMesh,
        liveTopics: { dc1: ['orders.dc1'] },
      });
      expect(t2.findings).toEqual([]);
      expect(t2.topics.dc1[0].class).toBe('local-origin');
    });
  });

  describe('configuration errors', () => {
    it('flags unknown clusters and leaves the deployment out of the flows', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [deployment('dc1', 'dc9', { suffix: 'dc1' })],
      });
      const [finding] = findingsOf(t, 'unknown-cluster');
      expect(finding).toMatchObject({
        severity: 'error',
        deployments: [ref('dc1-to-dc9')],
        clusters: ['dc9'],
      });
      expect(finding.message).toContain(
        'target cluster "dc9", which is not configured under mirrorMaker.clusters (configured: dc1, dc2)',
      );
      expect(t.edges[0]).toMatchObject({ valid: false, carries: ['dc1'] });
      expect(row(t, 'dc1').reaches).toEqual([]);
    });

    it('flags a pattern that cannot be compiled', () => {
      const t = buildTopology({
        clusters: [cluster('dc1'), cluster('dc2')],
        deployments: [deployment('dc1', 'dc2', { include: '(?=x).*' })],
      });
      expect(findingsOf(t, 'invalid-pattern')).toEqual([
        expect.objectContaining({ severity: 'error' }),
      ]);
      expect(t.edges[0].valid).toBe(false);
    });

    it('warns about shared suffixes and duplicate refs', () => {
      const t = buildTopology({
        clusters: [
          cluster('a', { topicSuffix: 'dc1' }),
          cluster('b', { topicSuffix: 'dc1' }),
        ],
        deployments: [
          deployment('a', 'b', { suffix: 'x' }, 'same'),
          deployment('b', 'a', { suffix: 'y' }, 'same'),
        ],
      });
      expect(findingsOf(t, 'shared-suffix')[0].clusters).toEqual(['a', 'b']);
      expect(findingsOf(t, 'duplicate-ref')[0].deployments).toEqual([
        ref('same'),
      ]);
    });

    it('ignores live topics of an unknown cluster', () => {
      const t = buildTopology({ ...twoDcMesh, liveTopics: { dc7: ['a.dc7'] } });
      expect(findingsOf(t, 'unknown-live-cluster')).toHaveLength(1);
      expect(t.topics).toEqual({});
    });
  });

  it('gives the same output whatever the input order', () => {
    const input: TopologyInput = {
      clusters: [cluster('dc1'), cluster('dc2'), cluster('dc3')],
      deployments: [
        deployment('dc1', 'dc2', { include: '.*' }),
        deployment('dc2', 'dc1', { include: '.*' }),
        deployment('dc1', 'dc3', { suffix: 'dc1' }),
        deployment('dc2', 'dc3', { include: '.*\\.dc1|.*\\.dc2' }),
      ],
      liveTopics: {
        dc1: ['b.dc1', 'a.dc1', 'c.dc2'],
        dc3: ['a.dc1', 'zz'],
        dc2: ['c.dc2', 'a.dc1'],
      },
    };
    const reversed: TopologyInput = {
      clusters: [...input.clusters].reverse(),
      deployments: [...input.deployments].reverse(),
      liveTopics: Object.fromEntries(
        Object.entries(input.liveTopics!)
          .reverse()
          .map(([k, v]) => [k, [...(v as string[])].reverse()]),
      ),
    };
    expect(JSON.stringify(buildTopology(reversed))).toBe(
      JSON.stringify(buildTopology(input)),
    );
  });
});
