import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  DeployTarget,
  mirrorMakerDeployTargetsExtensionPoint,
} from '@mirrormaker/plugin-mirror-maker-node';
import request from 'supertest';
import { mirrorMakerPlugin } from './plugin';

// Explicit ids: the real PostgreSQL from the environment (see scripts/test.js)
// and SQLite; never Docker.
const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

/** A target that only reports readiness (what /health asks). */
const stubTarget = (
  name: string,
  checkReadiness: DeployTarget['checkReadiness'],
): DeployTarget => ({
  name,
  checkReadiness,
  plan: async () => [],
  stopProcess: async () => {},
  writeFiles: async () => {},
  startProcess: async () => {},
  status: async () => [],
  stopDeployment: async () => {},
});

const targetsModule = createBackendModule({
  pluginId: 'mirror-maker',
  moduleId: 'test-targets',
  register(reg) {
    reg.registerInit({
      deps: { targets: mirrorMakerDeployTargetsExtensionPoint },
      async init({ targets }) {
        targets.addDeployTarget(
          stubTarget('kubernetes', async () => ({ ready: true })),
          stubTarget('remote', async () => {
            throw new Error('known_hosts missing');
          }),
        );
      },
    });
  },
});

describe('mirror-maker backend plugin', () => {
  it.each(databases.eachSupportedId())(
    'answers GET /api/mirror-maker/health without credentials on %s',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          mirrorMakerPlugin,
          targetsModule,
          mockServices.database.factory({ knex }),
        ],
      });

      const response = await request(server).get('/api/mirror-maker/health');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: { ok: true },
        deployTargets: [
          { name: 'kubernetes', ready: true },
          {
            name: 'local',
            ready: false,
            message: expect.stringMatching(
              /^mirrorMaker.deploy.local.kafkaHome is not set/,
            ),
          },
          {
            name: 'remote',
            ready: false,
            message: 'Error: known_hosts missing',
          },
        ],
      });
    },
  );

  it('reports 503 with the reason when the database goes away', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [mirrorMakerPlugin, mockServices.database.factory({ knex })],
    });
    await knex.destroy();

    const response = await request(server).get('/api/mirror-maker/health');

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'error',
      database: { ok: false, message: expect.stringMatching(/\S/) },
      deployTargets: [expect.objectContaining({ name: 'local', ready: false })],
    });
  });
});
