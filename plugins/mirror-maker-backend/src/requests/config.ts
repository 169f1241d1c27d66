import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@mirrormaker/plugin-mirror-maker-common';
import { NewDeploymentSettings } from './RequestService';

const KEY = 'mirrorMaker.requests.newDeployment';

/** `mirrorMaker.requests.newDeployment`, checked at start. */
export function readNewDeploymentSettings(
  config: Config,
): NewDeploymentSettings {
  const c = config.getOptionalConfig(KEY);
  if (!c) return {};
  const owner = c.getOptionalString('owner');
  const nodes = c.getOptionalStringArray('nodes');
  const processesPerNode = c.getOptionalNumber('processesPerNode');
  if (
    processesPerNode !== undefined &&
    (!Number.isInteger(processesPerNode) || processesPerNode < 1)
  ) {
    throw new InputError(
      `${KEY}.processesPerNode must be a whole number of at least 1, not ${processesPerNode}`,
    );
  }
  return {
    ...(owner ? { owner: normalizeEntityRef(owner, 'group') } : {}),
    ...(nodes ? { nodes } : {}),
    ...(processesPerNode ? { processesPerNode } : {}),
    ...(c.has('deployTarget')
      ? { deployTarget: c.getString('deployTarget') }
      : {}),
    ...(c.has('namespace') ? { namespace: c.getString('namespace') } : {}),
  };
}
