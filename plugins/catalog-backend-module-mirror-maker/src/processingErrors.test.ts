import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import request from 'supertest';
import {
  catalogOf,
  CLUSTERS_YAML,
  eventually,
  fakeMirrorMakerPlugin,
  getEntity,
  managedItem,
  mirrorMakerEntity,
} from './__testUtils__/backend';
import { catalogModuleMirrorMaker } from './module';

interface UnprocessedEntity {
  unprocessed_entity: { metadata: { name: string } };
  errors?: { name: string; message: string }[];
}

describe('a malformed MirrorMaker entity in the catalog', () => {
  const directory = createMockDirectory();
  let backend: TestBackend;

  beforeAll(async () => {
    directory.setContent({
      'catalog-info.yaml': `${CLUSTERS_YAML}---
apiVersion: mirrormaker.io/v1alpha1
kind: MirrorMaker
metadata:
  name: broken-in-git
spec:
  owner: group:kafka-platform
  source: resource:kafka-dc1
  target: resource:kafka-dc2
  topics:
    include: 'orders.(dc1'
  placement:
    nodes: [mm1.dc2.example.com]
`,
    });
    backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            catalog: catalogOf(directory.resolve('catalog-info.yaml')),
          },
        }),
        catalogPlugin,
        catalogModuleMirrorMaker,
        unprocessedModule,
        fakeMirrorMakerPlugin({
          status: 200,
          callers: [],
          items: [
            managedItem(
              mirrorMakerEntity('broken-managed', {
                placement: {
                  nodes: ['mm1.dc2.example.com'],
                  processesPerNode: 0,
                },
              }),
            ),
          ],
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  /**
   * The processing errors of an entity that never processed successfully.
   * catalog-backend 4.0 never writes a final_entities row for such an
   * entity, so the unprocessed module lists it as `pending` (with its
   * errors), not `failed`; both are read so the test survives either.
   */
  async function errorsOf(name: string): Promise<string[]> {
    const found: string[] = [];
    for (const reason of ['failed', 'pending']) {
      const response = await request(backend.server).get(
        `/api/catalog/entities/unprocessed/${reason}`,
      );
      expect(response.status).toBe(200);
      for (const item of response.body.entities as UnprocessedEntity[]) {
        if (item.unprocessed_entity.metadata.name === name) {
          found.push(...(item.errors ?? []).map(e => e.message));
        }
      }
    }
    return found;
  }

  it.each([
    [
      'defined in Git',
      'broken-in-git',
      /^spec\.topics\.include: is not accepted by RE2 \(error parsing regexp: missing closing \)/m,
    ],
    [
      'managed by the plugin',
      'broken-managed',
      /^spec\.placement\.processesPerNode: 0 is out of range; use 1 to 64$/m,
    ],
  ])(
    'reports the field and the reason when it is %s',
    async (_, name, problem) => {
      const errors = await eventually(
        () => errorsOf(name),
        found => found.length > 0,
        `a processing error for ${name}`,
      );
      expect(errors).toEqual([
        expect.stringContaining(`Invalid MirrorMaker entity ${name}:\n`),
      ]);
      expect(errors[0]).toMatch(problem);
      expect(
        await getEntity(backend.server, 'mirrormaker', name),
      ).toBeUndefined();
    },
  );

  it('still publishes the valid entities of the same location', async () => {
    const cluster = await eventually(
      () => getEntity(backend.server, 'resource', 'kafka-dc1'),
      entity => entity !== undefined,
      'kafka-dc1 from the same file',
    );
    expect(cluster?.spec?.type).toBe('kafka-cluster');
  });
});
