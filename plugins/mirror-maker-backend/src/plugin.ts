import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerEntityPermissions,
  mirrorMakerRequestCreatePermission,
  normalizeEntityRef,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployTargetRegistry,
  MetricSourceRegistry,
  mirrorMakerDeployTargetsExtensionPoint,
  mirrorMakerMetricSourcesExtensionPoint,
  mirrorMakerEntityPermissionRules,
  mirrorMakerEntityResourceRef,
} from '@mirrormaker/plugin-mirror-maker-node';
import { randomUUID } from 'crypto';
import { MirrorMakerStore } from './database';
import { RolloutStore } from './database/RolloutStore';
import { RolloutEngine } from './deploy/RolloutEngine';
import { LocalDeployTarget } from './deploy/local/LocalDeployTarget';
import { SshDeployTarget } from './deploy/ssh/SshDeployTarget';
import { CatalogDeployments } from './service/CatalogDeployments';
import { ClusterRegistry } from './kafka';
import { createRouter } from './service/router';
import { MetricsStore } from './database/MetricsStore';
import { HeartbeatService } from './metrics/Heartbeat';
import { LagService } from './metrics/LagService';
import { MetricsService } from './metrics/MetricsService';
import { readMetricsOptions } from './metrics/options';
import { ProcessMetricsService } from './metrics/ProcessMetricsService';
import { NewRelicSource } from './metrics/sources/NewRelicSource';
import { PrometheusExporterSource } from './metrics/sources/PrometheusExporterSource';
import { ThroughputSampler } from './metrics/ThroughputSampler';
import { RequestStore } from './database/RequestStore';
import { BackstageRequestNotifier } from './requests/notifier';
import { readNewDeploymentSettings } from './requests/config';
import { RequestService } from './requests/RequestService';
import { EntityAuthorizer } from './service/authorize';
import { LiveTopics } from './service/LiveTopics';

/**
 * The mirror-maker backend plugin: the control plane's REST API under
 * `/api/mirror-maker`.
 */
export const mirrorMakerPlugin = createBackendPlugin({
  pluginId: 'mirror-maker',
  register(env) {
    const deployTargets = new DeployTargetRegistry();
    env.registerExtensionPoint(
      mirrorMakerDeployTargetsExtensionPoint,
      deployTargets,
    );
    const metricSources = new MetricSourceRegistry();
    env.registerExtensionPoint(
      mirrorMakerMetricSourcesExtensionPoint,
      metricSources,
    );

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        // Sends through the notifications backend when it is installed;
        // without it each send fails, one warning is logged, and people
        // follow their requests in the queue.
        notifications: notificationService,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        auth,
        database,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        scheduler,
        userInfo,
        catalog,
        notifications,
      }) {
        const clusters = ClusterRegistry.fromConfig(config, logger);
        lifecycle.addShutdownHook(() => clusters.close());
        const store = await MirrorMakerStore.create({ database });
        const rolloutStore = RolloutStore.fromKnex(await database.getClient());

        // The embedded targets; modules may add more through the extension point.
        const local = LocalDeployTarget.fromConfig(config, logger);
        deployTargets.addDeployTarget(local);
        if (config.has('mirrorMaker.deploy.ssh')) {
          const ssh = SshDeployTarget.fromConfig(config, logger);
          deployTargets.addDeployTarget(ssh);
          lifecycle.addShutdownHook(() => ssh.close());
        }
        // Metrics: lag now, sampled series, the processes' figures, heartbeat.
        const metricsOptions = readMetricsOptions(config);
        metricSources.addMetricSource(new PrometheusExporterSource({}));
        const newRelic = NewRelicSource.fromConfig(config);
        if (newRelic) metricSources.addMetricSource(newRelic);
        const requestStore = RequestStore.fromKnex(await database.getClient());
        // One view of the deployments for every service, with the topics
        // of approved requests on top of each spec.
        const catalogDeployments = new CatalogDeployments({
          catalog,
          clusters: () => clusters.list(),
          logger,
          approvedTopics: () => requestStore.approvedTopics(),
        });
        const allDeployments = async () =>
          (
            await catalogDeployments.snapshot(
              await auth.getOwnServiceCredentials(),
            )
          ).deployments.filter(d => d.source && d.target);
        const metricsStore = MetricsStore.fromKnex(await database.getClient());
        const lag = new LagService({
          clusters,
          logger,
          cacheMs: metricsOptions.lagCacheMs,
        });
        const heartbeat = new HeartbeatService({
          store: metricsStore,
          clusters,
          deployments: allDeployments,
          logger,
          groupId: metricsOptions.heartbeat.groupId,
        });
        const processMetrics = new ProcessMetricsService({
          targets: deployTargets,
          sources: metricSources,
          logger,
        });
        const sampler = new ThroughputSampler({
          store: metricsStore,
          clusters,
          deployments: allDeployments,
          lagOf: async d => {
            const reading = await lag.deploymentLag(d);
            return reading.reachable
              ? (reading as { totalLag: number }).totalLag
              : null;
          },
          retentionMs: metricsOptions.retentionMs,
          logger,
        });

        const rollouts = new RolloutEngine({
          store: rolloutStore,
          clusters,
          targets: deployTargets,
          logger,
          instanceId: `${randomUUID()}`,
          gate: {
            timeoutMs:
              (config.getOptionalNumber(
                'mirrorMaker.deploy.gate.timeoutSeconds',
              ) ?? 120) * 1000,
            windowMs:
              (config.getOptionalNumber(
                'mirrorMaker.deploy.gate.windowSeconds',
              ) ?? 10) * 1000,
            lagToleranceRecords:
              config.getOptionalNumber(
                'mirrorMaker.deploy.gate.lagToleranceRecords',
              ) ?? 1000,
          },
          stopTimeoutMs:
            (config.getOptionalNumber(
              'mirrorMaker.deploy.stopTimeoutSeconds',
            ) ?? 30) * 1000,
          prepare: metricsOptions.heartbeat.enabled
            ? d => heartbeat.ensureTopics(d)
            : undefined,
          resolve: async entity =>
            catalogDeployments.check(
              entity as unknown as Entity,
              await auth.getOwnServiceCredentials(),
            ),
        });
        // Rollouts first (they stop between steps), then the processes.
        lifecycle.addShutdownHook(async () => {
          await heartbeat.stop();
          await rollouts.shutdown();
          await local.shutdown({ timeoutMs: 30_000 });
        });
        lifecycle.addStartupHook(async () => {
          await local.start();
          await rollouts.recoverInterrupted();
          if (metricsOptions.heartbeat.enabled) {
            // Kafka may be down at start; the refresh task retries.
            await heartbeat
              .start()
              .catch(e => logger.warn(`Heartbeat readers did not start: ${e}`));
          }
        });
        await scheduler.scheduleTask({
          id: 'mirror-maker-metrics-sample',
          frequency: { milliseconds: metricsOptions.sampleMs },
          timeout: {
            milliseconds: Math.max(60_000, metricsOptions.sampleMs * 3),
          },
          initialDelay: { seconds: 5 },
          fn: () => sampler.sampleOnce(),
        });
        if (metricsOptions.heartbeat.enabled) {
          await scheduler.scheduleTask({
            id: 'mirror-maker-heartbeat',
            frequency: { milliseconds: metricsOptions.heartbeat.intervalMs },
            timeout: { seconds: 60 },
            initialDelay: { seconds: 5 },
            fn: () => heartbeat.beatOnce(),
          });
          // Every instance reads heartbeats (one group: each record once), so
          // this is not a scheduler task, which runs on one instance only.
          const refresh = setInterval(() => {
            heartbeat
              .start()
              .catch(e => logger.warn(`Heartbeat readers: ${e}`));
          }, 60_000);
          refresh.unref();
          lifecycle.addShutdownHook(() => clearInterval(refresh));
        }
        await scheduler.scheduleTask({
          id: 'mirror-maker-interrupted-rollouts',
          frequency: { seconds: 30 },
          timeout: { seconds: 60 },
          initialDelay: { seconds: 45 },
          fn: async () => {
            const recovered = await rollouts.recoverInterrupted();
            for (const r of recovered) {
              logger.warn(
                `Rollout ${r.id} of ${r.deploymentRef}: ${r.message}`,
              );
            }
          },
        });

        permissionsRegistry.addPermissions([
          mirrorMakerDeploymentCreatePermission,
          mirrorMakerRequestCreatePermission,
        ]);
        // mirrorMakerEntityPermissions include request.approve and
        // request.selfApprove: both are decided on the deployment entity.
        permissionsRegistry.addResourceType({
          resourceRef: mirrorMakerEntityResourceRef,
          permissions: mirrorMakerEntityPermissions,
          rules: Object.values(mirrorMakerEntityPermissionRules),
          // Conditions are decided on the catalog's copy; a plugin-managed
          // deployment the catalog has not picked up yet is judged on ours.
          getResources: async refs => {
            const credentials = await auth.getOwnServiceCredentials();
            const { items } = await catalog.getEntitiesByRefs(
              { entityRefs: refs },
              { credentials },
            );
            return Promise.all(
              items.map(async (entity, i) => {
                if (entity) return entity;
                const ref = normalizeEntityRef(refs[i], 'mirrormaker');
                const [kind, rest] = ref.split(':');
                const [namespace, name] = rest.split('/');
                if (kind !== 'mirrormaker') return undefined;
                const managed = await store.getManagedDeployment(
                  namespace,
                  name,
                );
                return managed?.entity as Entity | undefined;
              }),
            );
          },
        });

        const liveTopics = new LiveTopics({ clusters, logger });
        const authorizer = new EntityAuthorizer(
          permissions,
          permissionsRegistry.getPermissionRuleset(
            mirrorMakerEntityResourceRef,
          ),
        );
        const requests = new RequestService({
          store: requestStore,
          mirrorMakerStore: store,
          catalog,
          deployments: catalogDeployments,
          clusters,
          liveTopics,
          rollouts,
          rolloutStore,
          authorizer,
          userInfo,
          auth,
          auditor,
          // Backstage notifications are wired here once the backend has
          // @backstage/plugin-notifications-node; until then the request
          // queue in the UI is where people see what happened.
          notifier: new BackstageRequestNotifier({
            logger,
            sender: notifications,
          }),
          logger,
          newDeployment: readNewDeploymentSettings(config),
        });
        await scheduler.scheduleTask({
          id: 'mirror-maker-request-windows',
          frequency: { seconds: 60 },
          timeout: { seconds: 120 },
          initialDelay: { seconds: 30 },
          fn: () => requests.tick(),
        });

        httpRouter.use(
          await createRouter({
            deployments: catalogDeployments,
            liveTopics,
            requests,
            logger,
            httpAuth,
            permissions,
            auditor,
            catalog,
            store,
            clusters,
            deployTargets,
            rollouts,
            rolloutStore,
            entityRuleset: permissionsRegistry.getPermissionRuleset(
              mirrorMakerEntityResourceRef,
            ),
            metricsRetentionMs: metricsOptions.retentionMs,
            metrics: topology =>
              new MetricsService({
                deployments: catalogDeployments,
                topology,
                lag,
                sampler,
                heartbeat,
                processes: processMetrics,
                loadEntity: (ref, credentials) =>
                  catalog.getEntityByRef(ref, { credentials }),
              }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
