/**
 * An independent reading of `.properties` text that follows the algorithm of
 * `java.util.Properties.load` (logical lines, continuation, comments,
 * separators, escapes), for parse-back tests of the rendered files.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const physical = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < physical.length) {
    let line = physical[i++].replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // Join continuation lines: an odd number of trailing backslashes.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i <= physical.length) {
      line = line.slice(0, -1) + (physical[i++] ?? '').replace(/^[ \t\f]+/, '');
    }
    let keyEnd = 0;
    let hasSeparator = false;
    let valueStart = line.length;
    while (keyEnd < line.length) {
      const c = line[keyEnd];
      if (c === '\\') {
        keyEnd += 2;
        continue;
      }
      if (c === '=' || c === ':') {
        hasSeparator = true;
        valueStart = keyEnd + 1;
        break;
      }
      if (c === ' ' || c === '\t' || c === '\f') {
        valueStart = keyEnd + 1;
        break;
      }
      keyEnd++;
    }
    keyEnd = Math.min(keyEnd, line.length);
    while (valueStart < line.length) {
      const c = line[valueStart];
      if (c === ' ' || c === '\t' || c === '\f') {
        valueStart++;
      } else if (!hasSeparator && (c === '=' || c === ':')) {
        hasSeparator = true;
        valueStart++;
      } else {
        break;
      }
    }
    result.set(
      unescape(line.slice(0, keyEnd)),
      unescape(line.slice(valueStart)),
    );
  }
  return result;
}

function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw new Error(`Malformed \\uxxxx encoding: ${hex}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out +=
        ({ t: '\t', r: '\r', n: '\n', f: '\f' } as Record<string, string>)[
          next
        ] ?? next;
    }
  }
  return out;
}
