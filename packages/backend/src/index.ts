import { createBackend } from '@backstage/backend-defaults';
import { demoUsersAuthModule } from './modules/demoUsersAuth';
import { permissionPolicyModule } from './modules/permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the guest provider signs in local users (demo and development)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// the demo's pick-a-user sign-in; mounted only when auth.providers.demoUsers
// is configured (the demo's generated config does), development mode only
backend.add(demoUsersAuthModule);

// catalog, with the MirrorMaker kind
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@mirrormaker/plugin-catalog-backend-module-mirror-maker'));

// scaffolder, with the mirror-maker actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@mirrormaker/plugin-scaffolder-backend-module-mirror-maker'),
);

// permissions, decided by our policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

// the control plane
backend.add(import('@mirrormaker/plugin-mirror-maker-backend'));

backend.start();
