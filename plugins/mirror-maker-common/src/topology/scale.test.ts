import { buildTopology } from './build';
import { dcName, meshInput, ref } from './testFixtures';

describe('buildTopology at scale', () => {
  // 20 DCs x 10 deployments each, 100 local topics per DC: 2,000 local
  // topics and 20,000 replicas (timing is measured by the benchmarks).
  const input = meshInput(20, 10, 100);
  // Break a few things on purpose.
  const dc05 = input.liveTopics.dc05;
  dc05.splice(dc05.indexOf('team1.topic1.dc06'), 1);
  input.liveTopics.dc09.push('legacy-orders');
  const liveTopics = {
    ...input.liveTopics,
    dc20: { unreachable: true as const, error: 'timeout' },
  };
  const t = buildTopology({ ...input, liveTopics });

  it('has the expected shape', () => {
    expect(t.nodes).toHaveLength(20);
    expect(t.edges).toHaveLength(200);
    expect(t.suffixMap).toHaveLength(20);
    expect(t.nodes.reduce((n, node) => n + (node.liveTopicCount ?? 0), 0)).toBe(
      19 * 1100 - 1 + 1,
    );
  });

  it('finds no errors in the correct mesh', () => {
    expect(t.findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(t.findings.map(f => f.id)).toEqual([
      'missing-replica:dc05:mirrormaker:default/dc06-to-dc05',
      'unknown-suffix-topic:dc09',
      'unreachable-cluster:dc20',
    ]);
  });

  it('maps each suffix to the ten DCs that pull it', () => {
    const row = t.suffixMap.find(r => r.suffix === 'dc01')!;
    expect(row.homes).toEqual([
      { cluster: 'dc01', dataCentre: 'dc01', liveTopicCount: 100 },
    ]);
    // dc01 is pulled by dc11 ... dc20 (each pulls the next ten DCs)
    expect(row.reaches.map(r => r.cluster)).toEqual(
      Array.from({ length: 10 }, (_, i) => dcName(10 + i)),
    );
    expect(row.reaches.every(r => r.hops === 1 && r.by === 'pattern')).toBe(
      true,
    );
    expect(row.reaches[0]).toMatchObject({
      cluster: 'dc11',
      via: [ref('dc01-to-dc11')],
      liveTopicCount: 100,
    });
    // dc20 is unreachable: reach by pattern, no live counts
    expect(row.reaches[9].liveTopicCount).toBeUndefined();

    const dc06 = t.suffixMap.find(r => r.suffix === 'dc06')!;
    expect(dc06.reaches.find(r => r.cluster === 'dc05')).toMatchObject({
      liveTopicCount: 99,
      missingTopics: ['team1.topic1.dc06'],
    });
  });

  it('classifies the live topics', () => {
    const counts = (cluster: string) => {
      const result: Record<string, number> = {};
      for (const topic of t.topics[cluster]) {
        result[topic.class] = (result[topic.class] ?? 0) + 1;
      }
      return result;
    };
    expect(counts('dc01')).toEqual({ 'local-origin': 100, replica: 1000 });
    expect(counts('dc09')).toEqual({
      'local-origin': 100,
      replica: 1000,
      'unknown-suffix': 1,
    });
    expect(t.topics.dc20).toBeUndefined();
    expect(
      t.topics.dc04.find(topic => topic.topic === 'team3.topic3.dc10'),
    ).toEqual({
      topic: 'team3.topic3.dc10',
      class: 'replica',
      home: 'dc10',
      via: [ref('dc10-to-dc04')],
      writers: [ref('dc10-to-dc04')],
    });
  });

  it('lists what each deployment replicates', () => {
    const edge = t.edges.find(e => e.ref === ref('dc02-to-dc01'))!;
    expect(edge.replicatedTopicCount).toBe(100);
    expect(edge.carries).toEqual(['dc02']);
  });
});
