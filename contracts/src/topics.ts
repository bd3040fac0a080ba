/**
 * Kafka topics. Kiosk events are keyed by kiosk id, so one kiosk's events keep their order
 * on one partition. Dead-letter records carry the original bytes and headers plus
 * `atrium_dlq_*` headers saying why and where they failed.
 */
export const topics = {
  /** Every valid kiosk event, CloudEvents Kafka binary mode. */
  kioskEvents: 'atrium.kiosk-events.v1',
  /** Kiosk events the gateway refused (invalid, unknown type); their sequence still counts as delivered. */
  ingestDeadLetter: 'atrium.kiosk-events.ingest-dlq.v1',
  /** Events a cloud consumer (store writer, projection, integration) could not apply, with the reason. */
  processingDeadLetter: 'atrium.kiosk-events.processing-dlq.v1',
} as const;

/** Header names on dead-letter records. */
export const deadLetterHeaders = {
  reason: 'atrium_dlq_reason',
  code: 'atrium_dlq_code',
  stage: 'atrium_dlq_stage',
  failedAt: 'atrium_dlq_failed_at',
} as const;
