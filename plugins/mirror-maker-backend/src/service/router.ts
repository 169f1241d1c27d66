import { LoggerService } from '@backstage/backend-plugin-api';
import { DeployTargetRegistry } from '@mirrormaker/plugin-mirror-maker-node';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';

export interface RouterOptions {
  logger: LoggerService;
  /** Resolves the plugin's database client; called per health check. */
  getDatabase: () => Promise<Knex>;
  deployTargets: DeployTargetRegistry;
}

/** Health of one dependency as `GET /health` reports it. */
interface CheckResult {
  ok: boolean;
  message?: string;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, getDatabase, deployTargets } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const database = await checkDatabase(getDatabase);
    if (!database.ok) {
      logger.warn(`Health check: database unreachable: ${database.message}`);
    }
    const targets = await Promise.all(
      deployTargets.list().map(async target => {
        try {
          return { name: target.name, ...(await target.checkReadiness()) };
        } catch (error) {
          return { name: target.name, ready: false, message: String(error) };
        }
      }),
    );
    res.status(database.ok ? 200 : 503).json({
      status: database.ok ? 'ok' : 'error',
      database,
      deployTargets: targets,
    });
  });

  return router;
}

async function checkDatabase(
  getDatabase: () => Promise<Knex>,
): Promise<CheckResult> {
  try {
    const knex = await getDatabase();
    await knex.raw('select 1');
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
