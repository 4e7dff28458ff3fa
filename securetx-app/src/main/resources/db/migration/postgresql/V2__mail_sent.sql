-- One row per e-mail that a mail server accepted, keyed by its deterministic Message-ID (without
-- the angle brackets), so that a redelivered task does not send it again. Shared by every worker of
-- a deployment; not evidence, and not covered by the ledger's hash chain.
CREATE TABLE mail_sent (
    message_id TEXT   PRIMARY KEY,
    sent_at    BIGINT NOT NULL -- microseconds since the epoch
);
