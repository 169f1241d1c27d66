import { dc1, dc2 } from '../testing/fixtures';
import { KafkaClusterConfig } from '../kind/clusters';
import { traceTopic } from './trace';
import { TopologyDeployment } from './types';

const dc3: KafkaClusterConfig = {
  name: 'dc3',
  brokers: ['kafka.dc3:9092'],
  dataCentre: 'dc3',
  topicSuffix: 'dc3',
};
const flow = (
  ref: string,
  source: string,
  target: string,
  topics: TopologyDeployment['topics'],
): TopologyDeployment => ({ ref, source, target, topics });

describe('traceTopic', () => {
  const clusters = [dc1, dc2, dc3];

  it('follows a topic along suffix flows, chained through replicas', () => {
    const trace = traceTopic(
      {
        clusters,
        deployments: [
          flow('mirrormaker:default/a', dc1.name, dc2.name, { suffix: 'dc1' }),
          flow('mirrormaker:default/b', dc2.name, dc3.name, { suffix: 'dc1' }),
          flow('mirrormaker:default/c', dc2.name, dc1.name, { suffix: 'dc2' }),
        ],
      },
      'orders.dc1',
    );
    expect(trace.problem).toBeUndefined();
    expect(trace.homes).toEqual([{ cluster: dc1.name, dataCentre: 'dc1' }]);
    expect(trace.reaches).toEqual([
      {
        cluster: dc2.name,
        dataCentre: 'dc2',
        via: ['mirrormaker:default/a'],
        writers: ['mirrormaker:default/a'],
      },
      {
        cluster: 'dc3',
        dataCentre: 'dc3',
        via: ['mirrormaker:default/a', 'mirrormaker:default/b'],
        writers: ['mirrormaker:default/b'],
      },
    ]);
  });

  it('honours include patterns and names: a topic the pattern misses goes nowhere', () => {
    const input = {
      clusters,
      deployments: [
        flow('mirrormaker:default/a', dc1.name, dc2.name, {
          include: 'orders\\..*',
        }),
        flow('mirrormaker:default/n', dc1.name, 'dc3', {
          names: ['payments.dc1'],
        }),
      ],
    };
    expect(traceTopic(input, 'orders.dc1').reaches.map(r => r.cluster)).toEqual(
      [dc2.name],
    );
    expect(
      traceTopic(input, 'payments.dc1').reaches.map(r => r.cluster),
    ).toEqual(['dc3']);
    expect(traceTopic(input, 'audit.dc1').reaches).toEqual([]);
  });

  it('names every writer when two deployments write the same cluster', () => {
    const trace = traceTopic(
      {
        clusters,
        deployments: [
          flow('mirrormaker:default/x', dc1.name, 'dc3', { suffix: 'dc1' }),
          flow('mirrormaker:default/y', dc1.name, 'dc3', { suffix: 'dc1' }),
        ],
      },
      'orders.dc1',
    );
    expect(trace.reaches).toHaveLength(1);
    expect(trace.reaches[0].via).toEqual(['mirrormaker:default/x']);
    expect(trace.reaches[0].writers).toEqual([
      'mirrormaker:default/x',
      'mirrormaker:default/y',
    ]);
  });

  it('ignores self-replication, unknown clusters and invalid patterns, and stops on loops', () => {
    const trace = traceTopic(
      {
        clusters,
        deployments: [
          flow('mirrormaker:default/self', dc1.name, dc1.name, {
            suffix: 'dc1',
          }),
          flow('mirrormaker:default/lost', dc1.name, 'nowhere', {
            suffix: 'dc1',
          }),
          flow('mirrormaker:default/bad', dc1.name, 'dc3', { include: '(' }),
          flow('mirrormaker:default/there', dc1.name, dc2.name, {
            suffix: 'dc1',
          }),
          flow('mirrormaker:default/back', dc2.name, dc1.name, {
            suffix: 'dc1',
          }),
        ],
      },
      'orders.dc1',
    );
    expect(trace.reaches.map(r => r.cluster)).toEqual([dc2.name]);
  });

  it('explains names it cannot trace', () => {
    const input = { clusters, deployments: [] };
    expect(traceTopic(input, 'orders').problem).toMatch(
      /no data-centre suffix/,
    );
    expect(traceTopic(input, 'orders.dc9').problem).toMatch(
      /suffix "dc9" is not the topicSuffix of any configured cluster \(known: dc1, dc2, dc3\)/,
    );
    expect(traceTopic(input, 'bad name').problem).toBeDefined();
    expect(traceTopic(input, '').problem).toBeDefined();
  });
});
