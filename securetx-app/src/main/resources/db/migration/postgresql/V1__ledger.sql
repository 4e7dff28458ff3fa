-- The vault. Every column of ledger_entry is covered by entry_hash (see ChainHash); checkpoints are
-- signed; the head row is locked FOR UPDATE once per appended batch, so several processes can
-- append to one vault. idempotency_key is a lookup index, not evidence.
CREATE TABLE ledger_entry (
    seq         BIGINT PRIMARY KEY,
    tx_id       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL, -- microseconds since the epoch
    user_index  BYTEA  NOT NULL, -- keyed blind index of the user id
    mac_key_id  BIGINT NOT NULL, -- Tink key id, unsigned 32-bit
    aead_key_id BIGINT NOT NULL,
    ciphertext  BYTEA  NOT NULL,
    mac         BYTEA  NOT NULL,
    entry_hash  BYTEA  NOT NULL
);
-- The only secondary index. A tx id is "tx_" + a UUIDv7 whose first 12 hex digits are the creation
-- time in milliseconds, so this index also serves time ranges (tx_id >= 'tx_0192f5e4-0000' ...).
-- user_index has no B-tree on purpose: random 32-byte keys turn each append into a scattered
-- page write and cost most of the append throughput; a lookup by user filters a scan.
CREATE UNIQUE INDEX ledger_entry_tx_id ON ledger_entry (tx_id);

CREATE TABLE ledger_checkpoint (
    seq        BIGINT PRIMARY KEY,
    entry_hash BYTEA  NOT NULL,
    created_at BIGINT NOT NULL,
    signature  BYTEA  NOT NULL
);

CREATE TABLE ledger_head (
    id         INTEGER PRIMARY KEY,
    seq        BIGINT NOT NULL,
    entry_hash BYTEA  NOT NULL
);
INSERT INTO ledger_head (id, seq, entry_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE idempotency_key (
    idem_key     TEXT PRIMARY KEY,
    request_hash BYTEA  NOT NULL,
    seq          BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
