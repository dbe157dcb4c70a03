import { CliUsageError } from "./command";
import { commands } from "./commands";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([key, load]) => `  ${key.padEnd(10)} ${(await load()).default.summary}`),
    );
    process.stdout.write(`Usage: tic-avatar <command> [options]\n\nCommands:\n${lines.join("\n")}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`tic-avatar: unknown command "${name}". Run "tic-avatar --help" for the list.\n`);
    return 2;
  }
  const command = (await load()).default;
  // `tic-avatar admin --help`: the command's usage on stdout, as `tic-avatar --help` gives the list.
  if (rest[0] === "--help" || rest[0] === "-h") {
    process.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`tic-avatar ${name}: ${error.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tic-avatar: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
