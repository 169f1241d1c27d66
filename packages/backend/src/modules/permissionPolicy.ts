import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerDeployPermission,
  mirrorMakerRequestApprovePermission,
  mirrorMakerRequestCreatePermission,
  mirrorMakerRequestSelfApprovePermission,
  mirrorMakerSecretsReadPermission,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  createMirrorMakerConditionalDecision,
  mirrorMakerConditions,
} from '@mirrormaker/plugin-mirror-maker-node';

/**
 * The demo's policy, showing the intended use of the mirror-maker
 * permissions:
 * - everyone reads (catalog, topology, bundles with secrets redacted) and
 *   may file replication requests;
 * - the owners of a deployment deploy it and approve requests for it (a
 *   conditional decision the mirror-maker backend evaluates on the entity);
 * - admins (members of the groups in `mirrorMaker.permissions.admins`) may
 *   do all of that on every deployment, see secrets, and create new
 *   plugin-managed deployments;
 * - approving one's own request (four eyes) is for members of the groups in
 *   `mirrorMaker.permissions.selfApprovers` only (default nobody); admins
 *   are not exempt.
 */
export class MirrorMakerPermissionPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;
  private readonly selfApprovers: Set<string>;

  constructor(admins: string[], selfApprovers: string[] = []) {
    this.admins = new Set(admins.map(a => a.toLowerCase()));
    this.selfApprovers = new Set(selfApprovers.map(a => a.toLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const isAdmin = claims.some(ref => this.admins.has(ref.toLowerCase()));
    const { permission } = request;

    if (isPermission(permission, mirrorMakerRequestSelfApprovePermission)) {
      const allowed = claims.some(ref =>
        this.selfApprovers.has(ref.toLowerCase()),
      );
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isPermission(permission, mirrorMakerRequestCreatePermission)) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      isPermission(permission, mirrorMakerSecretsReadPermission) ||
      isPermission(permission, mirrorMakerDeploymentCreatePermission)
    ) {
      return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      isPermission(permission, mirrorMakerDeployPermission) ||
      isPermission(permission, mirrorMakerRequestApprovePermission)
    ) {
      if (isAdmin) return { result: AuthorizeResult.ALLOW };
      if (!user) return { result: AuthorizeResult.DENY };
      return createMirrorMakerConditionalDecision(
        permission,
        mirrorMakerConditions.isDeploymentOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'mirror-maker-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        // `secretReaders` is the older name of the same list.
        const admins = [
          ...(config.getOptionalStringArray('mirrorMaker.permissions.admins') ??
            []),
          ...(config.getOptionalStringArray(
            'mirrorMaker.permissions.secretReaders',
          ) ?? []),
        ];
        policy.setPolicy(
          new MirrorMakerPermissionPolicy(
            admins,
            config.getOptionalStringArray(
              'mirrorMaker.permissions.selfApprovers',
            ) ?? [],
          ),
        );
      },
    });
  },
});
