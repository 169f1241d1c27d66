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
import { mirrorMakerSecretsReadPermission } from '@mirrormaker/plugin-mirror-maker-common';

/**
 * The demo's policy: everything is allowed except reading secrets from
 * rendered bundles, which only members of the groups listed in
 * `mirrorMaker.permissions.secretReaders` may do (default: nobody).
 */
export class MirrorMakerPermissionPolicy implements PermissionPolicy {
  constructor(private readonly secretReaders: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, mirrorMakerSecretsReadPermission)) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      const allowed = refs.some(ref => this.secretReaders.includes(ref));
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
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
        const readers =
          config.getOptionalStringArray(
            'mirrorMaker.permissions.secretReaders',
          ) ?? [];
        policy.setPolicy(new MirrorMakerPermissionPolicy(readers));
      },
    });
  },
});
