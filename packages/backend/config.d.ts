export interface Config {
  mirrorMaker?: {
    permissions?: {
      /**
       * Entity refs of the groups (or users) whose members may read secret
       * values in rendered MirrorMaker files. Everyone else sees a redaction
       * marker. Default: nobody.
       */
      secretReaders?: string[];
      /**
       * Entity refs of the groups (or users) whose members may approve
       * their own replication requests (permission
       * `mirrorMaker.request.selfApprove`). Admins are not exempt: four
       * eyes unless listed here. Default: nobody.
       */
      selfApprovers?: string[];
    };
  };
}
