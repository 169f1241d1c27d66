import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  mirrorMakerBundleReadPermission,
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerDeployPermission,
  mirrorMakerRequestApprovePermission,
  mirrorMakerRequestCreatePermission,
  mirrorMakerRequestSelfApprovePermission,
  mirrorMakerSecretsReadPermission,
} from '@mirrormaker/plugin-mirror-maker-common';
import { MirrorMakerPermissionPolicy } from './permissionPolicy';

const user = (ownershipEntityRefs: string[]) =>
  ({
    identity: {
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs,
    },
    info: { userEntityRef: 'user:default/alice', ownershipEntityRefs },
    credentials: {},
    token: 'token',
  } as any);

describe('MirrorMakerPermissionPolicy', () => {
  const policy = new MirrorMakerPermissionPolicy(['group:default/platform']);
  const admin = user(['user:default/alice', 'group:default/platform']);
  const member = user(['user:default/alice', 'group:default/payments']);

  it.each([
    mirrorMakerSecretsReadPermission,
    mirrorMakerDeploymentCreatePermission,
  ])('allows $name only to admins', async permission => {
    await expect(policy.handle({ permission }, admin)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(policy.handle({ permission }, member)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(policy.handle({ permission })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it.each([mirrorMakerDeployPermission, mirrorMakerRequestApprovePermission])(
    'leaves $name to ownership of the deployment, evaluated by the mirror-maker backend',
    async permission => {
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
      await expect(policy.handle({ permission }, member)).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'mirror-maker',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_DEPLOYMENT_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/alice', 'group:default/payments'] },
        },
      });
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    },
  );

  it('lets everyone read and request', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      mirrorMakerBundleReadPermission,
      mirrorMakerRequestCreatePermission,
    ]) {
      await expect(policy.handle({ permission }, member)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets only signed-in users file requests', async () => {
    await expect(
      policy.handle({ permission: mirrorMakerRequestCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it("denies approving one's own request by default, to admins too (four eyes)", async () => {
    const permission = mirrorMakerRequestSelfApprovePermission;
    for (const who of [admin, member, undefined]) {
      await expect(policy.handle({ permission }, who)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it("allows approving one's own request to members of the selfApprovers groups only", async () => {
    const permission = mirrorMakerRequestSelfApprovePermission;
    const lenient = new MirrorMakerPermissionPolicy(
      ['group:default/platform'],
      ['Group:default/Payments'],
    );
    await expect(lenient.handle({ permission }, member)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(lenient.handle({ permission }, admin)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
