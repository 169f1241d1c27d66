import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** Where the chosen demo user is remembered across reloads. */
export const DEMO_USER_STORAGE_KEY = 'mirrorMaker.demoSignIn.user';
/** The choice that means the guest provider. */
const GUEST = 'guest';
/** Must match the backend's demoUsers provider. */
const DEMO_USER_HEADER = 'x-mirror-maker-demo-user';

export interface DemoUser {
  userEntityRef: string;
  title: string;
  description?: string;
}

/** `app.demoSignIn.users`, or none when the section is absent. */
function useDemoUsers(): DemoUser[] {
  const config = useApi(configApiRef);
  return (config.getOptionalConfigArray('app.demoSignIn.users') ?? []).map(
    user => ({
      userEntityRef: user.getString('userEntityRef'),
      title: user.getString('title'),
      description: user.getOptionalString('description'),
    }),
  );
}

function remembered(): string | undefined {
  try {
    return window.localStorage.getItem(DEMO_USER_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(choice: string | undefined) {
  try {
    if (choice) window.localStorage.setItem(DEMO_USER_STORAGE_KEY, choice);
    else window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Forgets the chosen user on sign-out, so the picker shows again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      remember(undefined);
      await identity.signOut();
    },
  };
}

/**
 * The demo's sign-in: pick who to be (a product team member, a platform
 * owner, or the guest admin). With no `app.demoSignIn` in the config it is
 * the plain guest sign-in.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const users = useDemoUsers();
  const [choice, setChoice] = useState<string | undefined>(() => {
    const stored = remembered();
    return stored === GUEST || users.some(u => u.userEntityRef === stored)
      ? stored
      : undefined;
  });
  const onSignInSuccess = (identity: IdentityApi) =>
    props.onSignInSuccess(forgetOnSignOut(identity));

  if (users.length === 0) {
    return <SignInPage {...props} auto providers={['guest']} />;
  }
  if (choice === GUEST) {
    return (
      <SignInPage
        onSignInSuccess={onSignInSuccess}
        auto
        providers={['guest']}
      />
    );
  }
  if (choice) {
    return (
      <ProxiedSignInPage
        onSignInSuccess={onSignInSuccess}
        provider="demoUsers"
        headers={{ [DEMO_USER_HEADER]: choice }}
      />
    );
  }
  const pick = (value: string) => {
    remember(value);
    setChoice(value);
  };
  return (
    <Page themeId="home">
      <Header title="Sign in to the demo" subtitle="Choose who you are" />
      <Content>
        <Grid container spacing={3}>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.userEntityRef}>
              <InfoCard title={user.title}>
                <Typography variant="body2" paragraph>
                  {user.description ?? user.userEntityRef}
                </Typography>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => pick(user.userEntityRef)}
                >
                  Sign in as {user.title}
                </Button>
              </InfoCard>
            </Grid>
          ))}
          <Grid item xs={12} sm={6} md={4}>
            <InfoCard title="Guest">
              <Typography variant="body2" paragraph>
                The guest user of development mode.
              </Typography>
              <Button variant="outlined" onClick={() => pick(GUEST)}>
                Sign in as Guest
              </Button>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
