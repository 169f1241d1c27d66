import { Command } from 'commander';
import { renderCommand } from './commands/render';
import { topologyCommand } from './commands/topology';
import { CommandResult, validateCommand } from './commands/validate';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Builds the `mirror-maker` program; `run` receives each command's result. */
export function createProgram(run: (result: CommandResult) => void): Command {
  const program = new Command('mirror-maker')
    .description(
      'Validate, render and analyse MirrorMaker deployments in a Backstage catalog repository',
    )
    .showHelpAfterError();

  const configOption = [
    '-c, --config <file>',
    'app-config file with mirrorMaker.clusters (repeatable; later files win; ${VAR} is read from the environment)',
    collect,
    [] as string[],
  ] as const;

  program
    .command('validate')
    .description(
      'Check every MirrorMaker entity and kafka-cluster in the files; exit 1 on any error',
    )
    .argument('<files...>', 'catalog YAML files')
    .option(...configOption)
    .action((files: string[], opts: { config: string[] }) =>
      run(validateCommand(files, opts.config)),
    );

  program
    .command('render')
    .description(
      'Write the files of every MirrorMaker deployment in <file> under --out',
    )
    .argument('<file>', 'catalog YAML file')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('-e, --entity <name>', 'render only this deployment')
    .option('--redact', 'replace secrets with a marker')
    .option(...configOption)
    .action(
      (
        file: string,
        opts: {
          out: string;
          config: string[];
          entity?: string;
          redact?: boolean;
        },
      ) => run(renderCommand(file, opts)),
    );

  program
    .command('topology')
    .description(
      'Print data centres, flows, the suffix map and findings; exit 1 on an error finding',
    )
    .argument('<files...>', 'catalog YAML files')
    .option('--json', 'print JSON instead of text')
    .option(...configOption)
    .action((files: string[], opts: { config: string[]; json?: boolean }) =>
      run(topologyCommand(files, opts)),
    );

  return program;
}
