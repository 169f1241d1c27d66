import { RenderContext } from '../context';
import { commentText } from '../escape/comment';
import {
  systemdEnvironment,
  systemdQuote,
  systemdValue,
} from '../escape/systemd';
import { GENERATED_NOTICE } from './header';

/**
 * The systemd unit of process `i`. It runs the start script, so the topic
 * pattern never appears in the unit: the only values from the spec here are
 * paths, the user and group, each escaped for its directive.
 */
export function renderSystemdUnit(
  ctx: RenderContext,
  host: string,
  i: number,
): string {
  const { install, placement } = ctx.spec;
  return [
    commentText(
      `# Kafka MirrorMaker 1 deployment ${ctx.ref}: process ${i} of ${placement.processesPerNode} on ${host}.`,
      'metadata.name',
    ),
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
  ].join('\n');
}
