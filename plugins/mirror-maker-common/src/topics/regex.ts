import { RE2JS } from 're2js';

/** Longest regular expression accepted in a spec, in characters. */
export const MAX_REGEX_LENGTH = 4096;

/**
 * Constructs that Java's `java.util.regex` and RE2 read differently, or that
 * only one of them knows. MirrorMaker compiles the pattern with Java; we
 * match with RE2 (linear time); both must agree on every topic name.
 */
const JAVA_RE2_DIFFERENCES: { pattern: RegExp; message: string }[] = [
  {
    pattern: /\(\?[a-zA-Z-]*U/,
    message:
      'the (?U) flag means UNICODE_CHARACTER_CLASS in Java but "ungreedy" in RE2; leave it out',
  },
  {
    pattern: /\\v/,
    message:
      '\\v is any vertical whitespace in Java but only the vertical tab in RE2; topic names contain neither',
  },
  {
    pattern: /\\0/,
    message:
      'octal escapes (\\0...) differ between Java and RE2; write the character itself',
  },
  {
    pattern: /&&/,
    message:
      'character-class intersection (&&) exists only in Java; list the characters instead',
  },
];

/**
 * Kafka's topic filter turns every comma into `|`, deletes spaces and strips
 * leading or trailing quotes before compiling, so these would change the
 * pattern behind the user's back (`a{1,3}` becomes `a{1|3}`).
 */
const MANGLED_BY_KAFKA: { pattern: RegExp; message: string }[] = [
  {
    pattern: /,/,
    message:
      'contains ","; MirrorMaker replaces commas with "|" before compiling (so {1,3} would break); write alternatives with "|"',
  },
  {
    pattern: /\s/,
    message:
      'contains whitespace; MirrorMaker deletes spaces before compiling, and topic names cannot contain whitespace',
  },
  {
    pattern: /^["']|["']$/,
    message:
      'starts or ends with a quote, which MirrorMaker strips; leave the quotes out',
  },
];

/** Finds a `[` inside a character class (a nested class: Java unions it, RE2 reads it literally). */
function hasNestedCharacterClass(regex: string): boolean {
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (!inClass && c === '[') {
      inClass = true;
      // a leading ']' or '^]' is a literal inside the class
      if (regex[i + 1] === '^') i++;
      if (regex[i + 1] === ']') i++;
    } else if (inClass && c === '[') {
      return true;
    } else if (inClass && c === ']') {
      inClass = false;
    }
  }
  return false;
}

/**
 * Checks a topic regular expression as MirrorMaker (Java) and RE2 would read
 * it. Returns the problems found (empty when the expression is accepted).
 */
export function checkTopicRegex(regex: string): string[] {
  if (regex.length === 0) {
    return ['is empty; give a Java regular expression such as .*\\.dc1'];
  }
  if (regex.length > MAX_REGEX_LENGTH) {
    return [
      `is ${regex.length} characters long; at most ${MAX_REGEX_LENGTH} are accepted`,
    ];
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(regex)) {
    return [
      'contains a control character or line separator; those can never match a topic name',
    ];
  }
  if (/[^\u0020-\u007e]/.test(regex)) {
    return [
      'contains a non-ASCII character; topic names are ASCII letters, digits, ".", "_" and "-" only',
    ];
  }
  const problems: string[] = [];
  for (const { pattern, message } of MANGLED_BY_KAFKA) {
    if (pattern.test(regex)) problems.push(message);
  }
  for (const { pattern, message } of JAVA_RE2_DIFFERENCES) {
    if (pattern.test(regex)) problems.push(message);
  }
  if (hasNestedCharacterClass(regex)) {
    problems.push(
      'has "[" inside a character class; Java reads it as a nested class, RE2 as a literal; escape it as \\[',
    );
  }
  if (problems.length > 0) return problems;
  try {
    RE2JS.compile(regex);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      `is not accepted by RE2 (${reason}); lookarounds, backreferences, possessive quantifiers and atomic groups are not supported`,
    ];
  }
  return [];
}

/** Quotes a legal topic name for use inside a regular expression (Java and RE2). */
export function quoteTopicName(name: string): string {
  // Topic names hold only [a-zA-Z0-9._-]; of those only '.' is special
  // (and '-' only inside a class, which we never build).
  return name.replace(/\./g, '\\.');
}

/** Compiles a pattern for whole-name matching (MirrorMaker uses Matcher.matches()). */
export function compileTopicRegex(regex: string): RE2JS {
  return RE2JS.compile(regex);
}
