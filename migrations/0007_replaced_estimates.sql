-- How many estimated events each import's final figures replaced when it landed (KDP's daily royalties,
-- replaced by the month's royalties): the history says "replaced 12 estimates". 0 for imports before.
ALTER TABLE batches ADD COLUMN replaced_estimates INTEGER NOT NULL DEFAULT 0;
