import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { mirrorMakerSecretsReadPermission } from '@mirrormaker/plugin-mirror-maker-common';
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

  it('allows secrets only to the configured groups', async () => {
    await expect(
      policy.handle(
        { permission: mirrorMakerSecretsReadPermission },
        user(['user:default/alice', 'group:default/platform']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle(
        { permission: mirrorMakerSecretsReadPermission },
        user(['user:default/alice', 'group:default/payments']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: mirrorMakerSecretsReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows other permissions', async () => {
    await expect(
      policy.handle(
        { permission: catalogEntityReadPermission },
        user(['user:default/alice']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});
