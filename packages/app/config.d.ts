export interface Config {
  app?: {
    /**
     * Users the demo's sign-in page offers (besides the guest). Each needs
     * the backend's `auth.providers.demoUsers` provider to list it too.
     * Leave it out outside the demo: the page is then the guest sign-in.
     * @visibility frontend
     */
    demoSignIn?: {
      /** @visibility frontend */
      users: Array<{
        /**
         * The User entity, e.g. `user:default/alice`.
         * @visibility frontend
         */
        userEntityRef: string;
        /**
         * Button title, e.g. `Alice (team-dc2)`.
         * @visibility frontend
         */
        title: string;
        /**
         * What this user may do, shown on the card.
         * @visibility frontend
         */
        description?: string;
      }>;
    };
  };
}
