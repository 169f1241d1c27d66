import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import request from 'supertest';

type Server = Parameters<typeof request>[0];

/** Kinds the tests put into the catalog; its default rules allow fewer. */
export const ALLOWED_KINDS = [
  'Component',
  'System',
  'Resource',
  'Group',
  'User',
  'Location',
  'MirrorMaker',
];

/** The kafka-cluster Resources of examples/entities.yaml. */
/** `catalog` config reading one catalog file, with every kind the tests use allowed. */
export function catalogOf(file: string) {
  return {
    locations: [{ type: 'file', target: file }],
    rules: [{ allow: ALLOWED_KINDS }],
  };
}

export const CLUSTERS_YAML = ['dc1', 'dc2']
  .map(
    dc => `---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: kafka-${dc}
  annotations:
    mirrormaker.io/cluster: ${dc}
spec:
  type: kafka-cluster
  owner: group:kafka-platform
  system: replication
`,
  )
  .join('');

/** A valid MirrorMaker entity in dc2 that reads from dc1. */
export function mirrorMakerEntity(
  name: string,
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name },
    spec: {
      owner: 'group:kafka-platform',
      system: 'replication',
      source: 'resource:kafka-dc1',
      target: 'resource:kafka-dc2',
      topics: { suffix: 'dc1' },
      placement: { nodes: ['mm1.dc2.example.com'] },
      ...spec,
    },
  };
}

/**
 * A root logger that keeps the warnings, so tests can read what an operator
 * would see, and stays quiet otherwise.
 */
export function recordingLoggerFactory(warnings: string[]) {
  const logger = (): RootLoggerService => ({
    child: () => logger(),
    error: () => {},
    info: () => {},
    debug: () => {},
    warn: message => {
      warnings.push(message);
    },
  });
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger(),
  });
}

/**
 * Polls `read` until `accept` holds for what it returns; the catalog
 * processes and stitches in the background, about once a second.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(
          last,
          null,
          2,
        )}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** GET on the catalog's REST API; `undefined` when the entity is not there. */
export async function getEntity(
  server: Server,
  kind: string,
  name: string,
): Promise<Entity | undefined> {
  const response = await request(server).get(
    `/api/catalog/entities/by-name/${kind}/default/${name}`,
  );
  if (response.status === 404) return undefined;
  if (response.status !== 200) {
    throw new Error(
      `GET ${kind}/default/${name} answered ${
        response.status
      }: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

/** `type -> targetRef` of an entity's relations, sorted. */
export function relationsOf(entity: Entity | undefined): string[] {
  return (entity?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();
}

/** What the fake mirror-maker backend answers. */
export interface FakeBackend {
  status: number;
  items: unknown[];
  callers: string[];
}

/**
 * Stands in for the mirror-maker backend plugin: serves its
 * `GET /managed-deployments` from memory, behind the default auth policy,
 * and refuses anything but a service token.
 */
export function fakeMirrorMakerPlugin(fake: FakeBackend) {
  return createBackendPlugin({
    pluginId: 'mirror-maker',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.get('/managed-deployments', async (req, res, next) => {
            try {
              const credentials = await httpAuth.credentials(req, {
                allow: ['service'],
              });
              fake.callers.push(credentials.principal.subject);
              if (fake.status !== 200) {
                res.status(fake.status).json({
                  error: { name: 'Error', message: 'database is unavailable' },
                });
                return;
              }
              res.json({ items: fake.items });
            } catch (error) {
              next(error);
            }
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

/** One item of `GET /managed-deployments`. */
export const managedItem = (entity: Entity) => ({
  entityRef: `mirrormaker:default/${entity.metadata.name}`,
  entity,
  createdBy: 'user:default/guest',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedBy: 'user:default/guest',
  updatedAt: '2025-01-01T00:00:00.000Z',
});
