import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalDeployTarget } from './LocalDeployTarget';
import {
  capHeap,
  DEFAULT_RESTART,
  heapBytes,
  readLocalOptions,
  resolveLocalOptions,
} from './options';

function config(local: JsonObject) {
  return new ConfigReader({ mirrorMaker: { deploy: { local } } });
}

describe('local deploy target options', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-options-'));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('applies the defaults when nothing is configured', () => {
    expect(resolveLocalOptions(readLocalOptions(new ConfigReader({})))).toEqual(
      {
        workDir: path.join(os.tmpdir(), 'mirror-maker-local'),
        kafkaHome: undefined,
        javaBin: 'java',
        jmxExporterJar: undefined,
        maxHeap: '256m',
        restart: DEFAULT_RESTART,
      },
    );
  });

  it('reads every key', () => {
    const options = resolveLocalOptions(
      readLocalOptions(
        config({
          workDir: '/srv/mm',
          kafkaHome: '/opt/kafka',
          javaBin: '/usr/bin/java',
          jmxExporterJar: '/opt/jmx/agent.jar',
          maxHeap: '512M',
          restart: { initialDelayMs: 10, maxDelayMs: 100 },
        }),
      ),
    );
    expect(options).toEqual({
      workDir: '/srv/mm',
      kafkaHome: '/opt/kafka',
      javaBin: '/usr/bin/java',
      jmxExporterJar: '/opt/jmx/agent.jar',
      maxHeap: '512M',
      restart: { initialDelayMs: 10, maxDelayMs: 100, stableAfterMs: 60_000 },
    });
  });

  it.each([
    [{ workDir: 'relative/dir' }, /workDir must be an absolute path/],
    [{ kafkaHome: 'kafka' }, /kafkaHome must be an absolute path/],
    [{ jmxExporterJar: '/opt/a=b.jar' }, /jmxExporterJar contains "="/],
    [{ javaBin: 'bin/java' }, /javaBin must be an absolute path/],
    [{ maxHeap: '1T' }, /maxHeap "1T" is not a JVM heap size/],
    [
      { restart: { initialDelayMs: 0 } },
      /restart.initialDelayMs must be a positive integer/,
    ],
    [
      { restart: { initialDelayMs: 5000, maxDelayMs: 1000 } },
      /maxDelayMs \(1000\) is below restart.initialDelayMs \(5000\)/,
    ],
  ])('rejects %j', (local, message) => {
    expect(() =>
      LocalDeployTarget.fromConfig(config(local), mockServices.logger.mock()),
    ).toThrow(message);
  });

  it('caps the heap', () => {
    expect(heapBytes('256m')).toBe(256 * 1024 ** 2);
    expect(heapBytes('2G')).toBe(2 * 1024 ** 3);
    expect(heapBytes('x')).toBeUndefined();
    expect(capHeap('1G', '256m')).toBe('256m');
    expect(capHeap('128M', '256m')).toBe('128M');
    expect(capHeap('262144k', '256m')).toBe('262144k');
  });

  describe('readiness', () => {
    const logger = mockServices.logger.mock();

    it('says that kafkaHome is missing', async () => {
      const target = new LocalDeployTarget({ logger, workDir: tmp });
      const readiness = await target.checkReadiness();
      expect(readiness.ready).toBe(false);
      expect(readiness.message).toContain(
        'mirrorMaker.deploy.local.kafkaHome is not set',
      );
    });

    it('says that the Kafka home has no jars', async () => {
      const kafkaHome = path.join(tmp, 'kafka');
      fs.mkdirSync(path.join(kafkaHome, 'libs'), { recursive: true });
      const target = new LocalDeployTarget({
        logger,
        workDir: path.join(tmp, 'work'),
        kafkaHome,
        javaBin: '/bin/sh',
      });
      expect(await target.checkReadiness()).toEqual({
        ready: false,
        message: `no Kafka jars in ${kafkaHome}/libs`,
      });
    });

    it('names a missing java, exporter jar and unwritable work directory', async () => {
      const kafkaHome = path.join(tmp, 'kafka');
      fs.mkdirSync(path.join(kafkaHome, 'libs'), { recursive: true });
      fs.writeFileSync(
        path.join(kafkaHome, 'libs', 'kafka_2.13-3.9.2.jar'),
        '',
      );
      const blocker = path.join(tmp, 'file');
      fs.writeFileSync(blocker, '');
      const target = new LocalDeployTarget({
        logger,
        workDir: path.join(blocker, 'work'),
        kafkaHome,
        javaBin: 'no-such-java-binary',
        jmxExporterJar: path.join(tmp, 'missing.jar'),
      });
      const { ready, message } = await target.checkReadiness();
      expect(ready).toBe(false);
      expect(message).toContain(
        'mirrorMaker.deploy.local.javaBin "no-such-java-binary" is not on the PATH',
      );
      expect(message).toContain(
        `mirrorMaker.deploy.local.jmxExporterJar ${tmp}/missing.jar cannot be read`,
      );
      expect(message).toContain(
        `mirrorMaker.deploy.local.workDir ${blocker}/work cannot be written`,
      );
    });

    it('is ready with a Kafka home, java and a work directory', async () => {
      const kafkaHome = path.join(tmp, 'kafka');
      fs.mkdirSync(path.join(kafkaHome, 'libs'), { recursive: true });
      fs.writeFileSync(
        path.join(kafkaHome, 'libs', 'kafka_2.13-3.9.2.jar'),
        '',
      );
      const target = new LocalDeployTarget({
        logger,
        workDir: path.join(tmp, 'work'),
        kafkaHome,
        javaBin: '/bin/sh',
      });
      const readiness = await target.checkReadiness();
      expect(readiness).toEqual({
        ready: true,
        message: expect.stringContaining('without JMX exporter'),
      });
      expect(fs.statSync(path.join(tmp, 'work')).mode & 0o777).toBe(0o700);
    });
  });
});
