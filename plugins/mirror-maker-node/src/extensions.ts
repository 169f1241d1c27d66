import { createExtensionPoint } from '@backstage/backend-plugin-api';

import { DeployTarget } from './deploy';

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
      if (!TARGET_NAME.test(target.name)) {
        throw new Error(
          `Invalid deploy target name ${JSON.stringify(target.name)}; ` +
            'use a lower-case letter followed by up to 62 lower-case letters, digits or dashes',
        );
      }
      if (this.#targets.has(target.name)) {
        throw new Error(
          `Deploy target "${target.name}" is already registered; each target needs a unique name`,
        );
      }
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
