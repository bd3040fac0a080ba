import { eventCatalogue } from './catalogue';
import { dataSchemaUri } from '../cloudEvent';

/**
 * The catalogue as plain JSON Schema documents, one per event type, for other languages
 * and tools (TypeBox schemas are JSON Schema already; this strips nothing but adds `$id`).
 */
export function catalogueJsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const def of eventCatalogue) {
    out[def.type] = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: dataSchemaUri(def.type, def.schemaVersion),
      title: def.type,
      description: def.description,
      'x-delivery-class': def.deliveryClass,
      ...structuredClone(def.data),
    };
  }
  return out;
}
