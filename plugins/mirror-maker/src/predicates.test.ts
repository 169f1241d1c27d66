import { Entity } from '@backstage/catalog-model';
import {
  isKafkaClusterAvailable,
  isMirrorMakerAvailable,
  isServiceReplicationAvailable,
} from './predicates';

const entity = (
  kind: string,
  annotations: Record<string, string> = {},
  spec: object = {},
): Entity => ({
  apiVersion: 'x',
  kind,
  metadata: { name: 'n', annotations },
  spec,
});

describe('entity predicates', () => {
  it('finds MirrorMaker entities whatever the kind spelling', () => {
    expect(isMirrorMakerAvailable(entity('MirrorMaker'))).toBe(true);
    expect(isMirrorMakerAvailable(entity('mirrormaker'))).toBe(true);
    expect(isMirrorMakerAvailable(entity('Component'))).toBe(false);
  });

  it('needs a kafka-cluster Resource with the cluster annotation for the cluster card', () => {
    const annotated = { 'mirrormaker.io/cluster': 'dc1' };
    expect(
      isKafkaClusterAvailable(
        entity('Resource', annotated, { type: 'kafka-cluster' }),
      ),
    ).toBe(true);
    expect(
      isKafkaClusterAvailable(
        entity('Resource', {}, { type: 'kafka-cluster' }),
      ),
    ).toBe(false);
    expect(
      isKafkaClusterAvailable(
        entity('Resource', annotated, { type: 'database' }),
      ),
    ).toBe(false);
    expect(isKafkaClusterAvailable(entity('Component', annotated))).toBe(false);
  });

  it('needs a non-empty topics annotation for the service card', () => {
    expect(
      isServiceReplicationAvailable(
        entity('Component', { 'mirrormaker.io/topics': 'orders.dc1' }),
      ),
    ).toBe(true);
    expect(
      isServiceReplicationAvailable(
        entity('Component', { 'mirrormaker.io/topics': ' ' }),
      ),
    ).toBe(false);
    expect(isServiceReplicationAvailable(entity('Component'))).toBe(false);
  });
});
