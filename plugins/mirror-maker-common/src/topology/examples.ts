/**
 * Example topic names for a topic pattern. A pattern like `orders\..*`
 * carries no suffix, so the probe names of the suffixes do not match it;
 * to follow where its topics go, the analysis needs names it matches, such
 * as `orders.dc1`.
 */

class Unsupported extends Error {}

/** Builds the shortest strings a (Java/RE2) regular expression matches. */
class ShortestString {
  private i = 0;

  constructor(private readonly re: string) {}

  /** The shortest match of each top-level alternative. */
  run(): string[] {
    const results = [this.concatenation()];
    while (this.re[this.i] === '|') {
      this.i++;
      results.push(this.concatenation());
    }
    if (this.i !== this.re.length) throw new Unsupported();
    return results;
  }

  private alternation(): string {
    let best = this.concatenation();
    while (this.re[this.i] === '|') {
      this.i++;
      const next = this.concatenation();
      if (next.length < best.length) best = next;
    }
    return best;
  }

  private concatenation(): string {
    let out = '';
    while (this.i < this.re.length) {
      const c = this.re[this.i];
      if (c === '|' || c === ')') break;
      const atom = this.atom();
      out += this.quantified(atom);
    }
    return out;
  }

  private quantified(atom: string): string {
    const c = this.re[this.i];
    let result = atom;
    if (c === '*' || c === '?') {
      this.i++;
      result = '';
    } else if (c === '+') {
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.re.slice(this.i));
      if (!m) throw new Unsupported();
      this.i += m[0].length;
      result = atom.repeat(Number(m[1]));
    } else {
      return result;
    }
    // lazy or possessive modifier
    if (this.re[this.i] === '?' || this.re[this.i] === '+') this.i++;
    return result;
  }

  private atom(): string {
    const c = this.re[this.i++];
    switch (c) {
      case '(': {
        if (this.re[this.i] === '?') {
          const m = /^\?(?::|P?<[A-Za-z]\w*>|[a-zA-Z-]*:)/.exec(
            this.re.slice(this.i),
          );
          if (m) {
            this.i += m[0].length;
          } else {
            // a flag group such as (?i) changes nothing we generate
            const flags = /^\?[a-zA-Z-]*\)/.exec(this.re.slice(this.i));
            if (!flags) throw new Unsupported();
            this.i += flags[0].length;
            return '';
          }
        }
        const inner = this.alternation();
        if (this.re[this.i++] !== ')') throw new Unsupported();
        return inner;
      }
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape(false);
      case '.':
        return 'x';
      case '^':
      case '$':
        return '';
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new Unsupported();
      default:
        return c;
    }
  }

  private escape(inClass: boolean): string {
    const c = this.re[this.i++];
    if (c === undefined) throw new Unsupported();
    if (c === 'Q') {
      const end = this.re.indexOf('\\E', this.i);
      const text = this.re.slice(this.i, end < 0 ? undefined : end);
      this.i = end < 0 ? this.re.length : end + 2;
      return text;
    }
    const classes: Record<string, string> = {
      d: '0',
      D: 'a',
      w: 'a',
      W: '-',
      s: ' ',
      S: 'a',
    };
    if (c in classes) return classes[c];
    if (!inClass && 'bBAzZG'.includes(c)) return '';
    if (/[a-zA-Z0-9]/.test(c)) throw new Unsupported();
    return c;
  }

  /** The first character a class accepts, preferring topic-name characters. */
  private characterClass(): string {
    const negated = this.re[this.i] === '^';
    if (negated) this.i++;
    const members: string[] = [];
    const ranges: [string, string][] = [];
    let first = true;
    while (this.i < this.re.length && (first || this.re[this.i] !== ']')) {
      first = false;
      let ch = this.re[this.i++];
      if (ch === '[') throw new Unsupported();
      if (ch === '\\') ch = this.escape(true);
      if (this.re[this.i] === '-' && this.re[this.i + 1] !== ']') {
        this.i++;
        let to = this.re[this.i++];
        if (to === '\\') to = this.escape(true);
        ranges.push([ch, to]);
      } else {
        members.push(ch);
      }
    }
    if (this.re[this.i++] !== ']') throw new Unsupported();
    const accepts = (x: string) =>
      members.includes(x) || ranges.some(([a, b]) => a <= x && x <= b);
    if (!negated) {
      if (ranges.length > 0) return ranges[0][0];
      if (members.length > 0) return members[0];
      throw new Unsupported();
    }
    const found = [...'xa0_-.'].find(x => !accepts(x));
    if (found === undefined) throw new Unsupported();
    return found;
  }
}

/**
 * The shortest string each top-level alternative of a pattern matches
 * (`orders\..*|payments` -> `orders.`, `payments`), or an empty list for
 * syntax this reader does not know.
 */
export function shortestMatches(pattern: string): string[] {
  try {
    return new ShortestString(pattern).run();
  } catch (error) {
    if (error instanceof Unsupported) return [];
    throw error;
  }
}

/**
 * Candidate names for a pattern: the shortest match of each alternative,
 * and that match with each suffix appended (`orders.` -> `orders.dc1`) or
 * joined by a dot (`orders` -> `orders.dc1`). Only legal topic names are
 * returned; the caller keeps those the pattern really matches.
 */
export function exampleCandidates(
  pattern: string,
  suffixes: string[],
): string[] {
  const candidates: string[] = [];
  for (const base of shortestMatches(pattern)) {
    candidates.push(base);
    for (const suffix of suffixes) {
      candidates.push(`${base}${suffix}`, `${base}.${suffix}`);
    }
  }
  return [...new Set(candidates)].filter(name =>
    /^[A-Za-z0-9._-]{1,249}$/.test(name),
  );
}
