import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { mirrorMakerEntityResourceRef } from '@mirrormaker/plugin-mirror-maker-node';

/**
 * Permission decisions as the routes need them. A conditional decision of
 * this plugin is applied to the entity in hand (no second load, no round
 * trip); one of another plugin (say the catalog's own conditions) goes back
 * to the permission backend with the entity's ref.
 */
export class EntityAuthorizer {
  private readonly applyConditions: ReturnType<
    typeof createConditionAuthorizer<Entity, unknown>
  >;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<Entity>,
  ) {
    this.applyConditions = createConditionAuthorizer(ruleset);
  }

  async isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  async isAllowedOn(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    entity: Entity,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    if (
      decision.pluginId === mirrorMakerEntityResourceRef.pluginId &&
      decision.resourceType === mirrorMakerEntityResourceRef.resourceType
    ) {
      return this.applyConditions(decision, entity);
    }
    const [resolved] = await this.permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    return resolved.result === AuthorizeResult.ALLOW;
  }

  /**
   * Allowed whatever the entity: a definitive ALLOW, not a condition. For
   * entities a caller posts, whose fields (the owner, say) the caller chose.
   */
  async isAllowedOnAny(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }
}
