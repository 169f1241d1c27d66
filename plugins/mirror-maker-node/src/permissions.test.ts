import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mirrorMakerDeployPermission } from '@mirrormaker/plugin-mirror-maker-common';
import {
  createMirrorMakerConditionalDecision,
  isDeploymentOwner,
  mirrorMakerConditions,
} from './permissions';

const deployment = (extra: Partial<Entity> = {}): Entity => ({
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: { owner: 'team-dc2' },
  ...extra,
});

describe('isDeploymentOwner', () => {
  it('follows the ownedBy relation when the catalog has set it', () => {
    const entity = deployment({
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-dc2' }],
    });
    expect(
      isDeploymentOwner.apply(entity, { claims: ['group:default/team-dc2'] }),
    ).toBe(true);
    expect(
      isDeploymentOwner.apply(entity, { claims: ['Group:Default/Team-DC2'] }),
    ).toBe(true);
    expect(
      isDeploymentOwner.apply(entity, { claims: ['group:default/team-dc1'] }),
    ).toBe(false);
  });

  it('falls back to spec.owner, completed as the catalog would, before processing', () => {
    expect(
      isDeploymentOwner.apply(deployment(), {
        claims: ['group:default/team-dc2'],
      }),
    ).toBe(true);
    const other = deployment({
      metadata: { name: 'x', namespace: 'payments' },
    });
    expect(
      isDeploymentOwner.apply(other, { claims: ['group:payments/team-dc2'] }),
    ).toBe(true);
    expect(
      isDeploymentOwner.apply(other, { claims: ['group:default/team-dc2'] }),
    ).toBe(false);
  });

  it('does not fall back when relations name another owner', () => {
    const entity = deployment({
      relations: [{ type: 'ownedBy', targetRef: 'group:default/someone' }],
    });
    expect(
      isDeploymentOwner.apply(entity, { claims: ['group:default/team-dc2'] }),
    ).toBe(false);
  });

  it('makes a conditional decision the mirror-maker backend evaluates', () => {
    expect(
      createMirrorMakerConditionalDecision(
        mirrorMakerDeployPermission,
        mirrorMakerConditions.isDeploymentOwner({
          claims: ['group:default/team-dc2'],
        }),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'mirror-maker',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_DEPLOYMENT_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['group:default/team-dc2'] },
      },
    });
  });
});
