import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig } from './gatewayConfig';

describe('the gateway configuration', () => {
  it('given no env, then the documented defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ kioskHost: '127.0.0.1', kioskPort: 8443, adminPort: 8444, producer: 'rdkafka', kafkaBrokers: ['127.0.0.1:9092'] });
    expect(config.limits.maxEventsPerBatch).toBe(500);
  });

  it('given env vars, then they are converted and validated once', () => {
    const config = loadGatewayConfig({ ATRIUM_GATEWAY_KIOSK_HOST: '10.99.0.1', ATRIUM_GATEWAY_KIOSK_PORT: '9443', ATRIUM_KAFKA_BROKERS: 'a:1, b:2', ATRIUM_GATEWAY_PRODUCER: 'kafkajs', ATRIUM_GATEWAY_MAX_EVENTS_PER_BATCH: '100' });
    expect(config).toMatchObject({ kioskHost: '10.99.0.1', kioskPort: 9443, kafkaBrokers: ['a:1', 'b:2'], producer: 'kafkajs' });
    expect(config.limits.maxEventsPerBatch).toBe(100);
  });

  it('given a bad value, then one error naming the setting', () => {
    expect(() => loadGatewayConfig({ ATRIUM_GATEWAY_PRODUCER: 'librdkafka' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ ATRIUM_GATEWAY_KIOSK_PORT: '70000' })).toThrow(/kioskPort/);
    expect(() => loadGatewayConfig({ ATRIUM_GATEWAY_CONTENT_PAGE_DEFAULT: '2000' })).toThrow(/contentPageDefault/);
  });
});
