import { mockServices } from '@backstage/backend-test-utils';
import { ClusterRegistry } from '../kafka';
import { LiveTopics } from './LiveTopics';

describe('LiveTopics', () => {
  function setup() {
    const topics = ['orders.dc1'];
    const listTopics = jest.fn(async () =>
      topics.map(name => ({ name, partitions: 1, internal: false })),
    );
    const clusters = {
      listTopics,
      list: () => [{ name: 'dc1' }],
    } as unknown as ClusterRegistry;
    const live = new LiveTopics({
      clusters,
      logger: mockServices.logger.mock(),
      now: () => 1000,
    });
    return { live, topics, listTopics };
  }

  it('reuses a listing within its age', async () => {
    const { live, topics, listTopics } = setup();
    await live.listing('dc1');
    topics.push('created-since.dc1');
    const again = await live.listing('dc1');
    expect(listTopics).toHaveBeenCalledTimes(1);
    expect((again as any[]).map(t => t.name)).toEqual(['orders.dc1']);
  });

  it('reads again when asked for a fresh listing, and keeps that one', async () => {
    const { live, topics, listTopics } = setup();
    await live.listing('dc1');
    topics.push('created-since.dc1');
    const fresh = await live.listing('dc1', { fresh: true });
    expect((fresh as any[]).map(t => t.name)).toEqual([
      'orders.dc1',
      'created-since.dc1',
    ]);
    expect(await live.listing('dc1')).toBe(fresh);
    expect(listTopics).toHaveBeenCalledTimes(2);
  });
});
