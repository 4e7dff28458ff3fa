package io.securetx.crypto.tink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import io.securetx.crypto.CheckpointVerifier;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.IntegrityException;
import io.securetx.crypto.MasterKey;
import io.securetx.crypto.Sealer;
import io.securetx.crypto.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkKeyRingTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] DATA = "canonical transaction bytes".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AD =
      "tx_01890a5d-ac96-774b-bcce-b302099a8057".getBytes(StandardCharsets.UTF_8);

  private TinkKeyRing ring;

  @BeforeEach
  void setUp() {
    ring = TinkKeyRing.generate();
  }

  /** Every single-bit flip, every truncation (including empty) and a one-byte extension. */
  static List<byte[]> mutations(byte[] original) {
    List<byte[]> mutations = new ArrayList<>();
    for (int bit = 0; bit < original.length * 8; bit++) {
      byte[] flipped = original.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      mutations.add(flipped);
    }
    for (int length = 0; length < original.length; length++) {
      mutations.add(Arrays.copyOf(original, length));
    }
    mutations.add(Arrays.copyOf(original, original.length + 1));
    return mutations;
  }

  @Test
  void verify_freshTag_passes() throws IntegrityException {
    Signer signer = ring.signer();
    byte[] tag = signer.sign(DATA);

    signer.verify(tag, DATA);
    assertThat(tag).hasSize(5 + 32);
    assertThat(tag[0]).isEqualTo((byte) 0x01);
  }

  @Test
  void verify_tagOverOtherData_throwsIntegrityException() {
    byte[] tag = ring.signer().sign(DATA);
    byte[] other = Arrays.copyOf(DATA, DATA.length + 1);

    assertThatThrownBy(() -> ring.signer().verify(tag, other))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void verify_everyMutationOfTag_throwsIntegrityException() {
    byte[] tag = ring.signer().sign(DATA);

    for (byte[] mutated : mutations(tag)) {
      assertThatThrownBy(() -> ring.signer().verify(mutated, DATA))
          .as("tag of length %d", mutated.length)
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void verify_tagFromOtherRing_throwsIntegrityException() {
    byte[] tag = TinkKeyRing.generate().signer().sign(DATA);

    assertThatThrownBy(() -> ring.signer().verify(tag, DATA))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void open_sealedWithSameAssociatedData_givesPlaintext() throws IntegrityException {
    Sealer sealer = ring.sealer();
    byte[] sealed = sealer.seal(DATA, AD);

    assertThat(sealer.open(sealed, AD)).isEqualTo(DATA);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(Arrays.copyOf(DATA, 8), StandardCharsets.ISO_8859_1));
    assertThat(sealer.seal(DATA, AD)).isNotEqualTo(sealed);
  }

  @Test
  void open_differentAssociatedData_throwsIntegrityException() {
    byte[] sealed = ring.sealer().seal(DATA, AD);
    byte[] otherAd = AD.clone();
    otherAd[otherAd.length - 1] ^= 1;

    assertThatThrownBy(() -> ring.sealer().open(sealed, otherAd))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> ring.sealer().open(sealed, new byte[0]))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void open_everyBitFlipTruncationAndExtension_throwsIntegrityException() {
    byte[] sealed = ring.sealer().seal(DATA, AD);
    List<byte[]> mutations = mutations(sealed);

    for (byte[] mutated : mutations) {
      assertThatThrownBy(() -> ring.sealer().open(mutated, AD))
          .as("ciphertext of length %d", mutated.length)
          .isInstanceOf(IntegrityException.class);
    }
    assertThat(mutations).hasSize(sealed.length * 8 + sealed.length + 1);
  }

  @Test
  void keyIdOf_outputWithoutTinkPrefix_throwsIntegrityException() {
    assertThatThrownBy(() -> ring.signer().keyIdOf(new byte[] {0x01, 0, 0}))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> ring.sealer().keyIdOf(new byte[] {0x00, 1, 2, 3, 4, 5}))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void load_savedRing_opensAndVerifiesWhatOriginalMade(@TempDir Path tmp)
      throws IntegrityException {
    Path dir = tmp.resolve("keys");
    MasterKey master = MasterKey.generate(RANDOM);
    byte[] sealed = ring.sealer().seal(DATA, AD);
    byte[] tag = ring.signer().sign(DATA);
    byte[] signature = ring.checkpointSigner().sign(DATA);

    ring.save(dir, master);
    TinkKeyRing loaded = TinkKeyRing.load(dir, master);

    assertThat(TinkKeyRing.existsIn(dir)).isTrue();
    assertThat(loaded.sealer().open(sealed, AD)).isEqualTo(DATA);
    loaded.signer().verify(tag, DATA);
    loaded.checkpointSigner().verifier().verify(signature, DATA);
    assertThat(loaded.blindIndex().compute("user", DATA))
        .isEqualTo(ring.blindIndex().compute("user", DATA));
    assertThat(loaded.describe()).isEqualTo(ring.describe());
  }

  @Test
  void load_differentMasterKey_throwsCryptoExceptionWithoutKey(@TempDir Path tmp) {
    Path dir = tmp.resolve("keys");
    MasterKey master = MasterKey.generate(RANDOM);
    MasterKey other = MasterKey.generate(RANDOM);
    ring.save(dir, master);

    assertThatThrownBy(() -> TinkKeyRing.load(dir, other))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("wrong master key")
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(master.insecureBase64())
                    .doesNotContain(other.insecureBase64());
              }
            });
  }

  @Test
  void load_fileSwappedForAnotherKeyset_throwsCryptoException(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("keys");
    MasterKey master = MasterKey.generate(RANDOM);
    ring.save(dir, master);
    Files.copy(
        dir.resolve("aead.keyset.json"),
        dir.resolve("mac.keyset.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> TinkKeyRing.load(dir, master))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("mac.keyset.json");
  }

  @Test
  void load_missingFile_throwsCryptoException(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("keys");
    MasterKey master = MasterKey.generate(RANDOM);
    ring.save(dir, master);
    Files.delete(dir.resolve("index.keyset.json"));

    assertThat(TinkKeyRing.existsIn(dir)).isFalse();
    assertThatThrownBy(() -> TinkKeyRing.load(dir, master)).isInstanceOf(CryptoException.class);
  }

  @Test
  void save_anyRing_filesOwnerOnlyAndDirectoryOwnerOnly(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("nested").resolve("keys");

    ring.save(dir, MasterKey.generate(RANDOM));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (var files = Files.list(dir)) {
      List<Path> listed = files.toList();
      assertThat(listed)
          .extracting(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder(
              "mac.keyset.json", "aead.keyset.json", "checkpoint.keyset.json", "index.keyset.json");
      for (Path file : listed) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .as(file.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void save_existingLooseDirectory_tightenedToOwnerOnly(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("keys"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    ring.save(dir, MasterKey.generate(RANDOM));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void save_keysetFiles_holdNoPlaintextKeyMaterial(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("keys");
    ring.save(dir, MasterKey.generate(RANDOM));

    String mac = Files.readString(dir.resolve("mac.keyset.json"), StandardCharsets.UTF_8);

    // Only the encrypted keyset and its public metadata: no "keyData" with key bytes.
    assertThat(mac).contains("encryptedKeyset", "keysetInfo").doesNotContain("keyData");
    assertThatThrownBy(
            () -> TinkJsonProtoKeysetFormat.parseKeyset(mac, InsecureSecretKeyAccess.get()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rotate_newMacs_useNewPrimaryAndOldOutputsStillVerifyAndOpen() throws IntegrityException {
    byte[] oldTag = ring.signer().sign(DATA);
    byte[] oldSealed = ring.sealer().seal(DATA, AD);
    byte[] oldSignature = ring.checkpointSigner().sign(DATA);

    TinkKeyRing rotated = ring.rotate();
    byte[] newTag = rotated.signer().sign(DATA);
    byte[] newSealed = rotated.sealer().seal(DATA, AD);

    assertThat(rotated.signer().keyIdOf(newTag)).isNotEqualTo(ring.signer().keyIdOf(oldTag));
    assertThat(rotated.sealer().keyIdOf(newSealed)).isNotEqualTo(ring.sealer().keyIdOf(oldSealed));
    rotated.signer().verify(oldTag, DATA);
    assertThat(rotated.sealer().open(oldSealed, AD)).isEqualTo(DATA);
    rotated.checkpointSigner().verifier().verify(oldSignature, DATA);
    assertThat(rotated.describe()).contains("mac keys 2", "aead keys 2", "checkpoint keys 2");
    // The old ring does not know the new keys.
    assertThatThrownBy(() -> ring.signer().verify(newTag, DATA))
        .isInstanceOf(IntegrityException.class);
    // The index key is deliberately not rotated.
    assertThat(rotated.blindIndex().compute("user", DATA))
        .isEqualTo(ring.blindIndex().compute("user", DATA));
  }

  @Test
  void rotate_savedAndLoaded_stillOpensBothGenerations(@TempDir Path tmp)
      throws IntegrityException {
    byte[] oldSealed = ring.sealer().seal(DATA, AD);
    TinkKeyRing rotated = ring.rotate();
    byte[] newSealed = rotated.sealer().seal(DATA, AD);
    MasterKey master = MasterKey.generate(RANDOM);

    rotated.save(tmp.resolve("keys"), master);
    TinkKeyRing loaded = TinkKeyRing.load(tmp.resolve("keys"), master);

    assertThat(loaded.sealer().open(oldSealed, AD)).isEqualTo(DATA);
    assertThat(loaded.sealer().open(newSealed, AD)).isEqualTo(DATA);
  }

  @Test
  void checkpointVerifier_fromExportedPublicKeyset_verifiesAndRejectsModifiedStatement()
      throws IntegrityException {
    byte[] statement = "chain up to 42 ends in ...".getBytes(StandardCharsets.UTF_8);
    byte[] signature = ring.checkpointSigner().sign(statement);
    CheckpointVerifier verifier =
        TinkKeyRing.checkpointVerifierFromPublicKeyset(ring.exportCheckpointPublicKeyset());

    verifier.verify(signature, statement);
    byte[] modified = statement.clone();
    modified[0] ^= 1;
    assertThatThrownBy(() -> verifier.verify(signature, modified))
        .isInstanceOf(IntegrityException.class);
    for (byte[] mutated : mutations(signature)) {
      assertThatThrownBy(() -> verifier.verify(mutated, statement))
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void checkpointVerifier_otherRingsPublicKeyset_rejectsSignature() {
    byte[] signature = ring.checkpointSigner().sign(DATA);
    CheckpointVerifier other =
        TinkKeyRing.checkpointVerifierFromPublicKeyset(
            TinkKeyRing.generate().exportCheckpointPublicKeyset());

    assertThatThrownBy(() -> other.verify(signature, DATA)).isInstanceOf(IntegrityException.class);
  }

  @Test
  void exportCheckpointPublicKeyset_anyRing_holdsNoPrivateKey() throws GeneralSecurityException {
    String json = ring.exportCheckpointPublicKeyset();

    assertThat(json)
        .contains("Ed25519PublicKey", "ASYMMETRIC_PUBLIC")
        .doesNotContain("PrivateKey", "ASYMMETRIC_PRIVATE", "privateKey");
    // Even parsed with secret access, the exported keyset cannot produce signatures.
    KeysetHandle parsed =
        TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    assertThatThrownBy(() -> parsed.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void checkpointVerifierFromPublicKeyset_garbageOrSecretKeyset_throwsCryptoException() {
    assertThatThrownBy(() -> TinkKeyRing.checkpointVerifierFromPublicKeyset("{not json"))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void blindIndex_sameDomainAndValue_deterministic() {
    byte[] first = ring.blindIndex().compute("user", DATA);

    assertThat(ring.blindIndex().compute("user", DATA)).isEqualTo(first).hasSize(32);
  }

  @Test
  void blindIndex_differentDomainValueOrRing_differs() {
    byte[] user = ring.blindIndex().compute("user", DATA);

    assertThat(ring.blindIndex().compute("request", DATA)).isNotEqualTo(user);
    assertThat(ring.blindIndex().compute("user", AD)).isNotEqualTo(user);
    assertThat(TinkKeyRing.generate().blindIndex().compute("user", DATA)).isNotEqualTo(user);
  }

  @Test
  void blindIndex_domainBoundaryShifted_differs() {
    // The domain is length-prefixed, so ("ab", "c") and ("a", "bc") cannot collide.
    byte[] abC = ring.blindIndex().compute("ab", "c".getBytes(StandardCharsets.UTF_8));
    byte[] aBc = ring.blindIndex().compute("a", "bc".getBytes(StandardCharsets.UTF_8));

    assertThat(abC).isNotEqualTo(aBc);
  }
}
