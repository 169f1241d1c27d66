import { createPermission } from '@backstage/plugin-permission-common';

/** Start, roll back or stop a rollout of a MirrorMaker deployment. */
export const mirrorMakerDeployPermission = createPermission({
  name: 'mirrorMaker.deploy',
  attributes: { action: 'update' },
});

/** See secret values (passwords, keys) in rendered files instead of a redaction marker. */
export const mirrorMakerSecretsReadPermission = createPermission({
  name: 'mirrorMaker.secrets.read',
  attributes: { action: 'read' },
});

/** Every permission of the mirror-maker plugin. */
export const mirrorMakerPermissions = [
  mirrorMakerDeployPermission,
  mirrorMakerSecretsReadPermission,
];
