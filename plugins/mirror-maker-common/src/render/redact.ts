import { escapeProperties, unescapeProperties } from './escape/properties';
import { JAAS_PROPERTY_KEY, SECRET_PROPERTY_KEYS } from './kafka/security';
import { Bundle, BundleFile } from './types';

/** What replaces a secret value in a redacted bundle. */
export const SECRET_MARKER = '<redacted>';

/** Splits a `key=value` line as we write them: at the first unescaped `=`. */
function splitLine(line: string): { key: string; value: string } | undefined {
  if (line === '' || line.startsWith('#') || line.startsWith('!'))
    return undefined;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
    } else if (line[i] === '=') {
      return {
        key: unescapeProperties(line.slice(0, i)),
        value: unescapeProperties(line.slice(i + 1)),
      };
    }
  }
  return undefined;
}

/** A quoted JAAS option value: `password="..."` with `\` escapes. */
const JAAS_PASSWORD = /(\bpassword=)"(?:[^"\\]|\\.)*"/g;

function redactProperties(content: string): string {
  return content
    .split('\n')
    .map(line => {
      const entry = splitLine(line);
      if (!entry) return line;
      let value: string;
      if (SECRET_PROPERTY_KEYS.includes(entry.key)) {
        value = SECRET_MARKER;
      } else if (entry.key === JAAS_PROPERTY_KEY) {
        value = entry.value.replace(JAAS_PASSWORD, `$1"${SECRET_MARKER}"`);
      } else {
        return line;
      }
      return `${escapeProperties(entry.key, 'key')}=${escapeProperties(value)}`;
    })
    .join('\n');
}

function redactFile(file: BundleFile): BundleFile {
  if (!file.secret) return file;
  if (file.path.endsWith('.properties')) {
    return { ...file, content: redactProperties(file.content) };
  }
  // A secret file in a format we cannot take apart shows nothing.
  return { ...file, content: SECRET_MARKER };
}

/**
 * A copy of `bundle` safe to show: in every secret file, each secret value
 * is replaced by {@link SECRET_MARKER}; keys and all other values stay.
 */
export function redactBundle(bundle: Bundle): Bundle {
  return {
    name: bundle.name,
    nodes: bundle.nodes.map(node => ({
      host: node.host,
      files: node.files.map(redactFile),
    })),
    files: bundle.files.map(redactFile),
  };
}
