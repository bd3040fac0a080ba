import type { FastifyBaseLogger } from 'fastify';
import type { ProducerAdapter } from '../config/gatewayConfig';
import type { EventProducer } from './eventProducer';

/** The producer the configuration names; each adapter is loaded only when chosen (node-rdkafka is native). */
export async function createEventProducer(adapter: ProducerAdapter, brokers: readonly string[], log: FastifyBaseLogger): Promise<EventProducer> {
  switch (adapter) {
    case 'kafkajs': {
      const { KafkajsEventProducer } = await import('./kafkajsProducer');
      return new KafkajsEventProducer(brokers, log);
    }
    case 'rdkafka': {
      const { RdkafkaEventProducer } = await import('./rdkafkaProducer');
      return new RdkafkaEventProducer(brokers, log);
    }
    default: {
      const unknown: never = adapter;
      throw new Error(`Unknown producer adapter ${String(unknown)}`);
    }
  }
}
