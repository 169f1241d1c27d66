/*
 * Self-tests of the test bed's process handling: tools run to completion,
 * stop() leaves no JVM and no temp folder, and a JVM dies with the Node
 * process that started it even when that process is killed with SIGKILL.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  TestBed,
  buildJavaCommand,
  createTopics,
  findJava,
  isProcessAlive,
  resolveKafkaHome,
  runKafkaTool,
  startKafkaClusters,
  waitFor,
  watchdogBashArgs,
  writeLog4jConfig,
} from '.';

const SLOW_HOOK_MS = 120_000;

describe('kafka test bed', () => {
  let testBed: TestBed | undefined;

  beforeAll(async () => {
    testBed = await startKafkaClusters(['solo']);
    await createTopics(testBed.cluster('solo'), [
      { topic: 'probe', numPartitions: 1 },
    ]);
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  it('explains how to fetch a missing Kafka runtime', () => {
    expect(() => resolveKafkaHome('/nonexistent/kafka-home')).toThrow(
      /npm run fetch:kafka/,
    );
  });

  it(
    'runs one-shot Kafka tools and returns their output',
    async () => {
      const bootstrap = testBed!.bootstrap('solo');
      const topics = await runKafkaTool('org.apache.kafka.tools.TopicCommand', [
        '--bootstrap-server',
        bootstrap,
        '--list',
      ]);
      expect(topics.code).toBe(0);
      expect(topics.stdout.split('\n')).toContain('probe');

      const bad = await runKafkaTool('org.apache.kafka.tools.TopicCommand', [
        '--no-such-option',
      ]);
      expect(bad.code).not.toBe(0);
    },
    SLOW_HOOK_MS,
  );

  it(
    'kills a JVM whose Node parent is killed with SIGKILL',
    async () => {
      const dir = fs.mkdtempSync(path.join(testBed!.dir, 'orphan-'));
      const log4jConfig = writeLog4jConfig(path.join(dir, 'log4j.properties'), {
        level: 'WARN',
      });
      // A JVM that blocks until stopped: a console consumer on an idle topic.
      const command = [
        findJava(),
        ...buildJavaCommand({
          mainClass: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
          args: [
            '--bootstrap-server',
            testBed!.bootstrap('solo'),
            '--topic',
            'probe',
          ],
          heapMb: 64,
          log4jConfig,
          logsDir: dir,
        }),
      ];
      // A plain Node parent that starts the JVM under the watchdog, prints its
      // pid and then idles until killed.
      const parentScript = [
        "const { spawn } = require('child_process');",
        'const args = JSON.parse(process.argv[1]);',
        "const child = spawn('bash', args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });",
        "process.stdout.write(String(child.pid) + '\\n');",
        'setInterval(() => undefined, 60000);',
      ].join('\n');
      const parent = spawn(
        process.execPath,
        ['-e', parentScript, JSON.stringify(watchdogBashArgs(command, 5))],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      try {
        const jvmPid = await new Promise<number>((resolve, reject) => {
          parent.stdout.once('data', (chunk: Buffer) =>
            resolve(Number(chunk.toString().trim())),
          );
          parent.once('error', reject);
          parent.once('exit', code =>
            reject(new Error(`parent exited early (${code})`)),
          );
        });
        expect(isProcessAlive(jvmPid)).toBe(true);
        // Let the JVM get going, then kill its parent without any chance to clean up.
        await new Promise(resolve => setTimeout(resolve, 1_000));
        expect(isProcessAlive(jvmPid)).toBe(true);
        parent.kill('SIGKILL');
        await waitFor(() => !isProcessAlive(jvmPid), {
          timeoutMs: 30_000,
          description: `orphaned JVM ${jvmPid} to exit`,
        });
      } finally {
        if (parent.exitCode === null && parent.signalCode === null)
          parent.kill('SIGKILL');
        parent.stdout.destroy();
      }
    },
    SLOW_HOOK_MS,
  );

  it(
    'stop() ends every JVM it started and removes its temp folder',
    async () => {
      const bed = testBed!;
      const pid = bed.cluster('solo').pid;
      expect(isProcessAlive(pid)).toBe(true);
      await bed.stop();
      expect(isProcessAlive(pid)).toBe(false);
      expect(bed.cluster('solo').process.isRunning()).toBe(false);
      expect(fs.existsSync(bed.dir)).toBe(false);
      testBed = undefined;
    },
    SLOW_HOOK_MS,
  );
});
