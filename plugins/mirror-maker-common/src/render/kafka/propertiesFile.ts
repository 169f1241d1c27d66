import { commentText } from '../escape/comment';
import { escapeProperties } from '../escape/properties';

/** A titled group of `key=value` lines; keys are written sorted. */
export interface PropertiesSection {
  title: string;
  entries: Record<string, string>;
}

/**
 * Writes a `.properties` file: a comment header, then each non-empty
 * section under its own comment, keys sorted. A key may appear only once in
 * the whole file (Java keeps the last one, which would hide a mistake).
 */
export function renderProperties(
  header: string[],
  sections: PropertiesSection[],
): string {
  const lines = header.map(line =>
    `# ${commentText(line, 'header')}`.trimEnd(),
  );
  const seen = new Set<string>();
  for (const section of sections) {
    const keys = Object.keys(section.entries).sort();
    if (keys.length === 0) continue;
    lines.push('', `# ${commentText(section.title, 'section title')}`);
    for (const key of keys) {
      if (seen.has(key)) {
        throw new Error(
          `property ${JSON.stringify(key)} would be written twice`,
        );
      }
      seen.add(key);
      lines.push(
        `${escapeProperties(key, 'key')}=${escapeProperties(
          section.entries[key],
        )}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
