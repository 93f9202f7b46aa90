/**
 * Entry point of the `hearth` command (bin/hearth.js loads it through tsx).
 * One-shot commands exit with their code; `serve` keeps the process alive
 * until a signal stops it.
 */
import { runCli } from './cli/program.ts';

const code = await runCli(process.argv);
if (code !== null) process.exit(code);
