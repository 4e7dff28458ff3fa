package io.securetx.adapter.sql;

import io.securetx.ledger.LedgerEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Streams rows into PostgreSQL with {@code COPY ... FROM STDIN (FORMAT binary)}: no SQL to parse
 * per row and no text conversion of the binary columns, which makes large batches several times
 * cheaper for the server than multi-row inserts or arrays. It runs inside the caller's transaction,
 * so it commits or rolls back with the rest of the batch.
 */
final class PostgresCopy {

  /** The 11 bytes that open a binary COPY stream. */
  private static final String SIGNATURE = "PGCOPY\n\u00ff\r\n\u0000";

  /** Flushed to the server in pieces of about this size. */
  private static final int CHUNK = 1 << 20;

  private PostgresCopy() {}

  /**
   * An idempotency key row.
   *
   * @param key the key
   * @param requestHash the digest of the request that used it
   * @param seq the entry it refers to
   * @param createdAtMicros when it was stored
   */
  record KeyRow(String key, byte[] requestHash, long seq, long createdAtMicros) {}

  /** Copies chained entries into {@code ledger_entry}. */
  static void entries(Connection c, List<LedgerEntry> entries) throws SQLException {
    try (Writer w =
        new Writer(
            c,
            "ledger_entry (seq, tx_id, created_at, user_index, mac_key_id,"
                + " aead_key_id, ciphertext, mac, entry_hash)")) {
      for (LedgerEntry e : entries) {
        w.row(9);
        w.int8(e.seq());
        w.bytes(e.txId().getBytes(StandardCharsets.UTF_8));
        w.int8(e.createdAtMicros());
        w.bytes(e.userIndex());
        w.int8(e.macKeyId());
        w.int8(e.aeadKeyId());
        w.bytes(e.ciphertext());
        w.bytes(e.mac());
        w.bytes(e.entryHash());
      }
      w.finish();
    }
  }

  /** Copies new rows into {@code idempotency_key}. */
  static void keys(Connection c, List<KeyRow> rows) throws SQLException {
    try (Writer w = new Writer(c, "idempotency_key (idem_key, request_hash, seq, created_at)")) {
      for (KeyRow row : rows) {
        w.row(4);
        w.bytes(row.key().getBytes(StandardCharsets.UTF_8));
        w.bytes(row.requestHash());
        w.int8(row.seq());
        w.int8(row.createdAtMicros());
      }
      w.finish();
    }
  }

  /** One COPY operation: the binary header, tuples, the trailer. */
  private static final class Writer implements AutoCloseable {
    private final CopyIn copy;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK + (64 << 10));
    private final DataOutputStream out = new DataOutputStream(buffer);

    Writer(Connection c, String table) throws SQLException {
      CopyManager api = c.unwrap(PGConnection.class).getCopyAPI();
      copy = api.copyIn("COPY " + table + " FROM STDIN (FORMAT binary)");
      try {
        out.write(SIGNATURE.getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
    }

    void row(int fields) throws SQLException {
      if (buffer.size() >= CHUNK) {
        flush();
      }
      try {
        out.writeShort(fields);
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
    }

    void int8(long value) {
      try {
        out.writeInt(8);
        out.writeLong(value);
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
    }

    void bytes(byte[] value) {
      try {
        out.writeInt(value.length);
        out.write(value);
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
    }

    private void flush() throws SQLException {
      copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
      buffer.reset();
    }

    /** Writes the trailer and ends the COPY; the rows are then part of the transaction. */
    void finish() throws SQLException {
      try {
        out.writeShort(-1);
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
      flush();
      copy.endCopy();
    }

    /** Cancels a COPY that did not finish, so the connection can roll back. */
    @Override
    public void close() throws SQLException {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }
}
