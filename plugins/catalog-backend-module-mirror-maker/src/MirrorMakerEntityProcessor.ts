import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  formatProblems,
  MIRROR_MAKER_API_VERSION,
  MIRROR_MAKER_KIND,
  MirrorMakerSpec,
  validateMirrorMakerEntity,
} from '@mirrormaker/plugin-mirror-maker-common';

/** MirrorMaker -> kafka-cluster it consumes from. */
export const RELATION_MIRRORS_FROM = 'mirrorsFrom';
/** kafka-cluster -> MirrorMaker that consumes from it. */
export const RELATION_MIRRORED_BY = 'mirroredBy';
/** MirrorMaker -> kafka-cluster it produces into. */
export const RELATION_MIRRORS_TO = 'mirrorsTo';
/** kafka-cluster -> MirrorMaker that produces into it. */
export const RELATION_MIRRORED_INTO = 'mirroredInto';

/**
 * Validates `MirrorMaker` entities and emits their relations in both
 * directions: owner, system, and source and target clusters.
 */
export class MirrorMakerEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'MirrorMakerEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (entity.kind !== MIRROR_MAKER_KIND) {
      return false;
    }
    if (entity.apiVersion !== MIRROR_MAKER_API_VERSION) {
      throw new Error(
        `MirrorMaker entity ${entity.metadata.name}: apiVersion must be ${MIRROR_MAKER_API_VERSION}, not ${entity.apiVersion}`,
      );
    }
    // The catalog shows this message among the entity's processing errors.
    const errors = validateMirrorMakerEntity(entity).filter(
      p => p.severity === 'error',
    );
    if (errors.length > 0) {
      throw new Error(
        `Invalid MirrorMaker entity ${entity.metadata.name}:\n${formatProblems(
          errors,
        )}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind !== MIRROR_MAKER_KIND) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const spec = entity.spec as unknown as MirrorMakerSpec;
    const namespace = { defaultNamespace: self.namespace };
    const pair = (
      targetRef: string,
      defaultKind: string,
      outgoing: string,
      incoming: string,
    ) => {
      const other = parseEntityRef(targetRef, { defaultKind, ...namespace });
      emit(
        processingResult.relation({
          source: self,
          type: outgoing,
          target: other,
        }),
      );
      emit(
        processingResult.relation({
          source: other,
          type: incoming,
          target: self,
        }),
      );
    };
    pair(spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    if (spec.system) {
      pair(spec.system, 'System', RELATION_PART_OF, RELATION_HAS_PART);
    }
    pair(spec.source, 'Resource', RELATION_MIRRORS_FROM, RELATION_MIRRORED_BY);
    pair(spec.target, 'Resource', RELATION_MIRRORS_TO, RELATION_MIRRORED_INTO);
    return entity;
  }
}
