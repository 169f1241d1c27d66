import { ANNOTATION_TOPICS } from '@mirrormaker/plugin-mirror-maker-common';
import type { Entity } from '@backstage/catalog-model';

/** The topics a service lists in its `mirrormaker.io/topics` annotation, in order, once each. */
export function annotatedTopics(entity: Entity | undefined): string[] {
  const raw = entity?.metadata.annotations?.[ANNOTATION_TOPICS] ?? '';
  return [
    ...new Set(
      raw
        .split(',')
        .map(t => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** The value of another field of the form, as the scaffolder passes it in `formContext.formData`. */
export function otherField(
  formContext: unknown,
  name: string,
): string | undefined {
  const formData = (formContext as { formData?: Record<string, unknown> })
    ?.formData;
  const value = formData?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
