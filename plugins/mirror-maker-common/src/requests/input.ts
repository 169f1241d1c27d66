import { normalizeEntityRef } from '../catalog/resolve';
import { validateTopicName } from '../topics/names';
import { RequestProblem } from './types';

/** Most topics one request may name. */
export const MAX_REQUEST_TOPICS = 100;
/** Longest reason (request, approval note, rejection, cancellation). */
export const MAX_REQUEST_REASON_LENGTH = 2000;

const FIELDS = [
  'team',
  'service',
  'topics',
  'suffix',
  'sourceDataCentre',
  'targetDataCentre',
  'reason',
  'desiredDate',
  'newDeployment',
];

const SUFFIX = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_CENTRE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const KIND = /^[a-z][a-z0-9]{0,62}$/;
const NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_REF_LENGTH = 255;

/** A request as checked: refs normalized, whitespace trimmed, defaults filled. */
export interface CheckedRequestInput {
  team: string;
  service?: string;
  topics?: string[];
  suffix?: string;
  sourceDataCentre: string;
  targetDataCentre: string;
  reason: string;
  desiredDate?: string;
  newDeployment: boolean;
}

function err(field: string, message: string): RequestProblem {
  return { field, message, severity: 'error' };
}

/** Quotes a user-supplied value for a message, cut short and with controls escaped. */
export function quoteValue(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return escapeLineBreaks(JSON.stringify(cut));
}

/**
 * Escapes what JSON leaves alone but would break a message's single line
 * in logs and UIs: C1 controls and the Unicode line separators.
 */
function escapeLineBreaks(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Parses and normalizes an entity ref given by a user (`team-dc1`,
 * `group:team-dc1`, `group:default/team-dc1`).
 *
 * @returns the normalized ref (`group:default/team-dc1`), or what is wrong
 */
export function parseEntityRefInput(
  value: unknown,
  defaultKind: string,
): { ref: string } | { error: string } {
  const example = `e.g. ${defaultKind}:default/name`;
  if (typeof value !== 'string' || value.trim() === '') {
    return { error: `needs an entity ref, ${example}` };
  }
  if (value.length > MAX_REF_LENGTH) {
    return {
      error: `is ${value.length} characters long; an entity ref has at most ${MAX_REF_LENGTH}`,
    };
  }
  const ref = normalizeEntityRef(value.trim(), defaultKind);
  const m = /^([^:]*):([^/]*)\/(.*)$/.exec(ref);
  if (!m || !KIND.test(m[1]) || !NAME.test(m[2]) || !NAME.test(m[3])) {
    return {
      error: `${quoteValue(
        value,
      )} is not an entity ref; use [kind:][namespace/]name with letters, digits, '.', '_' and '-', ${example}`,
    };
  }
  return { ref };
}

/** Whether a `YYYY-MM-DD` string names a real calendar date. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

function textField(
  problems: RequestProblem[],
  field: string,
  value: unknown,
  args: { required: boolean; max: number; what: string },
): string | undefined {
  if (value === undefined || value === null) {
    if (args.required) problems.push(err(field, `is required: ${args.what}`));
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(err(field, `must be text: ${args.what}`));
    return undefined;
  }
  if (value.includes('\u0000')) {
    problems.push(err(field, `contains a NUL character; ${args.what}`));
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    if (args.required) problems.push(err(field, `is empty: ${args.what}`));
    return undefined;
  }
  if (trimmed.length > args.max) {
    problems.push(
      err(
        field,
        `is ${trimmed.length} characters long; at most ${args.max} are accepted`,
      ),
    );
    return undefined;
  }
  return trimmed;
}

/**
 * Checks what can be checked of a request without the catalog or the
 * clusters: types, lengths, names and dates. Live checks (data centres,
 * topic existence, deployments, loops) come after, in the backend.
 *
 * @param today - `YYYY-MM-DD` in UTC, for the desired-date warning
 */
export function checkRequestInput(
  body: unknown,
  today: string,
): { problems: RequestProblem[]; input?: CheckedRequestInput } {
  const problems: RequestProblem[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      problems: [
        err(
          '(body)',
          `must be a JSON object with the fields ${FIELDS.join(', ')}`,
        ),
      ],
    };
  }
  const raw = body as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key)) {
      problems.push(
        err(
          quoteValue(key, 40).slice(1, -1),
          `is not a field of a replication request; accepted: ${FIELDS.join(
            ', ',
          )}`,
        ),
      );
    }
  }

  let team: string | undefined;
  const teamRef = parseEntityRefInput(raw.team, 'group');
  if ('error' in teamRef) {
    problems.push(err('team', teamRef.error));
  } else if (!teamRef.ref.startsWith('group:')) {
    problems.push(
      err(
        'team',
        `${teamRef.ref} is not a Group; name your team's group, e.g. group:default/team-dc1`,
      ),
    );
  } else {
    team = teamRef.ref;
  }

  let service: string | undefined;
  if (raw.service !== undefined && raw.service !== null && raw.service !== '') {
    const serviceRef = parseEntityRefInput(raw.service, 'component');
    if ('error' in serviceRef) problems.push(err('service', serviceRef.error));
    else service = serviceRef.ref;
  }

  let topics: string[] | undefined;
  let suffix: string | undefined;
  const hasTopics = raw.topics !== undefined && raw.topics !== null;
  const hasSuffix = raw.suffix !== undefined && raw.suffix !== null;
  if (hasTopics && hasSuffix) {
    problems.push(err('suffix', 'give either topics or suffix, not both'));
  } else if (!hasTopics && !hasSuffix) {
    problems.push(
      err(
        'topics',
        'is required: list the topics to replicate, e.g. ["orders.dc1"]',
      ),
    );
  }
  if (hasTopics) {
    if (!Array.isArray(raw.topics)) {
      problems.push(err('topics', 'must be a list of topic names'));
    } else if (raw.topics.length === 0) {
      problems.push(err('topics', 'is empty; name at least one topic'));
    } else if (raw.topics.length > MAX_REQUEST_TOPICS) {
      problems.push(
        err(
          'topics',
          `lists ${raw.topics.length} topics; at most ${MAX_REQUEST_TOPICS} per request are accepted`,
        ),
      );
    } else {
      const seen = new Map<string, number>();
      const valid: string[] = [];
      raw.topics.forEach((topic: unknown, i: number) => {
        const field = `topics[${i}]`;
        if (typeof topic !== 'string') {
          problems.push(err(field, 'must be a topic name (text)'));
          return;
        }
        const problem = validateTopicName(topic);
        if (problem) {
          problems.push(
            err(field, `${quoteValue(topic)}: ${escapeLineBreaks(problem)}`),
          );
          return;
        }
        const earlier = seen.get(topic);
        if (earlier !== undefined) {
          problems.push(
            err(field, `${topic} is listed twice (also topics[${earlier}])`),
          );
          return;
        }
        seen.set(topic, i);
        valid.push(topic);
      });
      topics = valid;
    }
  }
  if (hasSuffix) {
    if (typeof raw.suffix !== 'string' || !SUFFIX.test(raw.suffix)) {
      problems.push(
        err(
          'suffix',
          `${
            typeof raw.suffix === 'string' ? quoteValue(raw.suffix) : 'this'
          } is not a data-centre suffix; use 1 to 64 of [A-Za-z0-9_-] without the dot, e.g. dc1`,
        ),
      );
    } else {
      suffix = raw.suffix;
    }
  }

  const dc = (field: string) => {
    const value = textField(problems, field, raw[field], {
      required: true,
      max: 63,
      what: 'a data centre, e.g. dc1',
    });
    if (value !== undefined && !DATA_CENTRE.test(value)) {
      problems.push(
        err(
          field,
          `${quoteValue(
            value,
          )} is not a data-centre name; use letters, digits, '.', '_' and '-', e.g. dc1`,
        ),
      );
      return undefined;
    }
    return value;
  };
  const sourceDataCentre = dc('sourceDataCentre');
  const targetDataCentre = dc('targetDataCentre');
  if (sourceDataCentre !== undefined && sourceDataCentre === targetDataCentre) {
    problems.push(
      err(
        'targetDataCentre',
        `is the source data centre (${sourceDataCentre}); topics are replicated to another data centre`,
      ),
    );
  }

  const reason = textField(problems, 'reason', raw.reason, {
    required: true,
    max: MAX_REQUEST_REASON_LENGTH,
    what: `say why the topics are needed (1 to ${MAX_REQUEST_REASON_LENGTH} characters)`,
  });

  let desiredDate: string | undefined;
  if (
    raw.desiredDate !== undefined &&
    raw.desiredDate !== null &&
    raw.desiredDate !== ''
  ) {
    if (
      typeof raw.desiredDate !== 'string' ||
      !isCalendarDate(raw.desiredDate)
    ) {
      problems.push(
        err(
          'desiredDate',
          `${
            typeof raw.desiredDate === 'string'
              ? quoteValue(raw.desiredDate)
              : 'this'
          } is not a date; use YYYY-MM-DD, e.g. 2026-12-01`,
        ),
      );
    } else {
      desiredDate = raw.desiredDate;
      if (desiredDate < today) {
        problems.push({
          field: 'desiredDate',
          message: `${desiredDate} is in the past (today is ${today} UTC)`,
          severity: 'warning',
        });
      }
    }
  }

  let newDeployment = false;
  if (raw.newDeployment !== undefined && raw.newDeployment !== null) {
    if (typeof raw.newDeployment !== 'boolean') {
      problems.push(err('newDeployment', 'must be true or false'));
    } else {
      newDeployment = raw.newDeployment;
    }
  }
  if (hasSuffix && !hasTopics && !newDeployment) {
    problems.push(
      err(
        'suffix',
        'is only accepted with newDeployment: true (a new deployment for a whole data centre); to add topics to an existing deployment, list them in topics',
      ),
    );
  }

  if (problems.some(p => p.severity === 'error')) return { problems };
  const input: CheckedRequestInput = {
    team: team!,
    ...(service ? { service } : {}),
    ...(topics ? { topics } : {}),
    ...(suffix ? { suffix } : {}),
    sourceDataCentre: sourceDataCentre!,
    targetDataCentre: targetDataCentre!,
    reason: reason!,
    ...(desiredDate ? { desiredDate } : {}),
    newDeployment,
  };
  return { problems, input };
}

/** The problems as one line, errors only, for an error message. */
export function formatRequestProblems(problems: RequestProblem[]): string {
  return problems
    .filter(p => p.severity === 'error')
    .map(p => `${p.field}: ${p.message}`)
    .join('; ');
}
