/**
 * The `mirror-maker` command-line tool.
 *
 * @packageDocumentation
 */
import { createProgram } from './program';

createProgram(result => {
  process.stdout.write(result.stdout);
  process.exitCode = result.exitCode;
})
  .parseAsync(process.argv)
  .catch((error: Error) => {
    process.stderr.write(`mirror-maker: ${error.message}\n`);
    process.exitCode = 2;
  });
