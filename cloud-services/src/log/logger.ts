import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs on stdout, one line per entry, as every Atrium service writes them. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { service: name } });
}
