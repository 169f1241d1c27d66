/** Longest topic name Kafka accepts. */
export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * Checks a Kafka topic name with the same rules as Kafka's own `Topic.validate`.
 *
 * @returns undefined when the name is legal, otherwise a message that says what
 *   is wrong and what is accepted.
 */
export function validateTopicName(name: string): string | undefined {
  if (name.length === 0) {
    return 'topic name is empty; use 1 to 249 characters of [a-zA-Z0-9._-]';
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `topic name is ${name.length} characters long; Kafka accepts at most ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (name === '.' || name === '..') {
    return `topic name "${name}" is reserved by Kafka`;
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    const bad = [...name].find(c => !/[a-zA-Z0-9._-]/.test(c)) ?? '';
    const shown = JSON.stringify(bad);
    return `topic name contains ${shown}; only ASCII letters, digits, '.', '_' and '-' are accepted`;
  }
  return undefined;
}

/**
 * The data-centre suffix of a topic: the part after its last dot
 * (`orders.dc1` -> `dc1`), or undefined when the name has none.
 */
export function topicSuffix(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    return undefined;
  }
  return name.slice(dot + 1);
}
