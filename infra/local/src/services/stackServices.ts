import type { ServiceName } from '../stackConfig';
import { cassandraService } from './cassandraService';
import { ferretdbService } from './ferretdbService';
import { kafkaService } from './kafkaService';
import { postgresService } from './postgresService';
import type { StackService } from './stackService';

/** Every server of the local stack by name. */
export const STACK_SERVICES: Record<ServiceName, StackService> = {
  postgres: postgresService,
  ferretdb: ferretdbService,
  kafka: kafkaService,
  cassandra: cassandraService,
};
