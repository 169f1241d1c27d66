import { commentText } from '../escape/comment';
import { escapeProperties } from '../escape/properties';

/** A titled group of `key=value` lines; keys are written sorted. */
export interface PropertiesSection {
  title: string;
  entries: Record<string, string>;
}

/** The `# ...` comment lines of a `.properties` header. */
export function propertiesHeaderLines(header: string[]): string[] {
  return header.map(line => `# ${commentText(line, 'header')}`.trimEnd());
}

/**
 * The lines of each non-empty section: a blank line, its title as a
 * comment, then its `key=value` lines, keys sorted. `seen` holds the keys
 * already written (a key may appear only once in a file: Java keeps the
 * last one, which would hide a mistake).
 */
export function propertiesSectionLines(
  sections: PropertiesSection[],
  seen: Set<string> = new Set(),
): string[] {
  const lines: string[] = [];
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
  return lines;
}

/**
 * Writes a `.properties` file: a comment header, then each non-empty
 * section under its own comment, keys sorted. A key may appear only once in
 * the whole file.
 */
export function renderProperties(
  header: string[],
  sections: PropertiesSection[],
): string {
  return `${[
    ...propertiesHeaderLines(header),
    ...propertiesSectionLines(sections),
  ].join('\n')}\n`;
}
