// The kiosk's content cache: directory search, store pages, opening hours, offers, wayfinding
// and kiosk settings, all from the local SQLite store, fed by the content delta feed.
export { ContentCache, type ContentCacheOptions, type StoreRouteOptions } from './contentCache';
export type { ContentStoreHandle, ContentFeedPosition, ContentPageApplied, ApplyContentPageOptions } from './contentFeed';
export type { StoreHit, StoreSearchOptions, OpenAt } from './storeSearch';
export type { CategoryCount, StoreDetail, ContentLanguage } from './contentQueries';
export { parseContentPage, type PageFieldError } from './contentPageValidation';
export type { OpenStatus, LocalTime } from '../../core/content/openingHours';
export type { Route, RouteStep, FloorLeg, TurnDirection, FloorChangeVia } from '../../core/content/routeDirections';
export type { RouteOptions, RouteResult, NoRouteReason } from '../../core/content/findRoute';
export type { FloorPlan, FloorSegment } from '../../core/content/floorPlan';
