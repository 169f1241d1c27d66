import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of the permissions that concern one catalog entity (a
 * MirrorMaker deployment). The same string as the catalog's own
 * `catalog-entity`, so a policy can use the catalog's conditions too; the
 * mirror-maker backend also registers it with its own rules (see
 * `mirrorMakerConditions` in the -node package).
 */
export const MIRROR_MAKER_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/** Read the rendered files of a MirrorMaker deployment (secrets redacted). */
export const mirrorMakerBundleReadPermission = createPermission({
  name: 'mirrorMaker.bundle.read',
  attributes: { action: 'read' },
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/** See secret values (passwords, keys) in rendered files instead of a redaction marker. */
export const mirrorMakerSecretsReadPermission = createPermission({
  name: 'mirrorMaker.secrets.read',
  attributes: { action: 'read' },
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/**
 * Change a deployment: start, roll back or stop a rollout, or replace or
 * delete a plugin-managed deployment.
 */
export const mirrorMakerDeployPermission = createPermission({
  name: 'mirrorMaker.deploy',
  attributes: { action: 'update' },
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/** Create a new plugin-managed MirrorMaker deployment (no entity exists yet to own). */
export const mirrorMakerDeploymentCreatePermission = createPermission({
  name: 'mirrorMaker.deployment.create',
  attributes: { action: 'create' },
});

/** File a replication request (for topics of one's own services). */
export const mirrorMakerRequestCreatePermission = createPermission({
  name: 'mirrorMaker.request.create',
  attributes: { action: 'create' },
});

/** Approve or reject a replication request that changes this deployment. */
export const mirrorMakerRequestApprovePermission = createPermission({
  name: 'mirrorMaker.request.approve',
  attributes: { action: 'update' },
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/**
 * Approve one's own replication request. Checked in addition to
 * `mirrorMaker.request.approve` when the approver filed the request; the
 * demo policy denies it (four eyes) unless the user belongs to a group in
 * `mirrorMaker.permissions.selfApprovers`.
 */
export const mirrorMakerRequestSelfApprovePermission = createPermission({
  name: 'mirrorMaker.request.selfApprove',
  attributes: { action: 'update' },
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/** Permissions that take a catalog entity (the deployment) as their resource. */
export const mirrorMakerEntityPermissions = [
  mirrorMakerBundleReadPermission,
  mirrorMakerSecretsReadPermission,
  mirrorMakerDeployPermission,
  mirrorMakerRequestApprovePermission,
  mirrorMakerRequestSelfApprovePermission,
];

/** Every permission of the mirror-maker plugin. */
export const mirrorMakerPermissions = [
  ...mirrorMakerEntityPermissions,
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerRequestCreatePermission,
];
