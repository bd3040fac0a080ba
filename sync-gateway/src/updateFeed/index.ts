// The per-device update feed: a self-contained Fastify plugin the gateway registers on its kiosk
// listener, with the PostgreSQL source and the artefact reader it runs on.
export { updateFeedPlugin, APP_VERSION_HEADER, type UpdateFeedPluginOptions } from './updateFeedPlugin';
export { pgUpdateFeedSource } from './pgUpdateFeedSource';
export { localArtefactReader, type ArtefactReader } from './artefactReader';
export type { FeedAnswer, FeedArtefact, FeedIdentity, UpdateFeedSource } from './updateFeedSource';
