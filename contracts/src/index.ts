// @atrium/contracts: the shapes that cross every boundary. No I/O lives here.
import './formats';

export * from './cloudEvent';
export * from './eventId';
export * from './catalogue/defineEvent';
export * from './catalogue/catalogue';
export { SealedBox } from './catalogue/shopper';
export { EntityId, Language, SessionId } from './catalogue/common';
export * from './catalogue/jsonSchema';
export * from './validateEvent';
export * from './makeEvent';
export * from './httpBatch';
export * from './kafkaBinding';
export * from './errors';
export * from './sync';
export * from './updateFeed';
export * from './deviceSignature';
export * from './topics';
export * from './catalogue/examples';
export * from './content/contentBodies';
export * from './content/demoMall';
export * from './schemaTools';
export * from './kioskDataFiles';
export * from './sealedBoxProfile';
