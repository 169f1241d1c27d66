/**
 * Golden files: every file of the two fixture bundles is compared byte for
 * byte with __fixtures__/golden/<case>/, and MANIFEST there lists each file's
 * mode and secret flag. After an intended change, rewrite them with
 *
 *   UPDATE_GOLDEN=1 CI=true npx backstage-cli repo test plugins/mirror-maker-common/src/render/golden.test.ts
 *
 * and review the diff like any other change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { placedFiles } from './__testUtils__/bundleFiles';
import { seedInput, twoDcInput } from './__testUtils__/inputs';
import { renderBundle } from './bundle';
import { RenderInput } from './types';

const GOLDEN_ROOT = path.join(__dirname, '__fixtures__', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: [string, RenderInput][] = [
  ['two-dc', twoDcInput],
  ['seed-development', seedInput],
];

function manifest(input: RenderInput): string {
  return `${placedFiles(renderBundle(input))
    .map(
      f =>
        `${f.mode.toString(8).padStart(4, '0')} ${
          f.secret ? 'secret' : 'public'
        } ${f.relative}`,
    )
    .join('\n')}\n`;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name)).map(f => `${entry.name}/${f}`)
        : [entry.name],
    )
    .sort();
}

describe.each(CASES)('golden bundle %s', (name, input) => {
  const dir = path.join(GOLDEN_ROOT, name);
  const files = placedFiles(renderBundle(input));

  if (UPDATE) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(dir, file.relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
    fs.writeFileSync(path.join(dir, 'MANIFEST'), manifest(input));
  }

  it('has exactly the golden files', () => {
    expect(listFiles(dir)).toEqual(
      ['MANIFEST', ...files.map(f => f.relative)].sort(),
    );
  });

  it('matches the manifest of modes and secret flags', () => {
    expect(manifest(input)).toBe(
      fs.readFileSync(path.join(dir, 'MANIFEST'), 'utf8'),
    );
  });

  it.each(files.map(f => [f.relative, f.content]))(
    '%s matches byte for byte',
    (relative, content) => {
      const golden = fs.readFileSync(path.join(dir, relative));
      expect(Buffer.from(content, 'utf8').equals(golden)).toBe(true);
      // On a mismatch, show a readable diff too.
      expect(content).toBe(golden.toString('utf8'));
    },
  );

  it('renders the same bytes every time', () => {
    const again = placedFiles(renderBundle(structuredClone(input)));
    expect(again).toEqual(files);
  });
});

describe('modes', () => {
  const files = placedFiles(renderBundle(twoDcInput));

  it('makes start scripts executable, secret files private, everything else 0644', () => {
    const expected = (filePath: string, secret: boolean) => {
      if (filePath.endsWith('.sh')) return 0o755;
      return secret ? 0o600 : 0o644;
    };
    expect(files.map(f => [f.relative, f.mode])).toEqual(
      files.map(f => [f.relative, expected(f.path, f.secret)]),
    );
  });

  it('marks exactly the client properties with credentials as secret', () => {
    const secret = files.filter(f => f.secret).map(f => path.basename(f.path));
    expect(new Set(secret)).toEqual(
      new Set([
        'kafka-mirror-maker-consumer.properties',
        'kafka-mirror-maker-producer-1.properties',
        'kafka-mirror-maker-producer-2.properties',
      ]),
    );
    expect(placedFiles(renderBundle(seedInput)).filter(f => f.secret)).toEqual(
      [],
    );
  });
});
