import { parseDocument } from 'yaml';

/** Parses YAML as the tools we feed do, with Ansible's `!unsafe` tag; throws on any error or warning. */
export function parseYaml(text: string): unknown {
  const doc = parseDocument(text, {
    customTags: [{ tag: '!unsafe', resolve: (value: string) => value }],
    prettyErrors: false,
  });
  if (doc.errors.length > 0 || doc.warnings.length > 0) {
    throw new Error(
      [...doc.errors, ...doc.warnings].map(e => e.message).join('\n'),
    );
  }
  return doc.toJS();
}
