import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderCommand } from './commands/render';
import { topologyCommand } from './commands/topology';
import { validateCommand } from './commands/validate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples', 'entities.yaml');
const CLUSTERS = path.join(ROOT, 'examples', 'clusters.app-config.yaml');
const SECRETS = {
  DC1_TRUSTSTORE_PASSWORD: 'trust-1',
  DC1_SASL_PASSWORD: 'sasl-1',
  DC2_TRUSTSTORE_PASSWORD: 'trust-2',
  DC2_SASL_PASSWORD: 'sasl-2',
};

describe('mirror-maker CLI', () => {
  let tmp: string;
  const saved = { ...process.env };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-cli-'));
    Object.assign(process.env, SECRETS);
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    process.env = { ...saved };
  });

  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('validates the examples cleanly', () => {
    const result = validateCommand([EXAMPLES], [CLUSTERS]);
    expect(result.stdout).toBe(
      '2 MirrorMaker deployment(s) in 1 file(s): 0 error(s), 0 warning(s)\n',
    );
    expect(result.exitCode).toBe(0);
  });

  it('reports a bad entity by file, entity and field, and exits 1', () => {
    const bad = fs
      .readFileSync(EXAMPLES, 'utf8')
      .replace('suffix: dc1', "include: '.*'")
      .replace('target: resource:kafka-dc1', 'target: resource:kafka-dc2');
    const file = write('bad.yaml', bad);
    const result = validateCommand([file], [CLUSTERS]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `${file}: MirrorMaker dc1-to-dc2: spec.topics: matches topics with the target's own suffix ".dc2"`,
    );
    expect(result.stdout).toContain(
      `${file}: MirrorMaker dc2-to-dc1: spec.target: is the same cluster as spec.source (dc2)`,
    );
  });

  it('reports YAML errors with their line', () => {
    const file = write('broken.yaml', 'kind: MirrorMaker\nmetadata: [\n');
    const result = validateCommand([file], []);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/broken\.yaml: YAML error at line \d+/);
  });

  it('says which environment variable a secret needs', () => {
    delete process.env.DC2_SASL_PASSWORD;
    const result = validateCommand([EXAMPLES], [CLUSTERS]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'uses ${DC2_SASL_PASSWORD}, which is not set',
    );
  });

  it('renders every file with its mode, secrets only in 0600 files', () => {
    const out = path.join(tmp, 'out');
    const result = renderCommand(EXAMPLES, { out, config: [CLUSTERS] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^dc1-to-dc2: \d+ file\(s\)/m);
    const files: string[] = [];
    const walk = (dir: string) =>
      fs.readdirSync(dir, { withFileTypes: true }).forEach(e => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else files.push(full);
      });
    walk(out);
    const script = files.find(f =>
      f.endsWith(
        'nodes/mm1.dc2.example.com/opt/kafka-mirror-maker/dc1-to-dc2/bin/kafka-mirror-maker-1.sh',
      ),
    );
    expect(script).toBeDefined();
    expect(fs.statSync(script!).mode & 0o777).toBe(0o755);
    const withSecrets = files.filter(file => {
      const text = fs.readFileSync(file, 'utf8');
      return text.includes('sasl-1') || text.includes('trust-1');
    });
    expect(withSecrets.length).toBeGreaterThan(0);
    expect(withSecrets.map(f => [f, fs.statSync(f).mode & 0o777])).toEqual(
      withSecrets.map(f => [f, 0o600]),
    );
    expect(files.some(f => fs.readFileSync(f, 'utf8').includes('sasl-1'))).toBe(
      true,
    );
  });

  it('redacts secrets on request', () => {
    const out = path.join(tmp, 'out');
    expect(
      renderCommand(EXAMPLES, { out, config: [CLUSTERS], redact: true })
        .exitCode,
    ).toBe(0);
    const all = spawnSync('grep', ['-rl', 'sasl-1', out], { encoding: 'utf8' });
    expect(all.stdout).toBe('');
  });

  it('refuses to render an invalid deployment and writes nothing', () => {
    const file = write(
      'bad.yaml',
      fs
        .readFileSync(EXAMPLES, 'utf8')
        .replace('heap: 1G', 'heap: "1G; rm -rf /"'),
    );
    const out = path.join(tmp, 'out');
    const result = renderCommand(file, { out, config: [CLUSTERS] });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('spec.jvm.heap');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('prints the topology and exits 0 without error findings', () => {
    const result = topologyCommand([EXAMPLES], { config: [CLUSTERS] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('dc1');
    const json = topologyCommand([EXAMPLES], {
      config: [CLUSTERS],
      json: true,
    });
    const topology = JSON.parse(json.stdout);
    expect(
      topology.findings.filter((f: any) => f.severity === 'error'),
    ).toEqual([]);
  });

  it('exits 1 on a replication loop', () => {
    const looped = fs
      .readFileSync(EXAMPLES, 'utf8')
      .replace('suffix: dc1', "include: 'orders\\..*'")
      .replace('suffix: dc2', "include: 'orders\\..*'");
    const file = write('loop.yaml', looped);
    const result = topologyCommand([file], { config: [CLUSTERS] });
    expect(result.exitCode).toBe(1);
  });

  it('runs as a command (bin/mirror-maker)', () => {
    const result = spawnSync(
      process.execPath,
      [
        path.join(__dirname, '..', 'bin', 'mirror-maker'),
        'validate',
        EXAMPLES,
        '-c',
        CLUSTERS,
      ],
      { encoding: 'utf8', env: { ...process.env, ...SECRETS } },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('0 error(s)');
    expect(result.status).toBe(0);
  }, 60_000);
});
