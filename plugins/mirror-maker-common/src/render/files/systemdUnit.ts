import { RenderContext } from '../context';
import { commentText } from '../escape/comment';
import {
  systemdEnvironment,
  systemdQuote,
  systemdValue,
} from '../escape/systemd';
import { GENERATED_NOTICE } from './header';

/**
 * The systemd unit of process `i`, split around the host. It runs the start
 * script, so the topic pattern never appears in the unit: the only values
 * from the spec here are paths, the user and group, each escaped for its
 * directive.
 */
function unitParts(ctx: RenderContext, i: number): [string, string] {
  const { install, placement } = ctx.spec;
  const intro = commentText(
    `# Kafka MirrorMaker 1 deployment ${ctx.ref}: process ${i} of ${placement.processesPerNode} on`,
    'metadata.name',
  );
  return [
    `${intro} `,
    `.\n${[
      `# ${GENERATED_NOTICE}`,
      '[Unit]',
      `Description=${systemdValue(
        `Kafka MirrorMaker ${ctx.name} process ${i}`,
        'metadata.name',
      )}`,
      'After=network-online.target',
      'Wants=network-online.target',
      // MirrorMaker exits when a stream thread dies; restart it, but stop
      // trying (and leave the unit failed) when it keeps dying.
      'StartLimitIntervalSec=300',
      'StartLimitBurst=5',
      '',
      '[Service]',
      'Type=simple',
      `User=${systemdValue(install.user, 'spec.install.user')}`,
      `Group=${systemdValue(install.group, 'spec.install.group')}`,
      `Environment=${systemdEnvironment(
        'KAFKA_HOME',
        install.kafkaHome,
        'spec.install.kafkaHome',
      )}`,
      `ExecStart=/bin/bash ${systemdQuote(
        ctx.paths.script(i),
        'spec.install.binDir',
      )}`,
      'Restart=on-failure',
      'RestartSec=10',
      'TimeoutStopSec=120',
      'KillSignal=SIGTERM',
      'SuccessExitStatus=143',
      'LimitNOFILE=100000',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n')}`,
  ];
}

/**
 * The systemd units of the processes, escaped once per deployment: the
 * returned function gives the unit of process `i` on `host` (a checked host
 * name or address, which only the header comment holds).
 */
export function prepareSystemdUnit(
  ctx: RenderContext,
): (host: string, i: number) => string {
  const parts = ctx.processes.map(i => unitParts(ctx, i));
  return (host, i) => parts[i - 1][0] + host + parts[i - 1][1];
}
