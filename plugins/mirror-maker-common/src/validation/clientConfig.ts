import {
  CONSUMER_CONFIG_KEYS,
  KAFKA_CLIENTS_VERSION,
  KafkaConfigType,
  PRODUCER_CONFIG_KEYS,
} from '../kafka/configKeys.generated';
import { consumerForbiddenReason } from '../render/kafka/consumer';
import { producerForbiddenReason } from '../render/kafka/producer';
import { closest, error, ValidationProblem, warning } from './problems';
import { controlCharacterProblem, printable } from './values';

const INT_RANGE: Partial<Record<KafkaConfigType, [bigint, bigint]>> = {
  SHORT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  LONG: [-9223372036854775808n, 9223372036854775807n],
};

function valueProblem(
  type: KafkaConfigType,
  value: string | number | boolean,
): string | undefined {
  const text = String(value);
  const control = controlCharacterProblem(text);
  if (control) return control;
  if (text.length > 4096) return 'is longer than 4096 characters';
  switch (type) {
    case 'BOOLEAN':
      return /^(true|false)$/i.test(text)
        ? undefined
        : `"${printable(text)}" is not a boolean; use true or false`;
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      if (!/^-?\d{1,19}$/.test(text)) {
        return `"${printable(text)}" is not an integer`;
      }
      const [min, max] = INT_RANGE[type]!;
      const n = BigInt(text);
      return n < min || n > max
        ? `${text} is out of range for a ${type.toLowerCase()} (${min} to ${max})`
        : undefined;
    }
    case 'DOUBLE':
      return Number.isFinite(Number(text)) && text.trim() !== ''
        ? undefined
        : `"${printable(text)}" is not a number`;
    default:
      return undefined;
  }
}

/**
 * Keys the model sets itself (like Strimzi's forbidden prefixes): the same
 * rules the renderer enforces, so validation refuses what rendering would.
 */
function forbiddenReason(
  kind: 'consumer' | 'producer',
  key: string,
): string | undefined {
  return kind === 'consumer'
    ? consumerForbiddenReason(key)
    : producerForbiddenReason(key);
}

/** Validates `spec.consumer` or `spec.producer` overrides against kafka-clients' own key list. */
export function validateClientOverrides(
  kind: 'consumer' | 'producer',
  overrides: Record<string, string | number | boolean> | undefined,
  abortOnSendFailure: boolean,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const known =
    kind === 'consumer' ? CONSUMER_CONFIG_KEYS : PRODUCER_CONFIG_KEYS;
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const path = `spec.${kind}.${key}`;
    const forbidden = forbiddenReason(kind, key);
    if (forbidden) {
      problems.push(error(path, `cannot be overridden: ${forbidden}`));
      continue;
    }
    const type = known[key];
    if (!type) {
      const hint = closest(key, Object.keys(known));
      const suggestion = hint ? `; did you mean "${hint}"?` : '';
      problems.push(
        error(
          path,
          `"${printable(
            key,
          )}" is not a ${kind} configuration key of kafka-clients ${KAFKA_CLIENTS_VERSION}${suggestion}`,
        ),
      );
      continue;
    }
    const issue = valueProblem(type, value);
    if (issue) {
      problems.push(error(path, issue));
    }
  }
  if (kind === 'producer') {
    problems.push(...producerSafety(overrides ?? {}, abortOnSendFailure));
  }
  return problems;
}

/** The seed's silent-loss and reordering traps. */
function producerSafety(
  overrides: Record<string, string | number | boolean>,
  abortOnSendFailure: boolean,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const inFlight = Number(
    overrides['max.in.flight.requests.per.connection'] ?? 1,
  );
  const idempotent =
    String(overrides['enable.idempotence'] ?? 'true') !== 'false';
  if (inFlight > 1 && !idempotent) {
    problems.push(
      error(
        'spec.producer.max.in.flight.requests.per.connection',
        `${inFlight} with enable.idempotence=false lets retries reorder records; keep 1, or keep idempotence on (up to 5)`,
      ),
    );
  }
  for (const key of ['max.block.ms', 'delivery.timeout.ms']) {
    if (key in overrides) {
      const message = `a finite ${key} turns a slow or missing destination into failed sends; MirrorMaker's default waits forever`;
      problems.push(
        abortOnSendFailure
          ? warning(
              `spec.producer.${key}`,
              `${message} (the process then stops, as abortOnSendFailure is true)`,
            )
          : error(
              `spec.producer.${key}`,
              `${message}, and with abortOnSendFailure=false those records are dropped silently; remove the override or set abortOnSendFailure to true`,
            ),
      );
    }
  }
  return problems;
}
