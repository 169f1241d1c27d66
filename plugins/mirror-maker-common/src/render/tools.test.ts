/**
 * Tool checks: rendered bundles are written to a temporary folder and read
 * by the real tools: bash and shellcheck for the start scripts,
 * systemd-analyze for the units, promtool for the Prometheus files,
 * ansible for the inventory and variables, PyYAML (YAML 1.1, as Ansible
 * reads it) for every YAML file, and Java (Properties, Kafka's JAAS parser,
 * the JMX exporter agent) for the client and exporter configuration.
 *
 * Debian packages: shellcheck, systemd, prometheus (promtool), ansible-core,
 * python3-yaml, a JDK. With CI=true a missing shellcheck fails the run; any
 * other missing tool skips its check with a warning.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { placedFiles, PlacedFile } from './__testUtils__/bundleFiles';
import { hostileInput, seedInput, twoDcInput } from './__testUtils__/inputs';
import { parseJavaProperties } from './__testUtils__/javaProperties';
import { parseYaml } from './__testUtils__/yaml';
import { renderBundle } from './bundle';
import { resolveSpec } from './defaults';
import { systemdQuote } from './escape/systemd';
import { RenderInput } from './types';

const REQUIRED_IN_CI: Record<string, string> = { shellcheck: 'shellcheck' };
const REPO_ROOT = path.resolve(__dirname, '../../../..');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command]).status === 0;
}

/** Whether `command` can run; throws in CI for required tools, else warns once and skips. */
function tool(command: string, aptPackage: string): boolean {
  if (has(command)) return true;
  if (process.env.CI === 'true' && REQUIRED_IN_CI[command]) {
    throw new Error(
      `${command} is not installed; CI needs it: apt-get install -y ${aptPackage}`,
    );
  }
  // eslint-disable-next-line no-console
  console.warn(
    `${command} is not installed (apt-get install -y ${aptPackage}); skipping its checks`,
  );
  return false;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(),
  };
}

const CASES: [string, RenderInput][] = [
  ['two-dc', twoDcInput],
  ['seed-development', seedInput],
  ['hostile', hostileInput],
];

let root: string;
const written: Record<string, PlacedFile[]> = {};

function local(name: string, file: PlacedFile): string {
  return path.join(root, name, file.relative);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-render-tools-'));
  for (const [name, input] of CASES) {
    const files = placedFiles(renderBundle(input));
    for (const file of files) {
      const target = local(name, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content, { mode: file.mode });
    }
    written[name] = files;
  }
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function filesOf(suffix: string): [string, PlacedFile][] {
  return CASES.flatMap(([name]) =>
    written[name]
      .filter(f => f.path.endsWith(suffix))
      .map(f => [name, f] as [string, PlacedFile]),
  );
}

describe('start scripts', () => {
  it('pass bash -n', () => {
    for (const [name, file] of filesOf('.sh')) {
      const result = run('bash', ['-n', local(name, file)]);
      expect([file.relative, result.output, result.status]).toEqual([
        file.relative,
        '',
        0,
      ]);
    }
  });

  it('pass shellcheck -S warning', () => {
    if (!tool('shellcheck', 'shellcheck')) return;
    for (const [name, file] of filesOf('.sh')) {
      const result = run('shellcheck', ['-S', 'warning', local(name, file)]);
      expect([file.relative, result.output, result.status]).toEqual([
        file.relative,
        '',
        0,
      ]);
    }
  });

  it('give java exactly the intended arguments, even from hostile values', () => {
    const fake = path.join(root, 'printargs');
    fs.writeFileSync(fake, '#!/bin/sh\nprintf "%s\\0" "$@"\n', { mode: 0o755 });
    const spec = hostileInput.entity.spec;
    const install = spec.install!;
    const [script] = written.hostile.filter(f => f.path.endsWith('.sh'));
    const env = { PATH: process.env.PATH, JAVA: fake };
    const out = execFileSync('bash', [local('hostile', script), 'extra arg'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    const argv = out.split('\0').slice(0, -1);
    const configDir = install.configDir!;
    expect(argv).toEqual(
      expect.arrayContaining([
        `-javaagent:${install.jmxExporterJar}=127.0.0.1:9991:${configDir}/jmx-exporter-1.yml`,
        `-Dkafka.logs.dir=${install.logDir}`,
        `${install.kafkaHome}/libs/*`,
        `${configDir}/kafka-mirror-maker-consumer.properties`,
        `${configDir}/kafka-mirror-maker-producer-1.properties`,
        spec.topics.include!,
        'extra arg',
      ]),
    );
    const include = argv.indexOf('--include');
    expect(argv[include + 1]).toBe(spec.topics.include);
    const log4j = argv.find(a => a.startsWith('-Dlog4j.configuration=file:'))!;
    expect(
      decodeURIComponent(log4j.slice('-Dlog4j.configuration=file:'.length)),
    ).toBe(`${configDir}/kafka-mirror-log4j-1.properties`);
    expect(argv.filter(a => a.includes('--whitelist'))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'pwned'))).toBe(false);
  });

  it('honour KAFKA_HOME and JAVA from the environment', () => {
    const fake = path.join(root, 'printargs');
    const [script] = written['two-dc'].filter(f => f.path.endsWith('.sh'));
    const env = {
      PATH: process.env.PATH,
      JAVA: fake,
      KAFKA_HOME: '/somewhere else',
    };
    const argv = execFileSync('bash', [local('two-dc', script)], {
      env,
      encoding: 'utf8',
    }).split('\0');
    expect(argv).toContain('/somewhere else/libs/*');
  });
});

describe('systemd units', () => {
  it('pass systemd-analyze verify', () => {
    if (!tool('systemd-analyze', 'systemd')) return;
    const units = filesOf('.service');
    expect(units.length).toBeGreaterThan(0);
    for (const [name, file] of units) {
      const result = run('systemd-analyze', [
        'verify',
        '--man=no',
        local(name, file),
      ]);
      if (
        result.status !== 0 &&
        /Failed to (?:initialize|setup|connect)|Operation not permitted/i.test(
          result.output,
        )
      ) {
        // eslint-disable-next-line no-console
        console.warn(
          `systemd-analyze cannot run here (${result.output}); skipping`,
        );
        return;
      }
      expect([file.relative, result.output, result.status]).toEqual([
        file.relative,
        '',
        0,
      ]);
    }
  });

  it('read a quoted executable path back exactly (systemd-analyze checks that it exists)', () => {
    if (!tool('systemd-analyze', 'systemd')) return;
    // systemd refuses quotes and backslashes in an executable's name, and
    // takes "$$" in it literally (it unescapes "$$" in arguments only). So
    // the units run /bin/bash with the script path as an argument.
    const names = ['plain', 'with space', '100% %n %%', 'café ☕'];
    const dir = fs.mkdtempSync(path.join(root, 'exec-'));
    for (const name of names) {
      const exe = path.join(dir, `run ${name}`);
      fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
      const unit = path.join(dir, 'probe.service');
      fs.writeFileSync(
        unit,
        `[Service]\nExecStart=${systemdQuote(exe)} ${systemdQuote(
          '$(id) $HOME',
        )}\n`,
      );
      const result = run('systemd-analyze', ['verify', '--man=no', unit]);
      expect([name, result.output, result.status]).toEqual([name, '', 0]);
      fs.rmSync(exe);
    }
  });
});

describe('Prometheus files', () => {
  it('pass promtool check rules and check config', () => {
    if (!tool('promtool', 'prometheus')) return;
    for (const [name, file] of filesOf('alerts.yml')) {
      const result = run('promtool', ['check', 'rules', local(name, file)]);
      expect([file.relative, result.status, result.output]).toEqual([
        file.relative,
        0,
        expect.stringContaining('SUCCESS'),
      ]);
    }
    for (const [name, file] of filesOf('prometheus-scrape.yml')) {
      // The scrape file is also a complete prometheus.yml.
      const result = run('promtool', [
        'check',
        'config',
        '--syntax-only',
        local(name, file),
      ]);
      expect([file.relative, result.status, result.output]).toEqual([
        file.relative,
        0,
        expect.stringContaining('SUCCESS'),
      ]);
    }
  });

  it('JMX exporter configurations load in the 1.0.1 agent', () => {
    if (!tool('java', 'default-jdk-headless')) return;
    const agent = path.join(
      REPO_ROOT,
      'test/kafka-runtime/agents/jmx_prometheus_javaagent-1.0.1.jar',
    );
    if (!fs.existsSync(agent)) {
      // eslint-disable-next-line no-console
      console.warn(
        `${agent} is missing (npm run fetch:kafka); skipping the agent check`,
      );
      return;
    }
    // One per bundle: a JVM start takes a second or two, and processes differ only in labels.
    const seen = new Set<string>();
    for (const [name, file] of filesOf('jmx-exporter-1.yml')) {
      if (seen.has(name)) continue;
      seen.add(name);
      const result = run('java', [
        `-javaagent:${agent}=127.0.0.1:0:${local(name, file)}`,
        '-version',
      ]);
      expect([file.relative, result.status]).toEqual([file.relative, 0]);
    }
  }, 60_000);
});

describe('YAML as PyYAML (YAML 1.1) reads it', () => {
  it('equals what the YAML 1.2 parser reads', () => {
    if (
      !tool('python3', 'python3') ||
      run('python3', ['-c', 'import yaml']).status !== 0
    ) {
      // eslint-disable-next-line no-console
      console.warn(
        'python3 with PyYAML is not installed (apt-get install -y python3-yaml); skipping',
      );
      return;
    }
    const files = filesOf('.yml');
    const script = [
      'import json, sys, yaml',
      "yaml.SafeLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))",
      'print(json.dumps([yaml.safe_load(open(f, encoding="utf-8")) for f in sys.argv[1:]]))',
    ].join('\n');
    const out = execFileSync(
      'python3',
      ['-c', script, ...files.map(([name, f]) => local(name, f))],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(JSON.parse(out)).toEqual(files.map(([, f]) => parseYaml(f.content)));
  });
});

describe('Ansible', () => {
  it('reads the inventory and group_vars, and never templates a value', () => {
    if (!tool('ansible', 'ansible-core')) return;
    for (const [name, input] of CASES) {
      const inventory = path.join(root, name, 'files/ansible/inventory.ini');
      const vars = parseYaml(
        written[name].find(
          f => f.path === 'ansible/group_vars/kafka-mirror-maker.yml',
        )!.content,
      ) as Record<string, string>;
      const env = {
        ...process.env,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCAL_TEMP: root,
        HOME: root,
      };
      const msg =
        'msg={{ kafkaMirrorMakerGroupId }}|{{ kafkaMirrorMakerReplicateTopicWhiteListPattern }}';
      const result = run(
        'ansible',
        [
          'kafka-mirror-maker',
          '-i',
          inventory,
          '-c',
          'local',
          '-m',
          'debug',
          '-a',
          msg,
        ],
        { env, cwd: root },
      );
      expect([name, result.status]).toEqual([name, 0]);
      const expected = `${
        resolveSpec(input.entity.spec, input.entity.metadata.name).groupId
      }|${vars.kafkaMirrorMakerReplicateTopicWhiteListPattern}`;
      const hosts = input.entity.spec.placement.nodes;
      expect(result.output.split(JSON.stringify(expected)).length - 1).toBe(
        hosts.length,
      );
    }
  }, 120_000);
});

describe('Java reads the properties files as intended', () => {
  it('Properties.load and Kafka JAAS parsing agree with the rendered values', () => {
    const libs = path.join(
      process.env.KAFKA_HOME ?? path.join(REPO_ROOT, 'test/kafka-runtime'),
      'libs',
    );
    if (!tool('java', 'default-jdk-headless')) return;
    if (!fs.existsSync(path.join(libs))) {
      // eslint-disable-next-line no-console
      console.warn(
        `${libs} is missing (npm run fetch:kafka); skipping the Java check`,
      );
      return;
    }
    const files = filesOf('.properties');
    const out = execFileSync(
      'java',
      [
        '-cp',
        `${libs}/*`,
        path.join(__dirname, '__testUtils__/java/PropertiesDump.java'),
        ...files.map(([n, f]) => local(n, f)),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    const java = new Map<string, Map<string, string>>();
    const jaas = new Map<string, Record<string, string>>();
    for (const line of out.trim().split('\n')) {
      const [kind, file, key, value] = line.split('\t');
      if (kind === 'P') {
        if (!java.has(file)) java.set(file, new Map());
        java.get(file)!.set(decode(key), decode(value));
      } else if (kind === 'J') {
        jaas.set(file, {
          ...(jaas.get(file) ?? {}),
          [decode(key)]: decode(value),
        });
      }
    }
    for (const [name, file] of files) {
      expect(java.get(local(name, file))).toEqual(
        parseJavaProperties(file.content),
      );
    }
    const [hostileConsumer] = files.filter(
      ([n, f]) => n === 'hostile' && f.path.endsWith('consumer.properties'),
    );
    const sasl = hostileInput.source.security!.sasl!;
    expect(jaas.get(local(...hostileConsumer))).toEqual({
      username: sasl.username,
      password: sasl.password,
    });
    expect(java.get(local(...hostileConsumer))!.get('group.id')).toBe(
      hostileInput.entity.spec.groupId,
    );
    expect(
      java.get(local(...hostileConsumer))!.get('ssl.truststore.password'),
    ).toBe('pa ss\\"#!');
  }, 60_000);
});
