import { mockServices } from '@backstage/backend-test-utils';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { ClusterRegistry } from './ClusterRegistry';

// Without the codec, kafkajs's placeholder throws "LZ4 compression not
// implemented" as soon as it is asked for; the heartbeat reader then crashes
// on the first batch MirrorMaker wrote.
describe('the LZ4 codec', () => {
  it('is registered with kafkajs by the cluster registry and round-trips', async () => {
    const registry = new ClusterRegistry({
      clusters: [],
      logger: mockServices.logger.mock(),
    });
    expect(registry.list()).toEqual([]);
    const codec = CompressionCodecs[CompressionTypes.LZ4]();
    const text = JSON.stringify({ deployment: 'mirrormaker:default/a', v: 1 });
    const compressed = await codec.compress({
      buffer: Buffer.from(text),
    } as any);
    expect(compressed.subarray(0, 4)).toEqual(
      Buffer.from([0x04, 0x22, 0x4d, 0x18]), // the LZ4 frame magic number
    );
    expect((await codec.decompress(compressed)).toString()).toBe(text);
  });
});
