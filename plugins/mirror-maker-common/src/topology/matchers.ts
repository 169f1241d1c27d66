import { MirrorMakerTopics } from '../kind/types';
import { EffectiveTopics, effectiveTopics } from '../topics/effective';

/**
 * The text after a name's last dot, wherever that dot is (`.dc1` -> `dc1`,
 * `orders.` -> ``), or undefined without a dot. Unlike `topicSuffix` this is
 * exactly what decides whether `.*\.<literal>` matches the name.
 */
export function lastDotSuffix(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

/** A suffix that `.*\.<suffix>` matches literally (no regex metacharacters, no dot). */
const LITERAL_SUFFIX = /^[A-Za-z0-9_-]+$/;

/** `.*\.dc1`, optionally anchored. */
const SUFFIX_ALTERNATIVE = /^\^?\.\*\\\.([A-Za-z0-9_-]+)\$?$/;

/** `.*\.(dc1|dc2)` or `.*\.(?:dc1|dc2)`, optionally anchored. */
const SUFFIX_GROUP =
  /^\^?\.\*\\\.\((?:\?:)?([A-Za-z0-9_-]+(?:\|[A-Za-z0-9_-]+)*)\)\$?$/;

/**
 * Reads an include pattern that matches exactly the names ending in one of
 * a few literal suffixes. Returns undefined for anything else; such a
 * pattern is then matched with RE2 name by name.
 */
export function suffixSetOfPattern(pattern: string): string[] | undefined {
  const group = SUFFIX_GROUP.exec(pattern);
  if (group) return group[1].split('|');
  if (pattern.includes('(') || pattern.includes(')')) return undefined;
  const suffixes: string[] = [];
  for (const alternative of pattern.split('|')) {
    const m = SUFFIX_ALTERNATIVE.exec(alternative);
    if (!m) return undefined;
    suffixes.push(m[1]);
  }
  return suffixes;
}

/**
 * A deployment's effective topic set, with fast paths. Most deployments
 * select topics by suffix, by an explicit list, or both: for those a name
 * matches when it is one of `exceptions` or the text after its last dot is
 * one of `suffixes`, and no regular expression runs (`exact`). A suffix
 * rule with an `exclude` still skips RE2 for every name outside its
 * suffixes. (This agrees with RE2 on legal topic names: `.` matches
 * everything but a newline, which no topic name contains.)
 */
export interface TopicMatcher {
  effective?: EffectiveTopics;
  /** Why the topics could not be computed (an invalid pattern); the matcher then matches nothing. */
  error?: string;
  /**
   * Identifies the behaviour: matchers with the same key match the same
   * names (the effective `--include` pattern describes the whole set).
   */
  key: string;
  /** Names that match whatever the pattern says (the names rule's list, approved topics). */
  exceptions: Set<string>;
  /** When set, no other name can match unless the text after its last dot is one of these. */
  suffixes?: Set<string>;
  /** Every name whose last-dot text is in `suffixes` matches, so RE2 is never needed. */
  exact: boolean;
  /** The spec's include pattern, for the include rule. */
  pattern?: string;
}

export function createMatcher(
  topics: MirrorMakerTopics,
  approvedTopics: string[] | undefined,
): TopicMatcher {
  let effective: EffectiveTopics;
  try {
    effective = effectiveTopics(topics, approvedTopics ?? []);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      key: `\u0000invalid`,
      error: reason,
      exceptions: new Set(),
      suffixes: new Set(),
      exact: true,
    };
  }
  const key = effective.include;
  const hasExclude = topics.exclude !== undefined && topics.exclude !== '';
  let suffixes: string[] | undefined;
  if (topics.suffix !== undefined) {
    suffixes = LITERAL_SUFFIX.test(topics.suffix) ? [topics.suffix] : undefined;
  } else if (topics.include !== undefined) {
    suffixes = suffixSetOfPattern(topics.include);
  } else if (!hasExclude) {
    suffixes = [];
  }
  if (!suffixes) {
    return {
      effective,
      key,
      exceptions: new Set(effective.approved),
      exact: false,
      ...(effective.rule === 'include' ? { pattern: topics.include } : {}),
    };
  }
  // Without an exclude, the names rule's list is the whole set; otherwise
  // only approved names bypass the pattern.
  const exceptions =
    effective.rule === 'names' && !hasExclude
      ? effective.names
      : effective.approved;
  return {
    effective,
    key,
    exceptions: new Set(exceptions),
    suffixes: new Set(suffixes),
    exact: !hasExclude,
  };
}

/**
 * Matches names against matchers, remembering the answers of the slow
 * (RE2) path per matcher key and name: the same name is asked about on
 * many clusters and by many deployments that share a pattern.
 */
export class MatchCache {
  private readonly slow = new Map<string, Map<string, boolean>>();

  matches(matcher: TopicMatcher, name: string): boolean {
    if (matcher.exceptions.has(name)) return true;
    if (matcher.suffixes) {
      const suffix = lastDotSuffix(name);
      if (suffix === undefined || !matcher.suffixes.has(suffix)) return false;
      if (matcher.exact) return true;
    }
    return this.slowMatches(matcher, name);
  }

  private slowMatches(matcher: TopicMatcher, name: string): boolean {
    const effective = matcher.effective;
    if (!effective) return false;
    let answers = this.slow.get(matcher.key);
    if (!answers) {
      answers = new Map();
      this.slow.set(matcher.key, answers);
    }
    let answer = answers.get(name);
    if (answer === undefined) {
      answer = effective.matches(name);
      answers.set(name, answer);
    }
    return answer;
  }
}
