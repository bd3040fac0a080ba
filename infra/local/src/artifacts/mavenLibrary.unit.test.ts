import { describe, expect, it } from 'vitest';
import { KAFKA_LIBRARY } from '../services/kafkaService';
import { renderPom } from './mavenLibrary';

describe('renderPom', () => {
  it('lists the Kafka broker, kafka-tools and the log4j2 binding as dependencies of a pom-only project', () => {
    const pom = renderPom(KAFKA_LIBRARY);
    expect(pom).toContain('<packaging>pom</packaging>');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>4.4.0</version>');
    expect(pom).toContain('<artifactId>kafka-tools</artifactId><version>4.4.0</version>');
    expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
    expect(pom).toContain('<artifactId>kafka-4.4.0</artifactId>');
  });
});
