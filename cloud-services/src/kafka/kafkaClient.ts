import { Kafka, logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../log/logger';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own log lines go to the service's JSON log. */
export function createKafka(brokers: readonly string[], clientId: string, log: Logger): Kafka {
  const creator: logCreator = () => ({ level, log: entry }) => {
    const { message, ...rest } = entry;
    log[LEVELS[level] ?? 'info']({ kafka: rest }, String(message));
  };
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.WARN, logCreator: creator, retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 } });
}
