-- A random stamp per applied content page. In-memory caches (map graph, search vocabulary) key on
-- it rather than on content_version, because a rolled-back page returns content_version to an
-- earlier number that a later, different page would reuse; a stamp is never reused.
ALTER TABLE content_feed ADD COLUMN content_stamp TEXT NOT NULL DEFAULT 'initial';
