import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/** The services the actions that call the mirror-maker backend need. */
export interface MirrorMakerBackendOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/** A field-level problem as the backend reports it (requests use `field`, entities `path`). */
interface ReportedProblem {
  field?: string;
  path?: string;
  message?: string;
  severity?: string;
}

const PLUGIN_ID = 'mirror-maker';
const MAX_DETAIL = 500;

/**
 * Calls the mirror-maker backend as the task's initiator, so the backend's
 * permission checks apply to the person who ran the template, not to the
 * scaffolder.
 */
export async function callMirrorMaker<T>(
  options: MirrorMakerBackendOptions,
  credentials: BackstageCredentials,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
  signal?: AbortSignal,
): Promise<T> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: PLUGIN_ID,
  });
  const baseUrl = await options.discovery.getBaseUrl(PLUGIN_ID);
  const url = `${baseUrl}${request.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(request.body !== undefined && {
          'Content-Type': 'application/json',
        }),
      },
      body:
        request.body !== undefined ? JSON.stringify(request.body) : undefined,
      signal,
    });
  } catch (e) {
    throw new Error(
      `${request.method} ${url} failed: ${
        e instanceof Error ? e.message : String(e)
      }; is the mirror-maker backend plugin installed and running?`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw errorFromResponse(request.method, url, response.status, text);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(
      `${request.method} ${url} answered ${
        response.status
      } with a body that is not JSON: ${excerpt(text)}`,
    );
  }
}

/** Turns an error answer into the `@backstage/errors` error of its status, listing every problem. */
function errorFromResponse(
  method: string,
  url: string,
  status: number,
  text: string,
): Error {
  let message: string | undefined;
  let problems: ReportedProblem[] = [];
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body?.error?.problems)) problems = body.error.problems;
  } catch {
    // Not JSON (a proxy's HTML page, say): report the text itself.
  }
  const lines = problems
    .map(p => {
      const where = p.field ?? p.path ?? '(request)';
      const prefix = p.severity === 'warning' ? 'warning: ' : '';
      return `${prefix}${where}: ${p.message ?? 'is not accepted'}`;
    })
    // The message may already list them.
    .filter(line => !message?.includes(line));
  const detail =
    [message, ...lines].filter(Boolean).join('\n') ||
    excerpt(text) ||
    '(empty body)';
  switch (status) {
    case 400:
      return new InputError(detail);
    case 401:
    case 403:
      return new NotAllowedError(detail);
    case 404:
      // An empty 404 means the route itself is missing, not the thing asked for.
      return new NotFoundError(
        detail === '(empty body)'
          ? `${method} ${url} answered 404 with an empty body; is the mirror-maker backend plugin installed and up to date?`
          : detail,
      );
    case 409:
      return new ConflictError(detail);
    default:
      return new Error(`${method} ${url} failed with ${status}: ${detail}`);
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}...` : flat;
}
