/** A `tic-avatar` subcommand: `run` receives the arguments after its name and returns the exit code. */
export type CliCommand = {
  name: string;
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<number>;
};

/** Thrown for bad command-line input; main prints the message and the usage, exit code 2. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}
