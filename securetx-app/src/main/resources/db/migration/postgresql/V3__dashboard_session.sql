-- One row per open dashboard session, so every server sharing this database knows it (no sticky
-- sessions behind a load balancer). Keyed by the SHA-256 of the session id, never the id itself:
-- a reader of this table or of a backup cannot present a row as a cookie. The CSRF token is not
-- stored either; the server derives it from the id the cookie carries. A session ends when
-- last_seen_at is older than the idle lifetime or created_at older than the absolute one; expired
-- rows are deleted whenever a session is opened, and the number of rows is capped (oldest first).
-- Not evidence, and not covered by the ledger's hash chain.
CREATE TABLE dashboard_session (
    key_hash     TEXT   PRIMARY KEY, -- lower-case hex SHA-256 of the session id
    created_at   BIGINT NOT NULL, -- microseconds since the epoch
    last_seen_at BIGINT NOT NULL  -- microseconds since the epoch; automatic polls do not move it
);
CREATE INDEX dashboard_session_created_at ON dashboard_session (created_at);
