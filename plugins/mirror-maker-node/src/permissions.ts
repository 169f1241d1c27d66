import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
  normalizeEntityRef,
} from '@mirrormaker/plugin-mirror-maker-common';
import { z } from 'zod';

/**
 * The query a rule translates to: the catalog's entity filter shape, so a
 * condition can also be turned into a catalog query.
 */
export type MirrorMakerEntityQuery = {
  key: string;
  values?: string[];
};

/**
 * Catalog entities as the mirror-maker plugin authorizes them. Conditional
 * decisions made with {@link mirrorMakerConditions} are evaluated by the
 * mirror-maker backend, which loads the entity through the catalog (and,
 * for a plugin-managed deployment not yet in the catalog, from its own
 * database).
 */
export const mirrorMakerEntityResourceRef = createPermissionResourceRef<
  Entity,
  MirrorMakerEntityQuery
>().with({
  pluginId: 'mirror-maker',
  resourceType: MIRROR_MAKER_ENTITY_RESOURCE_TYPE,
});

/**
 * True when one of the claims (the user's ownership refs, e.g.
 * `group:default/team-dc1`) owns the entity: through an `ownedBy` relation,
 * or, for an entity the catalog has not processed yet, through `spec.owner`.
 */
export const isDeploymentOwner = createPermissionRule({
  name: 'IS_DEPLOYMENT_OWNER',
  description: 'Allow MirrorMaker deployments owned by one of the claims',
  resourceRef: mirrorMakerEntityResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of which at least one must own the entity'),
  }),
  apply: (entity, { claims }) => {
    const wanted = new Set(claims.map(c => c.toLowerCase()));
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef.toLowerCase());
    const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (owners.length === 0 && typeof specOwner === 'string') {
      owners.push(
        normalizeEntityRef(
          specOwner,
          'group',
          entity.metadata.namespace ?? 'default',
        ),
      );
    }
    return owners.some(owner => wanted.has(owner));
  },
  toQuery: ({ claims }) => ({ key: 'relations.ownedBy', values: claims }),
});

/** Every rule of {@link mirrorMakerEntityResourceRef}. */
export const mirrorMakerEntityPermissionRules = { isDeploymentOwner };

const exports = createConditionExports({
  resourceRef: mirrorMakerEntityResourceRef,
  rules: mirrorMakerEntityPermissionRules,
});

/**
 * Conditions for a permission policy, e.g.
 * `createMirrorMakerConditionalDecision(permission,
 * mirrorMakerConditions.isDeploymentOwner({ claims:
 * user.info.ownershipEntityRefs }))` lets the owners of a deployment deploy it.
 */
export const mirrorMakerConditions = exports.conditions;

/** Makes a conditional decision that the mirror-maker backend evaluates. */
export const createMirrorMakerConditionalDecision =
  exports.createConditionalDecision;
