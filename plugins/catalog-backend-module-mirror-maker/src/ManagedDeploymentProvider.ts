import {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  Entity,
} from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MANAGED_BY,
  MANAGED_BY_PLUGIN,
} from '@mirrormaker/plugin-mirror-maker-common';

export { ANNOTATION_MANAGED_BY, MANAGED_BY_PLUGIN };

/** Name under which the provider's entities are stored in the catalog. */
export const MANAGED_DEPLOYMENT_PROVIDER_NAME =
  'mirror-maker-managed-deployments';

/** Config key of the interval, in seconds, between reads. */
export const FREQUENCY_CONFIG_KEY = 'mirrorMaker.provider.frequencySeconds';

const DEFAULT_FREQUENCY_SECONDS = 30;
const BACKEND_PLUGIN_ID = 'mirror-maker';
// Below the task timeout, so a backend that accepts the connection and never
// answers cannot keep the task busy until the scheduler gives up on it.
const REQUEST_TIMEOUT_MS = 30_000;
const BODY_SNIPPET_LENGTH = 300;

/** Dependencies of {@link ManagedDeploymentProvider}. */
export interface ManagedDeploymentProviderOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  scheduler: SchedulerService;
  logger: LoggerService;
  config: RootConfigService;
}

/**
 * Publishes the MirrorMaker deployments that the mirror-maker backend plugin
 * stores in its own database, so they show in the catalog next to the
 * deployments defined in Git. Reads them over HTTP because each plugin owns
 * its database.
 */
export class ManagedDeploymentProvider implements EntityProvider {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly scheduler: SchedulerService;
  private readonly logger: LoggerService;
  private readonly frequencySeconds: number;
  private connection?: EntityProviderConnection;

  constructor(options: ManagedDeploymentProviderOptions) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.scheduler = options.scheduler;
    this.logger = options.logger.child({
      provider: MANAGED_DEPLOYMENT_PROVIDER_NAME,
    });
    this.frequencySeconds = readFrequency(options.config);
  }

  getProviderName(): string {
    return MANAGED_DEPLOYMENT_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.scheduler.scheduleTask({
      id: `${MANAGED_DEPLOYMENT_PROVIDER_NAME}:refresh`,
      frequency: { seconds: this.frequencySeconds },
      timeout: { seconds: 60 },
      fn: () => this.refresh(),
    });
  }

  /**
   * Reads the managed deployments once and replaces the provider's entities
   * with them. Leaves the catalog as it is when the read fails.
   */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(
        `${MANAGED_DEPLOYMENT_PROVIDER_NAME} is not connected to the catalog yet`,
      );
    }
    const items = await this.read();
    if (!items) {
      return;
    }
    const entities = this.toDeferredEntities(items);
    await this.connection.applyMutation({ type: 'full', entities });
    this.logger.debug(`Published ${entities.length} managed deployment(s)`);
  }

  /** The `items` of the backend's answer, or undefined when there is none to trust. */
  private async read(): Promise<unknown[] | undefined> {
    let url = '<unresolved>';
    try {
      url = `${await this.discovery.getBaseUrl(
        BACKEND_PLUGIN_ID,
      )}/managed-deployments`;
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: BACKEND_PLUGIN_ID,
      });
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (!response.ok) {
        this.logger.warn(
          `Keeping the published managed deployments: GET ${url} answered ${
            response.status
          } ${response.statusText}: ${snippet(text)}`,
        );
        return undefined;
      }
      const items = parseItems(text);
      if (!items) {
        this.logger.warn(
          `Keeping the published managed deployments: GET ${url} answered without an items array: ${snippet(
            text,
          )}`,
        );
      }
      return items;
    } catch (error) {
      this.logger.warn(
        `Keeping the published managed deployments: GET ${url} failed: ${describeError(
          error,
        )}`,
      );
      return undefined;
    }
  }

  private toDeferredEntities(items: unknown[]): DeferredEntity[] {
    const seen = new Set<string>();
    const result: DeferredEntity[] = [];
    items.forEach((item, index) => {
      const label = labelOf(item, index);
      const entity = entityOf(item);
      if (!entity) {
        this.logger.warn(
          `Skipping managed deployment ${label}: its entity lacks kind or metadata.name`,
        );
        return;
      }
      const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
      const { name } = entity.metadata;
      const ref = `${entity.kind}:${namespace}/${name}`.toLowerCase();
      // Two items with one ref would fight over one catalog row.
      if (seen.has(ref)) {
        this.logger.warn(
          `Skipping managed deployment ${label}: ${ref} is listed twice`,
        );
        return;
      }
      seen.add(ref);
      const location = `mirror-maker:managed/${namespace}/${name}`;
      result.push({
        locationKey: `mirror-maker-provider:${namespace}/${name}`,
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            namespace,
            annotations: {
              ...entity.metadata.annotations,
              [ANNOTATION_LOCATION]: location,
              [ANNOTATION_ORIGIN_LOCATION]: location,
              [ANNOTATION_MANAGED_BY]: MANAGED_BY_PLUGIN,
            },
          },
        },
      });
    });
    return result;
  }
}

function readFrequency(config: RootConfigService): number {
  const seconds =
    config.getOptionalNumber(FREQUENCY_CONFIG_KEY) ?? DEFAULT_FREQUENCY_SECONDS;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(
      `${FREQUENCY_CONFIG_KEY} must be a whole number of seconds, at least 1, not ${seconds}`,
    );
  }
  return seconds;
}

function parseItems(text: string): unknown[] | undefined {
  try {
    const body = JSON.parse(text);
    return Array.isArray(body?.items) ? body.items : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entityOf(item: unknown): Entity | undefined {
  const entity = isRecord(item) ? item.entity : undefined;
  if (
    !isRecord(entity) ||
    typeof entity.kind !== 'string' ||
    !entity.kind ||
    !isRecord(entity.metadata) ||
    typeof entity.metadata.name !== 'string' ||
    !entity.metadata.name
  ) {
    return undefined;
  }
  // Everything else is the catalog's to validate; its errors name the field.
  return entity as unknown as Entity;
}

function labelOf(item: unknown, index: number): string {
  if (isRecord(item) && typeof item.entityRef === 'string') {
    return `${item.entityRef} (item ${index})`;
  }
  return `at index ${index}`;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty body)';
  return flat.length > BODY_SNIPPET_LENGTH
    ? `${flat.slice(0, BODY_SNIPPET_LENGTH)}...`
    : flat;
}

function describeError(error: unknown): string {
  // Duck-typed: errors from fetch come from another realm in some runtimes,
  // where `instanceof Error` is false.
  const messageOf = (value: unknown) =>
    isRecord(value) && typeof value.message === 'string'
      ? value.message
      : undefined;
  const message = messageOf(error) ?? String(error);
  // fetch hides the network reason (ECONNREFUSED, ...) in `cause`.
  const cause = isRecord(error) ? messageOf(error.cause) : undefined;
  return cause ? `${message} (${cause})` : message;
}
