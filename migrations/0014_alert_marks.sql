-- What each alert channel last told the person (issue 13's alerts): per connection, the trouble it was
-- told of ('ok', 'failing', 'needs_reconnect', 'paused_itself'); for 'sales', the last sync run whose
-- new sales it summed. In the ledger so that the app and the tray process, whichever sees a change
-- first, tell it once: a mark is moved only from the value the teller read, in one transaction.
CREATE TABLE alert_marks (
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    mark    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (channel, subject)
) WITHOUT ROWID;
