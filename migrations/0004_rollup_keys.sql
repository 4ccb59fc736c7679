-- The rollup tables keyed by numbers instead of text: a day is its number since 1970-01-01, a month the
-- number of its first day, and every platform, product key, currency and country an id in
-- `rollup_keys`. A daily product row took 81 bytes, half of it text repeated on every row (a catalogue
-- of a thousand products has nearly one such row per sale); it now takes about 40, and its key compares
-- as integers. Products' names move out of the rows into `rollup_product_names`.

CREATE TABLE rollup_keys (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);

-- The name a product was last seen with (on the latest day among its events), per platform.
CREATE TABLE rollup_product_names (
    platform      INTEGER NOT NULL,
    product  INTEGER NOT NULL,
    name     TEXT NOT NULL,
    day      INTEGER NOT NULL,
    PRIMARY KEY (platform, product)
) WITHOUT ROWID;

INSERT INTO rollup_keys (text)
SELECT platform FROM rollup_daily
UNION SELECT currency FROM rollup_daily
UNION SELECT platform FROM rollup_daily_product
UNION SELECT product_key FROM rollup_daily_product
UNION SELECT currency FROM rollup_daily_product
UNION SELECT country FROM rollup_daily_country
UNION SELECT currency FROM rollup_daily_country
UNION SELECT platform FROM rollup_monthly
UNION SELECT currency FROM rollup_monthly
UNION SELECT platform FROM rollup_monthly_product
UNION SELECT product_key FROM rollup_monthly_product
UNION SELECT currency FROM rollup_monthly_product
UNION SELECT country FROM rollup_monthly_country
UNION SELECT currency FROM rollup_monthly_country;

INSERT INTO rollup_product_names (platform, product, name, day)
SELECT (SELECT id FROM rollup_keys WHERE text = platform), (SELECT id FROM rollup_keys WHERE text = product_key),
       product_name, CAST(julianday(day) - 2440587.5 AS INTEGER)
FROM rollup_daily_product WHERE product_name IS NOT NULL
ORDER BY day
ON CONFLICT (platform, product) DO UPDATE SET name = excluded.name, day = excluded.day;

ALTER TABLE rollup_daily RENAME TO old_rollup_daily;
CREATE TABLE rollup_daily (
    day           INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (day, platform, currency)
) WITHOUT ROWID;
INSERT INTO rollup_daily
SELECT CAST(julianday(day) - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = platform), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_daily;
DROP TABLE old_rollup_daily;

ALTER TABLE rollup_daily_product RENAME TO old_rollup_daily_product;
CREATE TABLE rollup_daily_product (
    day           INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    product       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (day, platform, product, currency)
) WITHOUT ROWID;
INSERT INTO rollup_daily_product
SELECT CAST(julianday(day) - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = platform), (SELECT id FROM rollup_keys WHERE text = product_key), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_daily_product;
DROP TABLE old_rollup_daily_product;

ALTER TABLE rollup_daily_country RENAME TO old_rollup_daily_country;
CREATE TABLE rollup_daily_country (
    day           INTEGER NOT NULL,
    country       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (day, country, currency)
) WITHOUT ROWID;
INSERT INTO rollup_daily_country
SELECT CAST(julianday(day) - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = country), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_daily_country;
DROP TABLE old_rollup_daily_country;

ALTER TABLE rollup_monthly RENAME TO old_rollup_monthly;
CREATE TABLE rollup_monthly (
    month         INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (month, platform, currency)
) WITHOUT ROWID;
INSERT INTO rollup_monthly
SELECT CAST(julianday(month || '-01') - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = platform), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_monthly;
DROP TABLE old_rollup_monthly;

ALTER TABLE rollup_monthly_product RENAME TO old_rollup_monthly_product;
CREATE TABLE rollup_monthly_product (
    month         INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    product       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (month, platform, product, currency)
) WITHOUT ROWID;
INSERT INTO rollup_monthly_product
SELECT CAST(julianday(month || '-01') - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = platform), (SELECT id FROM rollup_keys WHERE text = product_key), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_monthly_product;
DROP TABLE old_rollup_monthly_product;

ALTER TABLE rollup_monthly_country RENAME TO old_rollup_monthly_country;
CREATE TABLE rollup_monthly_country (
    month         INTEGER NOT NULL,
    country       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    estimated     INTEGER NOT NULL,
    PRIMARY KEY (month, country, currency)
) WITHOUT ROWID;
INSERT INTO rollup_monthly_country
SELECT CAST(julianday(month || '-01') - 2440587.5 AS INTEGER), (SELECT id FROM rollup_keys WHERE text = country), (SELECT id FROM rollup_keys WHERE text = currency), gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated
FROM old_rollup_monthly_country;
DROP TABLE old_rollup_monthly_country;
