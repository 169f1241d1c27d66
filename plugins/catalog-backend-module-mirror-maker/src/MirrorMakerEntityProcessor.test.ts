import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { MirrorMakerEntityProcessor } from './MirrorMakerEntityProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

const entity = (spec: Record<string, unknown>): Entity => ({
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: spec as Entity['spec'],
});

const validSpec = {
  owner: 'group:platform',
  system: 'replication',
  source: 'resource:kafka-dc1',
  target: 'kafka-dc2',
  topics: { suffix: 'dc1' },
  placement: { nodes: ['mm1.dc2.example.com'] },
};

describe('MirrorMakerEntityProcessor', () => {
  const processor = new MirrorMakerEntityProcessor();

  it('accepts a valid MirrorMaker entity', async () => {
    await expect(processor.validateEntityKind(entity(validSpec))).resolves.toBe(
      true,
    );
  });

  it('ignores other kinds', async () => {
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).resolves.toBe(false);
  });

  it('names the missing field of a malformed entity', async () => {
    const { target: _omitted, ...withoutTarget } = validSpec;
    await expect(
      processor.validateEntityKind(entity(withoutTarget)),
    ).rejects.toThrow(
      'Invalid MirrorMaker entity dc1-to-dc2:\nspec.target: is required',
    );
  });

  it('lists every rule a malformed entity breaks, field by field', async () => {
    await expect(
      processor.validateEntityKind(
        entity({
          ...validSpec,
          topics: { include: 'a{1,3}' },
          placement: { nodes: ['mm1;reboot'] },
        }),
      ),
    ).rejects.toThrow(
      /spec\.topics\.include: contains ","[^\n]*\nspec\.placement\.nodes\[0\]: "mm1;reboot" is not a host name/,
    );
  });

  it('emits owner, system and cluster relations both ways', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(entity(validSpec), location, r =>
      emitted.push(r),
    );
    const relations = emitted.map(r => {
      if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
      const { source, type, target } = r.relation;
      return `${source.kind}:${source.name} ${type} ${target.kind}:${target.name}`;
    });
    expect(relations).toEqual([
      'MirrorMaker:dc1-to-dc2 ownedBy group:platform',
      'group:platform ownerOf MirrorMaker:dc1-to-dc2',
      'MirrorMaker:dc1-to-dc2 partOf System:replication',
      'System:replication hasPart MirrorMaker:dc1-to-dc2',
      'MirrorMaker:dc1-to-dc2 mirrorsFrom resource:kafka-dc1',
      'resource:kafka-dc1 mirroredBy MirrorMaker:dc1-to-dc2',
      'MirrorMaker:dc1-to-dc2 mirrorsTo Resource:kafka-dc2',
      'Resource:kafka-dc2 mirroredInto MirrorMaker:dc1-to-dc2',
    ]);
  });
});
