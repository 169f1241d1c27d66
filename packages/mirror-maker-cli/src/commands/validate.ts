import { formatFileProblems, loadAndCheck } from '../load';

export interface CommandResult {
  exitCode: number;
  stdout: string;
}

/** `mirror-maker validate <files...>`: every rule, every deployment; exit 1 on any error. */
export function validateCommand(
  files: string[],
  configFiles: string[],
): CommandResult {
  const { deployments, problems } = loadAndCheck(files, configFiles);
  const errors = problems.filter(p => p.problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const lines = [
    ...(problems.length > 0 ? [formatFileProblems(problems)] : []),
    `${deployments.length} MirrorMaker deployment(s) in ${files.length} file(s): ${errors} error(s), ${warnings} warning(s)`,
  ];
  return { exitCode: errors > 0 ? 1 : 0, stdout: `${lines.join('\n')}\n` };
}
