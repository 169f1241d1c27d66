import { mockServices } from '@backstage/backend-test-utils';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createCreateRequestAction } from './actions/createRequest';
import { createRenderBundleAction } from './actions/renderBundle';
import { createRenderEntityAction } from './actions/renderEntity';
import { createValidateTopicsAction } from './actions/validateTopics';

/** The demo's templates, checked against the actions and fields that exist. */
const TEMPLATE_DIR = path.resolve(__dirname, '../../../examples/templates');
const TEMPLATE_FILES = ['request-replication.yaml', 'new-deployment.yaml'];

/** Actions of the scaffolder backend and its GitHub module the templates may use. */
const BUILT_IN_ACTIONS = [
  'fetch:template',
  'publish:github',
  'catalog:register',
  'debug:log',
];

/** Field extensions of the scaffolder, and the two the mirror-maker frontend adds. */
const UI_FIELDS = [
  'MyGroupsPicker',
  'OwnedEntityPicker',
  'EntityPicker',
  'RepoUrlPicker',
  'MirrorMakerTopicsPicker',
  'MirrorMakerDataCentrePicker',
];

const services = {
  auth: mockServices.auth(),
  discovery: mockServices.discovery(),
  config: mockServices.rootConfig(),
};
const ours = new Map<string, TemplateAction<any, any, any>>(
  [
    createValidateTopicsAction(),
    createCreateRequestAction(services),
    createRenderEntityAction(),
    createRenderBundleAction(services),
  ].map(a => [a.id, a as TemplateAction<any, any, any>]),
);

interface JsonSchemaLike {
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
}

interface Step {
  id?: string;
  action: string;
  if?: string | boolean;
  input?: Record<string, unknown>;
}

/** Every string in a value, with where it is. */
function strings(value: unknown, where: string): [string, string][] {
  if (typeof value === 'string') return [[where, value]];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      strings(v, `${where}.${k}`),
    );
  }
  return [];
}

/** Every `key` found at any depth, with its value and where. */
function findKey(value: unknown, key: string, where = ''): [string, unknown][] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => findKey(v, key, `${where}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k === key ? ([[where, v]] as [string, unknown][]) : []),
      ...findKey(v, key, `${where}.${k}`),
    ]);
  }
  return [];
}

/** What `${{ ... }}` expressions refer to: `parameters.x`, `steps['id'].output.y`. */
function references(text: string) {
  const expressions = [...text.matchAll(/\$\{\{(.*?)\}\}/gs)].map(m => m[1]);
  const name = `(?:\\.([A-Za-z_$][\\w$]*)|\\[\\s*['"]([^'"]+)['"]\\s*\\])`;
  const parameters = expressions.flatMap(e =>
    [...e.matchAll(new RegExp(`\\bparameters${name}`, 'g'))].map(
      m => m[1] ?? m[2],
    ),
  );
  const outputs = expressions.flatMap(e =>
    [...e.matchAll(new RegExp(`\\bsteps${name}\\.output${name}`, 'g'))].map(
      m => ({ step: m[1] ?? m[2], output: m[3] ?? m[4] }),
    ),
  );
  return { expressions, parameters, outputs };
}

describe.each(TEMPLATE_FILES)('examples/templates/%s', file => {
  const text = fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');
  const documents = yaml.parseAllDocuments(text);
  const template = documents[0]?.toJS();
  const steps: Step[] = template?.spec?.steps ?? [];
  const pages: JsonSchemaLike[] = [template?.spec?.parameters ?? []].flat();
  // Properties may also be declared under `dependencies` (shown conditionally).
  const declared = new Set(
    findKey(pages, 'properties').flatMap(([, props]) =>
      Object.keys(props as object),
    ),
  );

  it('is one valid v1beta3 Template owned by the platform team', () => {
    expect(documents).toHaveLength(1);
    expect(documents[0].errors).toEqual([]);
    expect(template).toMatchObject({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name: expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        title: expect.any(String),
        description: expect.any(String),
        tags: expect.arrayContaining(['mirror-maker']),
      },
      spec: {
        owner: 'group:kafka-platform',
        type: expect.any(String),
        parameters: expect.any(Array),
        steps: expect.any(Array),
      },
    });
    for (const step of steps) {
      expect(step).toEqual({
        id: expect.stringMatching(/^[a-z][a-z0-9-]*$/),
        name: expect.any(String),
        action: expect.any(String),
        ...(step.if !== undefined && { if: step.if }),
        input: expect.any(Object),
      });
    }
    expect(new Set(steps.map(s => s.id)).size).toBe(steps.length);
  });

  it("passes the scaffolder's own Template schema", async () => {
    // The validator the catalog runs on Template entities: throws on a
    // schema violation, answers true for its kind.
    await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(
      true,
    );
  });

  it('uses only actions that exist', () => {
    const unknown = steps
      .map(s => s.action)
      .filter(id => !ours.has(id) && !BUILT_IN_ACTIONS.includes(id));
    expect(unknown).toEqual([]);
  });

  it('gives our actions the inputs their schemas declare, and all required ones', () => {
    for (const step of steps.filter(s => ours.has(s.action))) {
      const schema = ours.get(step.action)!.schema?.input as JsonSchemaLike;
      const known = Object.keys(schema.properties ?? {});
      const given = Object.keys(step.input ?? {});
      expect({
        step: step.id,
        extra: given.filter(k => !known.includes(k)),
      }).toEqual({ step: step.id, extra: [] });
      const missing = (schema.required ?? []).filter(k => !given.includes(k));
      expect({ step: step.id, missing }).toEqual({
        step: step.id,
        missing: [],
      });
    }
  });

  it('refers only to declared parameters', () => {
    const found = strings(template.spec, 'spec').flatMap(([where, value]) =>
      references(value).parameters.map(p => ({ where, parameter: p })),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter(f => !declared.has(f.parameter))).toEqual([]);
  });

  it('refers only to outputs of earlier steps that the action declares', () => {
    const problems: string[] = [];
    const check = (where: string, value: unknown, earlier: Step[]) => {
      for (const [at, s] of strings(value, where)) {
        for (const ref of references(s).outputs) {
          const source = earlier.find(e => e.id === ref.step);
          if (!source) {
            problems.push(`${at}: step ${ref.step} does not run before`);
            continue;
          }
          const action = ours.get(source.action);
          const outputs = (action?.schema?.output as JsonSchemaLike)
            ?.properties;
          if (action && !Object.keys(outputs ?? {}).includes(ref.output)) {
            problems.push(
              `${at}: ${source.action} has no output ${ref.output}`,
            );
          }
        }
      }
    };
    steps.forEach((step, i) => check(`steps[${i}]`, step, steps.slice(0, i)));
    check('output', template.spec.output, steps);
    expect(problems).toEqual([]);
  });

  it('uses only field extensions that are installed', () => {
    const fields = findKey(pages, 'ui:field');
    expect(fields.length).toBeGreaterThan(0);
    expect(
      fields.filter(([, field]) => !UI_FIELDS.includes(field as string)),
    ).toEqual([]);
  });

  it('closes every expression', () => {
    for (const [where, value] of strings(template.spec, 'spec')) {
      const opened = value.split('${{').length - 1;
      const closed = value.split('}}').length - 1;
      expect({ where, opened }).toEqual({ where, opened: closed });
    }
  });
});

describe('examples/templates/request-replication.yaml', () => {
  const template = yaml.parse(
    fs.readFileSync(
      path.join(TEMPLATE_DIR, 'request-replication.yaml'),
      'utf8',
    ),
  );

  it('validates the topics, then files the request, and links to it', () => {
    expect(template.metadata.title).toBe(
      'Request cross-DC replication for my topics',
    );
    expect(template.spec.steps.map((s: Step) => s.action)).toEqual([
      'mirror-maker:topics:validate',
      'mirror-maker:request:create',
    ]);
    expect(template.spec.output.links).toContainEqual(
      expect.objectContaining({
        title: 'Replication request',
        url: "${{ steps['request'].output.url }}",
      }),
    );
  });

  it('points the topics picker at the service field', () => {
    const [[, topics]] = findKey(template.spec.parameters, 'topics');
    expect(topics).toMatchObject({
      type: 'array',
      items: { type: 'string' },
      'ui:field': 'MirrorMakerTopicsPicker',
      'ui:options': { serviceField: 'service' },
    });
  });
});

describe('examples/templates/new-deployment.yaml', () => {
  const template = yaml.parse(
    fs.readFileSync(path.join(TEMPLATE_DIR, 'new-deployment.yaml'), 'utf8'),
  );

  it('renders the entity and its bundle, and publishes only when asked', () => {
    expect(template.metadata.title).toBe('New MirrorMaker deployment');
    const steps: Step[] = template.spec.steps;
    expect(steps.map(s => [s.action, s.if])).toEqual([
      ['mirror-maker:entity:render', undefined],
      ['mirror-maker:bundle:render', undefined],
      ['publish:github', '${{ parameters.publish }}'],
      ['catalog:register', '${{ parameters.publish }}'],
    ]);
    expect(steps[1].input?.entity).toBe("${{ steps['entity'].output.entity }}");
    const [[, publish]] = findKey(template.spec.parameters, 'publish');
    expect(publish).toMatchObject({ type: 'boolean', default: false });
  });
});
