// Writes sync-gateway/openapi.json from the route schemas of both listeners.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAdminApp } from '../app/buildAdminApp';
import { buildKioskApp } from '../app/buildKioskApp';
import { loadGatewayConfig } from '../config/gatewayConfig';
import { unitServices } from '../testing/unitServices';
import { openApiDocument } from './openApiDocument';
import { localArtefactReader } from '../updateFeed/artefactReader';
import type { UpdateFeedSource } from '../updateFeed/updateFeedSource';

/** Where the committed document lives. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** Builds both apps with the default configuration (no backends needed) and returns their document. */
export async function generateOpenApi(): Promise<Record<string, unknown>> {
  const { services } = unitServices({ config: loadGatewayConfig({}) });
  // Routes are only described here, never called: the feed source is a placeholder.
  services.updateFeed = { source: {} as UpdateFeedSource, artefacts: localArtefactReader('.') };
  const kiosk = await buildKioskApp(services);
  const admin = await buildAdminApp(services, () => ({}));
  try {
    await Promise.all([kiosk.ready(), admin.ready()]);
    return openApiDocument(kiosk, admin);
  } finally {
    await Promise.all([kiosk.close(), admin.close()]);
  }
}

/** The document as committed: two-space JSON with a final newline. */
export function formatOpenApi(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write('Usage: tsx sync-gateway/src/openapi/generateOpenApi.ts\n\nRegenerates sync-gateway/openapi.json from the route schemas (commit the result).\n');
  } else {
    writeFileSync(OPENAPI_FILE, formatOpenApi(await generateOpenApi()));
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
  }
}
