import { LoggerService } from '@backstage/backend-plugin-api';

/** One message about a replication request. */
export interface RequestNotification {
  /** Entity refs: users, or groups (their members are told). */
  recipients: string[];
  title: string;
  description: string;
  /** Path in the Backstage app, e.g. `/mirror-maker/requests/<id>`. */
  link: string;
  /** Groups the messages of one request (notifications replace older ones of the same scope). */
  scope: string;
  severity?: 'normal' | 'high';
}

/** Tells requesters and approvers what happened to a request. */
export interface RequestNotifier {
  notify(notification: RequestNotification): Promise<void>;
}

/**
 * The part of `@backstage/plugin-notifications-node`'s NotificationService
 * used here, so that the service can be passed in where the package is
 * installed without this plugin depending on it.
 */
export interface NotificationSender {
  send(options: {
    recipients: { type: 'entity'; entityRef: string | string[] };
    payload: {
      title: string;
      description?: string;
      link?: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
      topic?: string;
      scope?: string;
    };
  }): Promise<void>;
}

/**
 * Sends through Backstage notifications when a sender is given; otherwise
 * (or when sending fails) the request queue in the UI is where people see
 * it. A failure never fails the request, and is logged once.
 */
export class BackstageRequestNotifier implements RequestNotifier {
  private warned = false;

  constructor(
    private readonly options: {
      logger: LoggerService;
      sender?: NotificationSender;
    },
  ) {}

  async notify(n: RequestNotification): Promise<void> {
    const { sender, logger } = this.options;
    if (!sender || n.recipients.length === 0) return;
    try {
      await sender.send({
        recipients: { type: 'entity', entityRef: n.recipients },
        payload: {
          title: n.title,
          description: n.description,
          link: n.link,
          severity: n.severity ?? 'normal',
          topic: 'mirror-maker-requests',
          scope: n.scope,
        },
      });
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        logger.warn(
          `Replication request notifications could not be sent (further failures are not logged): ${error}`,
        );
      }
    }
  }
}
