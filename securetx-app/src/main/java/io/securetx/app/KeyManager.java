package io.securetx.app;

import io.securetx.config.SecureTxConfig;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.MasterKey;
import io.securetx.crypto.tink.TinkKeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master key and the keysets. The master key comes from {@code SECURETX_MASTER_KEY}
 * ({@code _FILE}); in development, when it is unset, a key is generated once into the data
 * directory with owner-only permissions, and a warning says so. Keysets are generated on first use
 * and stored encrypted under the master key.
 */
final class KeyManager {

  private static final Logger LOG = LoggerFactory.getLogger(KeyManager.class);
  static final String DEV_MASTER_KEY_FILE = "master.key";

  private final SecureTxConfig config;

  KeyManager(SecureTxConfig config) {
    this.config = config;
  }

  TinkKeyRing loadOrCreate() {
    MasterKey master = masterKey();
    Path dir = config.keyDir();
    if (TinkKeyRing.existsIn(dir)) {
      return TinkKeyRing.load(dir, master);
    }
    TinkKeyRing ring = TinkKeyRing.generate();
    ring.save(dir, master);
    LOG.warn("generated new keysets in {} (owner-only, encrypted under the master key)", dir);
    return ring;
  }

  TinkKeyRing rotate() {
    MasterKey master = masterKey();
    TinkKeyRing rotated = loadOrCreate().rotate();
    rotated.save(config.keyDir(), master);
    return rotated;
  }

  /**
   * A key for one purpose, derived from the master key (HKDF): every process with the same master
   * key derives the same one. Never logged.
   */
  byte[] derivedKey(String purpose) {
    return masterKey().insecureDerivedKey(purpose);
  }

  private MasterKey masterKey() {
    if (config.masterKey() != null) {
      return MasterKey.fromBase64(config.masterKey().insecureValue());
    }
    if (config.production()) {
      throw new CryptoException("SECURETX_MASTER_KEY is required in production");
    }
    Path file = config.keyDir().resolve(DEV_MASTER_KEY_FILE);
    try {
      if (Files.isRegularFile(file)) {
        return MasterKey.fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
      }
      TinkKeyRing.createOwnerOnlyDirectory(config.keyDir());
      MasterKey generated = MasterKey.generate(new SecureRandom());
      TinkKeyRing.writeOwnerOnly(file, generated.insecureBase64() + "\n");
      LOG.warn(
          "development mode: generated a master key in {} (owner-only). Set SECURETX_MASTER_KEY"
              + " or SECURETX_MASTER_KEY_FILE in production.",
          file);
      return generated;
    } catch (IOException e) {
      throw new CryptoException("cannot read or create the development master key " + file, e);
    }
  }
}
