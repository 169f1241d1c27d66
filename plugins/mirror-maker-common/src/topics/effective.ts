import { MirrorMakerTopics } from '../kind/types';
import { compileTopicRegex, quoteTopicName } from './regex';

/** The topics a deployment replicates: its spec's rule plus approved requests. */
export interface EffectiveTopics {
  /** Which rule the spec uses. */
  rule: 'suffix' | 'include' | 'names';
  /**
   * The Java regular expression for MirrorMaker's `--include` (matched
   * against whole topic names). Contains no comma, space or quote.
   */
  include: string;
  /** Explicitly named topics: the spec's `names` plus approved ones, sorted. */
  names: string[];
  /** Topics added by approved requests, sorted. */
  approved: string[];
  /** Whether MirrorMaker would replicate this topic (RE2, linear time). */
  matches(topic: string): boolean;
}

function baseRegex(topics: MirrorMakerTopics): {
  rule: EffectiveTopics['rule'];
  regex: string;
} {
  if (topics.suffix !== undefined) {
    return { rule: 'suffix', regex: `.*\\.${topics.suffix}` };
  }
  if (topics.include !== undefined) {
    return { rule: 'include', regex: topics.include };
  }
  const names = [...new Set(topics.names ?? [])].sort();
  return { rule: 'names', regex: names.map(quoteTopicName).join('|') };
}

const cache = new Map<string, EffectiveTopics>();
const CACHE_SIZE = 1000;

/**
 * Computes the effective topic set of a deployment: (rule minus `exclude`)
 * plus the topics of approved requests. The inputs must have passed
 * validation (legal names, checked regexes); a pattern RE2 cannot read
 * throws.
 *
 * Results are remembered by their inputs (bounded): compiling the patterns
 * costs far more than anything else here, and validation, rendering and
 * topology ask for the same rules again and again. The result is frozen.
 */
export function effectiveTopics(
  topics: MirrorMakerTopics,
  approvedTopics: string[] = [],
): EffectiveTopics {
  const key = JSON.stringify([
    topics.suffix,
    topics.include,
    topics.names,
    topics.exclude,
    approvedTopics,
  ]);
  let result = cache.get(key);
  if (!result) {
    result = computeEffectiveTopics(topics, approvedTopics);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, result);
  }
  return result;
}

function computeEffectiveTopics(
  topics: MirrorMakerTopics,
  approvedTopics: string[] = [],
): EffectiveTopics {
  const base = baseRegex(topics);
  const approved = [...new Set(approvedTopics)].sort();
  const names = [...new Set([...(topics.names ?? []), ...approved])].sort();

  // MirrorMaker 1 has no exclude option; fold it into the include pattern
  // with a negative lookahead, which Java supports. Our own matching below
  // evaluates include and exclude separately with RE2.
  let include = topics.exclude
    ? `(?!(?:${topics.exclude})$)(?:${base.regex})`
    : base.regex;
  const extra = approved.filter(name => !(topics.names ?? []).includes(name));
  if (extra.length > 0) {
    include = `(?:${include})|${extra.map(quoteTopicName).join('|')}`;
  }

  const includeRe = base.regex ? compileTopicRegex(base.regex) : undefined;
  const excludeRe = topics.exclude
    ? compileTopicRegex(topics.exclude)
    : undefined;
  const approvedSet = new Set(approved);

  return Object.freeze({
    rule: base.rule,
    include,
    names: Object.freeze(names) as string[],
    approved: Object.freeze(approved) as string[],
    matches(topic: string): boolean {
      if (approvedSet.has(topic)) return true;
      if (!includeRe || !includeRe.matches(topic)) return false;
      return !excludeRe?.matches(topic);
    },
  });
}
