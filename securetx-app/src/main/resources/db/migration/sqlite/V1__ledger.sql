-- The vault. Every column of ledger_entry is covered by entry_hash (see ChainHash); checkpoints are
-- signed; the head is what appenders lock. idempotency_key is a lookup index, not evidence.
CREATE TABLE ledger_entry (
    seq         INTEGER PRIMARY KEY,
    tx_id       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL, -- microseconds since the epoch
    user_index  BLOB    NOT NULL, -- keyed blind index of the user id
    mac_key_id  INTEGER NOT NULL, -- Tink key id, unsigned 32-bit
    aead_key_id INTEGER NOT NULL,
    ciphertext  BLOB    NOT NULL,
    mac         BLOB    NOT NULL,
    entry_hash  BLOB    NOT NULL
);
-- The only secondary index. A tx id is "tx_" + a UUIDv7 whose first 12 hex digits are the creation
-- time in milliseconds, so this index also serves time ranges (tx_id >= 'tx_0192f5e4-0000' ...).
-- user_index has no B-tree on purpose: random 32-byte keys turn each append into a scattered
-- page write and cost most of the append throughput; a lookup by user filters a scan.
CREATE UNIQUE INDEX ledger_entry_tx_id ON ledger_entry (tx_id);

CREATE TABLE ledger_checkpoint (
    seq        INTEGER PRIMARY KEY,
    entry_hash BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    signature  BLOB    NOT NULL
);

CREATE TABLE ledger_head (
    id         INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    entry_hash BLOB    NOT NULL
);
INSERT INTO ledger_head (id, seq, entry_hash) VALUES (1, 0, zeroblob(32));

CREATE TABLE idempotency_key (
    idem_key     TEXT PRIMARY KEY,
    request_hash BLOB    NOT NULL,
    seq          INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
