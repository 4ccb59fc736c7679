-- When each connection syncs on its own (issue 13): every `sync_every_secs` (15 minutes to a day,
-- hourly unless chosen), paused by the person or by Tributary (after failing ten times), and one
-- global pause (`ledger_settings.sync_paused` = '1'). In the ledger, not a settings file, because the
-- app, the tray process and the daemon all write them.
ALTER TABLE connections ADD COLUMN sync_every_secs INTEGER NOT NULL DEFAULT 3600
    CHECK (sync_every_secs BETWEEN 900 AND 86400);
ALTER TABLE connections ADD COLUMN paused_by TEXT CHECK (paused_by IN ('person', 'tributary'));
