-- Content cache: the mall's directory, hours, offers, map and kiosk settings, as pulled from the
-- content delta feed. Each kind keeps the item's version and its validated JSON body; the
-- columns beside it are what the kiosk queries by. A page of the feed is applied in one
-- transaction together with the cursor and ETag below.

CREATE TABLE content_feed (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  cursor TEXT,
  etag TEXT,
  -- Bumped by every applied page, so in-memory caches (map graph, search vocabulary) know to reload.
  content_version INTEGER NOT NULL DEFAULT 0,
  applied_at TEXT
) STRICT;
INSERT INTO content_feed (singleton, content_version) VALUES (1, 0);

CREATE TABLE content_categories (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  name_en TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

-- `doc` is the rowid of the store's full-text row, stable across updates.
CREATE TABLE content_stores (
  doc INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  floor INTEGER NOT NULL,
  unit TEXT NOT NULL,
  node_id TEXT NOT NULL,
  keywords TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE content_store_categories (
  category_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  PRIMARY KEY (category_id, store_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX content_store_categories_by_store ON content_store_categories (store_id);

-- Directory search. Text is normalised by the kiosk before it is indexed (accents, Arabic
-- letter variants), so the tokenizer only splits on spaces and lower-cases. Contentless: the
-- rows live in content_stores; prefix indexes keep as-you-type prefixes fast.
CREATE VIRTUAL TABLE content_store_search USING fts5 (
  name, keywords, categories, description,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
-- The indexed terms, for typo correction.
CREATE VIRTUAL TABLE content_store_search_terms USING fts5vocab (content_store_search, 'row');

CREATE TABLE content_offers (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  store_id TEXT NOT NULL,
  valid_from_ms INTEGER NOT NULL,
  valid_to_ms INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX content_offers_by_store ON content_offers (store_id, valid_to_ms);
CREATE INDEX content_offers_by_end ON content_offers (valid_to_ms);

CREATE TABLE content_opening_hours (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE content_map_nodes (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  floor INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE content_map_edges (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE content_kiosk_config (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
