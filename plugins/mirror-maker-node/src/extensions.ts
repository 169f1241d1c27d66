import { createExtensionPoint } from '@backstage/backend-plugin-api';

import { DeployTarget } from './deploy';
import { MetricSource } from './metrics';

/** Lets backend modules add deploy targets to the mirror-maker plugin. */
export interface MirrorMakerDeployTargetsExtensionPoint {
  addDeployTarget(...targets: DeployTarget[]): void;
}

/** Extension point through which modules add {@link DeployTarget}s. */
export const mirrorMakerDeployTargetsExtensionPoint =
  createExtensionPoint<MirrorMakerDeployTargetsExtensionPoint>({
    id: 'mirror-maker.deploy-targets',
  });

const TARGET_NAME = /^[a-z][a-z0-9-]{0,62}$/;

function checkName(what: string, name: string, taken: boolean): void {
  if (!TARGET_NAME.test(name)) {
    throw new Error(
      `Invalid ${what} name ${JSON.stringify(name)}; ` +
        'use a lower-case letter followed by up to 62 lower-case letters, digits or dashes',
    );
  }
  if (taken) {
    throw new Error(
      `${what[0].toUpperCase()}${what.slice(
        1,
      )} "${name}" is already registered; each ${what} needs a unique name`,
    );
  }
}

/**
 * Collects deploy targets added through the extension point and refuses
 * names that are malformed or already taken, so a typo in one module cannot
 * silently replace another module's target.
 */
export class DeployTargetRegistry
  implements MirrorMakerDeployTargetsExtensionPoint
{
  readonly #targets = new Map<string, DeployTarget>();

  addDeployTarget(...targets: DeployTarget[]): void {
    for (const target of targets) {
      checkName('deploy target', target.name, this.#targets.has(target.name));
      this.#targets.set(target.name, target);
    }
  }

  get(name: string): DeployTarget | undefined {
    return this.#targets.get(name);
  }

  list(): DeployTarget[] {
    return [...this.#targets.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }
}

/** Lets backend modules add metric sources to the mirror-maker plugin. */
export interface MirrorMakerMetricSourcesExtensionPoint {
  addMetricSource(...sources: MetricSource[]): void;
}

/** Extension point through which modules add {@link MetricSource}s. */
export const mirrorMakerMetricSourcesExtensionPoint =
  createExtensionPoint<MirrorMakerMetricSourcesExtensionPoint>({
    id: 'mirror-maker.metric-sources',
  });

/** Collects metric sources; names are checked like deploy target names. */
export class MetricSourceRegistry
  implements MirrorMakerMetricSourcesExtensionPoint
{
  readonly #sources = new Map<string, MetricSource>();

  addMetricSource(...sources: MetricSource[]): void {
    for (const source of sources) {
      checkName('metric source', source.name, this.#sources.has(source.name));
      this.#sources.set(source.name, source);
    }
  }

  get(name: string): MetricSource | undefined {
    return this.#sources.get(name);
  }

  list(): MetricSource[] {
    return [...this.#sources.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }
}
