import { createBackendModule } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotImplementedError,
} from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** Header that names the demo user to sign in as. */
export const DEMO_USER_HEADER = 'x-mirror-maker-demo-user';

/** The provider id under `auth.providers`. */
export const DEMO_USERS_PROVIDER_ID = 'demoUsers';

/** Longest header value looked at; refs are far shorter. */
const MAX_REF_LENGTH = 200;

/**
 * Reads `auth.providers.demoUsers.users`: the user entity refs one may sign
 * in as. Throws with the offending entry when one is not a user ref.
 */
export function readDemoUsers(config: Config): string[] {
  const users = config.getStringArray('users');
  if (users.length === 0) {
    throw new InputError(
      'auth.providers.demoUsers.users is empty; list the user entity refs one may sign in as, e.g. user:default/alice',
    );
  }
  return users.map((value, i) => {
    let ref;
    try {
      ref = parseEntityRef(value, { defaultKind: 'user' });
    } catch (e) {
      throw new InputError(
        `auth.providers.demoUsers.users[${i}] "${value}" is not an entity ref: ${e}`,
      );
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new InputError(
        `auth.providers.demoUsers.users[${i}] "${value}" is a ${ref.kind}; only User entities can sign in`,
      );
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  });
}

/**
 * The user a request asks to sign in as, if it is one of `allowed`.
 * Anything else (missing, too long, another kind, not listed) is refused
 * with the list of accepted users.
 */
export function demoUserOf(
  header: string | string[] | undefined,
  allowed: string[],
): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) {
    throw new AuthenticationError(
      `Demo sign-in needs the ${DEMO_USER_HEADER} header naming one of: ${allowed.join(
        ', ',
      )}`,
    );
  }
  let ref: string | undefined;
  if (value.length <= MAX_REF_LENGTH) {
    try {
      ref = stringifyEntityRef(
        parseEntityRef(value, { defaultKind: 'user' }),
      ).toLocaleLowerCase('en-US');
    } catch {
      ref = undefined;
    }
  }
  if (!ref || !allowed.includes(ref)) {
    throw new AuthenticationError(
      `${DEMO_USER_HEADER} does not name a demo user; accepted: ${allowed.join(
        ', ',
      )}`,
    );
  }
  return ref;
}

/**
 * Sign-in as one of a fixed list of catalog users, chosen by a request
 * header: the demo's way to act as a product team member and as a platform
 * owner in one browser. Like the guest provider it refuses to work outside
 * development unless `dangerouslyAllowOutsideDevelopment` is set, and it is
 * only mounted when `auth.providers.demoUsers` is configured.
 */
export const demoUsersAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
      },
      async init({ providers }) {
        providers.registerProvider({
          providerId: DEMO_USERS_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { userRef: string }) => ({
                profile: {
                  displayName: parseEntityRef(result.userRef).name,
                },
              }),
              initialize: ({ config: own }) => ({
                users: readDemoUsers(own),
                allowed:
                  process.env.NODE_ENV === 'development' ||
                  own.getOptionalBoolean(
                    'dangerouslyAllowOutsideDevelopment',
                  ) === true,
              }),
              async authenticate({ req }, ctx) {
                if (!ctx.allowed) {
                  throw new NotImplementedError(
                    'The demoUsers provider lets anyone pick who they are; it works in development only unless auth.providers.demoUsers.dangerouslyAllowOutsideDevelopment is true',
                  );
                }
                const userRef = demoUserOf(
                  req.headers[DEMO_USER_HEADER],
                  ctx.users,
                );
                return { result: { userRef } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userRef }),
          }),
        });
      },
    });
  },
});
