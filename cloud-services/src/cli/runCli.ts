/**
 * Runs a command's `main` and exits with the status it returns; an error it throws is printed
 * as `<name>: <message>` (no stack: these are operators' commands) and exits 1.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
