package io.securetx.crypto.tink;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import io.securetx.crypto.BlindIndex;
import io.securetx.crypto.CheckpointSigner;
import io.securetx.crypto.CheckpointVerifier;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.IntegrityException;
import io.securetx.crypto.KeyRing;
import io.securetx.crypto.MasterKey;
import io.securetx.crypto.Sealer;
import io.securetx.crypto.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link KeyRing} backed by four Tink keysets: {@code mac} (HMAC-SHA256, 256-bit tags), {@code
 * aead} (AES-256-GCM), {@code checkpoint} (Ed25519) and {@code index} (HMAC-SHA256 PRF). On disk
 * each is a Tink JSON keyset encrypted with AES-256-GCM under the {@link MasterKey}, with the
 * keyset's name as associated data so files cannot be swapped.
 */
public final class TinkKeyRing implements KeyRing {

  /** The keyset files a key directory holds. */
  public static final List<String> KEYSET_NAMES = List.of("mac", "aead", "checkpoint", "index");

  static {
    try {
      MacConfig.register();
      AeadConfig.register();
      SignatureConfig.register();
      PrfConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeysetHandle mac;
  private final KeysetHandle aead;
  private final KeysetHandle checkpoint;
  private final KeysetHandle index;
  private final Signer signer;
  private final Sealer sealer;
  private final CheckpointSigner checkpointSigner;
  private final BlindIndex blindIndex;

  private TinkKeyRing(
      KeysetHandle mac, KeysetHandle aead, KeysetHandle checkpoint, KeysetHandle index) {
    this.mac = mac;
    this.aead = aead;
    this.checkpoint = checkpoint;
    this.index = index;
    try {
      this.signer = new TinkSigner(mac.getPrimitive(RegistryConfiguration.get(), Mac.class));
      this.sealer = new TinkSealer(aead.getPrimitive(RegistryConfiguration.get(), Aead.class));
      this.checkpointSigner =
          new TinkCheckpointSigner(
              checkpoint.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class),
              verifierOf(checkpoint.getPublicKeysetHandle()));
      this.blindIndex =
          new TinkBlindIndex(index.getPrimitive(RegistryConfiguration.get(), PrfSet.class));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot create primitives from keysets", e);
    }
  }

  /** Generates a key ring with one fresh key in each keyset. */
  public static TinkKeyRing generate() {
    try {
      return new TinkKeyRing(
          KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG),
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
          KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519),
          KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot generate keysets", e);
    }
  }

  /**
   * Returns a key ring whose MAC, AEAD and checkpoint keysets each have a new primary key; the old
   * keys stay, so everything they made still verifies and opens. The index key is kept as it is.
   */
  public TinkKeyRing rotate() {
    return new TinkKeyRing(
        withNewPrimary(mac, PredefinedMacParameters.HMAC_SHA256_256BITTAG),
        withNewPrimary(aead, PredefinedAeadParameters.AES256_GCM),
        withNewPrimary(checkpoint, PredefinedSignatureParameters.ED25519),
        index);
  }

  private static KeysetHandle withNewPrimary(KeysetHandle handle, Parameters parameters) {
    try {
      return KeysetHandle.newBuilder(handle)
          .addEntry(
              KeysetHandle.generateEntryFromParameters(parameters).withRandomId().makePrimary())
          .build();
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot add a key to a keyset", e);
    }
  }

  /** Tells whether {@code dir} holds a complete set of keyset files. */
  public static boolean existsIn(Path dir) {
    return KEYSET_NAMES.stream().allMatch(name -> Files.isRegularFile(fileOf(dir, name)));
  }

  /**
   * Loads the keysets from {@code dir}.
   *
   * @param dir the key directory
   * @param masterKey the key they are encrypted under
   * @return the key ring
   * @throws CryptoException if a file is missing, or cannot be decrypted with this master key
   */
  public static TinkKeyRing load(Path dir, MasterKey masterKey) {
    Aead wrap = wrappingAead(masterKey);
    return new TinkKeyRing(
        read(dir, "mac", wrap),
        read(dir, "aead", wrap),
        read(dir, "checkpoint", wrap),
        read(dir, "index", wrap));
  }

  /**
   * Writes the keysets to {@code dir} (created owner-only), each file owner-only and replaced
   * atomically.
   *
   * @param dir the key directory
   * @param masterKey the key to encrypt them under
   * @throws CryptoException if a file cannot be written
   */
  public void save(Path dir, MasterKey masterKey) {
    Aead wrap = wrappingAead(masterKey);
    try {
      createOwnerOnlyDirectory(dir);
      write(dir, "mac", mac, wrap);
      write(dir, "aead", aead, wrap);
      write(dir, "checkpoint", checkpoint, wrap);
      write(dir, "index", index, wrap);
    } catch (IOException | GeneralSecurityException e) {
      throw new CryptoException("cannot write keysets to " + dir, e);
    }
  }

  /**
   * The public half of the checkpoint keyset as Tink JSON: what an auditor needs to verify the
   * ledger's checkpoints, and nothing secret.
   */
  public String exportCheckpointPublicKeyset() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(
          checkpoint.getPublicKeysetHandle());
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot export the public checkpoint keyset", e);
    }
  }

  /**
   * Builds a verifier from an exported public checkpoint keyset.
   *
   * @param json the output of {@link #exportCheckpointPublicKeyset()}
   * @return the verifier
   * @throws CryptoException if the text is not a public Tink keyset
   */
  public static CheckpointVerifier checkpointVerifierFromPublicKeyset(String json) {
    try {
      return verifierOf(TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(json));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("not a public checkpoint keyset", e);
    }
  }

  /** The ids of the MAC keys, primary last. For display, never for security decisions. */
  public String describe() {
    return "mac keys "
        + mac.size()
        + " (primary "
        + Integer.toUnsignedString(mac.getPrimary().getId())
        + "), aead keys "
        + aead.size()
        + " (primary "
        + Integer.toUnsignedString(aead.getPrimary().getId())
        + "), checkpoint keys "
        + checkpoint.size()
        + " (primary "
        + Integer.toUnsignedString(checkpoint.getPrimary().getId())
        + ")";
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public Sealer sealer() {
    return sealer;
  }

  @Override
  public CheckpointSigner checkpointSigner() {
    return checkpointSigner;
  }

  @Override
  public BlindIndex blindIndex() {
    return blindIndex;
  }

  private static CheckpointVerifier verifierOf(KeysetHandle publicHandle)
      throws GeneralSecurityException {
    PublicKeyVerify verify =
        publicHandle.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
    return new TinkCheckpointVerifier(verify);
  }

  @AccessesPartialKey // the master key arrives as raw bytes from the environment
  private static Aead wrappingAead(MasterKey masterKey) {
    byte[] raw = masterKey.insecureBytes();
    try {
      AesGcmKey key =
          AesGcmKey.builder()
              .setParameters(
                  AesGcmParameters.builder()
                      .setKeySizeBytes(MasterKey.LENGTH)
                      .setIvSizeBytes(12)
                      .setTagSizeBytes(16)
                      .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                      .build())
              .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get()))
              .build();
      return AesGcmJce.create(key);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot use the master key", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static Path fileOf(Path dir, String name) {
    return dir.resolve(name + ".keyset.json");
  }

  private static byte[] associatedData(String name) {
    return ("securetx/keyset/" + name).getBytes(StandardCharsets.UTF_8);
  }

  private static KeysetHandle read(Path dir, String name, Aead wrap) {
    Path file = fileOf(dir, name);
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CryptoException("cannot read keyset " + file, e);
    }
    try {
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, wrap, associatedData(name));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          "cannot decrypt keyset " + file + ": wrong master key, or the file was altered", e);
    }
  }

  private static void write(Path dir, String name, KeysetHandle handle, Aead wrap)
      throws IOException, GeneralSecurityException {
    String json =
        TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, wrap, associatedData(name));
    writeOwnerOnly(fileOf(dir, name), json);
  }

  /**
   * Writes {@code content} to {@code target} through an owner-only temporary file in the same
   * directory, then moves it into place atomically, so a reader never sees half a file.
   *
   * @param target the file to replace
   * @param content its new content
   * @throws IOException if writing fails
   */
  public static void writeOwnerOnly(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IllegalArgumentException("not a file path: " + target);
    }
    Path tmp =
        Files.createTempFile(
            dir,
            target.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates {@code dir} (and parents) if missing; the directory itself is made owner-only.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created
   */
  public static void createOwnerOnlyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // Another process created it first; the permission check below still applies.
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** The MAC implementation: Tink's keyset MAC, which verifies under every key in the set. */
  private static final class TinkSigner implements Signer {
    private final Mac mac;

    TinkSigner(Mac mac) {
      this.mac = mac;
    }

    @Override
    public byte[] sign(byte[] data) {
      try {
        return mac.computeMac(data);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot compute MAC", e);
      }
    }

    @Override
    public void verify(byte[] tag, byte[] data) throws IntegrityException {
      try {
        mac.verifyMac(tag, data);
      } catch (GeneralSecurityException e) {
        throw new IntegrityException("MAC mismatch", e);
      }
    }

    @Override
    public int keyIdOf(byte[] tag) throws IntegrityException {
      return TinkKeyIds.keyIdOf(tag);
    }
  }

  /** The AEAD implementation. */
  private static final class TinkSealer implements Sealer {
    private final Aead aead;

    TinkSealer(Aead aead) {
      this.aead = aead;
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
      try {
        return aead.encrypt(plaintext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot encrypt", e);
      }
    }

    @Override
    public byte[] open(byte[] ciphertext, byte[] associatedData) throws IntegrityException {
      try {
        return aead.decrypt(ciphertext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new IntegrityException("ciphertext does not open", e);
      }
    }

    @Override
    public int keyIdOf(byte[] ciphertext) throws IntegrityException {
      return TinkKeyIds.keyIdOf(ciphertext);
    }
  }

  /** The Ed25519 signer. */
  private static final class TinkCheckpointSigner implements CheckpointSigner {
    private final PublicKeySign sign;
    private final CheckpointVerifier verifier;

    TinkCheckpointSigner(PublicKeySign sign, CheckpointVerifier verifier) {
      this.sign = sign;
      this.verifier = verifier;
    }

    @Override
    public byte[] sign(byte[] statement) {
      try {
        return sign.sign(statement);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot sign checkpoint", e);
      }
    }

    @Override
    public CheckpointVerifier verifier() {
      return verifier;
    }
  }

  /** The Ed25519 verifier over a public keyset. */
  private static final class TinkCheckpointVerifier implements CheckpointVerifier {
    private final PublicKeyVerify verify;

    TinkCheckpointVerifier(PublicKeyVerify verify) {
      this.verify = verify;
    }

    @Override
    public void verify(byte[] signature, byte[] statement) throws IntegrityException {
      try {
        verify.verify(signature, statement);
      } catch (GeneralSecurityException e) {
        throw new IntegrityException("checkpoint signature does not verify", e);
      }
    }
  }

  /** The blind index: the primary PRF of the index keyset, with a domain label in front. */
  private static final class TinkBlindIndex implements BlindIndex {
    private final PrfSet prf;

    TinkBlindIndex(PrfSet prf) {
      this.prf = prf;
    }

    @Override
    public byte[] compute(String domain, byte[] value) {
      byte[] label = domain.getBytes(StandardCharsets.UTF_8);
      byte[] input = new byte[2 + label.length + value.length];
      input[0] = (byte) (label.length >>> 8);
      input[1] = (byte) label.length;
      System.arraycopy(label, 0, input, 2, label.length);
      System.arraycopy(value, 0, input, 2 + label.length, value.length);
      try {
        return prf.computePrimary(input, LENGTH);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot compute blind index", e);
      }
    }
  }
}
