package io.securetx.crypto.tink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.PrfMac;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer tests: the primitives securetx builds on give the published answers. HMAC-SHA256
 * from RFC 4231 section 4; AES-256-GCM from McGrew and Viega, "The Galois/Counter Mode of
 * Operation", test cases 13 to 16.
 */
class KnownAnswerTest {

  private static final HexFormat HEX = HexFormat.of();

  /** Tink refuses HMAC keys shorter than this; shorter RFC keys are checked through JCA only. */
  private static final int TINK_MIN_HMAC_KEY = 16;

  private static byte[] repeat(int value, int count) {
    byte[] bytes = new byte[count];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static Stream<Arguments> rfc4231() {
    return Stream.of(
        Arguments.of(
            "case 1",
            repeat(0x0b, 20),
            ascii("Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Arguments.of(
            "case 2 (4-byte key: JCA only)",
            ascii("Jefe"),
            ascii("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Arguments.of(
            "case 3",
            repeat(0xaa, 20),
            repeat(0xdd, 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Arguments.of(
            "case 4",
            HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            repeat(0xcd, 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Arguments.of(
            "case 6",
            repeat(0xaa, 131),
            ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Arguments.of(
            "case 7",
            repeat(0xaa, 131),
            ascii(
                "This is a test using a larger than block-size key and a larger than block-size"
                    + " data. The key needs to be hashed before being used by the HMAC"
                    + " algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc4231")
  void hmacSha256Jca_rfc4231Case_givesPublishedTag(
      String name, byte[] key, byte[] data, String expected) throws GeneralSecurityException {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));

    assertThat(HEX.formatHex(mac.doFinal(data))).as(name).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc4231")
  void hmacSha256Tink_rfc4231Case_givesPublishedTagAndVerifies(
      String name, byte[] key, byte[] data, String expected) throws GeneralSecurityException {
    if (key.length < TINK_MIN_HMAC_KEY) {
      // Tink refuses keys under 16 bytes by design (case 2's key is 4 bytes): JCA covers it.
      assertThatThrownBy(() -> tinkHmac(key)).isInstanceOf(GeneralSecurityException.class);
      return;
    }
    Mac mac = tinkHmac(key);

    assertThat(HEX.formatHex(mac.computeMac(data))).as(name).isEqualTo(expected);
    mac.verifyMac(HEX.parseHex(expected), data);
    byte[] flipped = HEX.parseHex(expected);
    flipped[31] ^= 1;
    assertThatThrownBy(() -> mac.verifyMac(flipped, data))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @AccessesPartialKey // builds a raw-prefix HMAC key from the RFC's key bytes
  private static Mac tinkHmac(byte[] key) throws GeneralSecurityException {
    HmacParameters parameters =
        HmacParameters.builder()
            .setKeySizeBytes(key.length)
            .setTagSizeBytes(32)
            .setHashType(HmacParameters.HashType.SHA256)
            .setVariant(HmacParameters.Variant.NO_PREFIX)
            .build();
    HmacKey hmacKey =
        HmacKey.builder()
            .setParameters(parameters)
            .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
            .build();
    return PrfMac.create(hmacKey);
  }

  private static final String K15 =
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
  private static final String P15 =
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
          + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
  private static final String C15 =
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
          + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

  static Stream<Arguments> gcmSpec() {
    String zeroKey = "00".repeat(32);
    String zeroIv = "00".repeat(12);
    return Stream.of(
        Arguments.of("case 13", zeroKey, zeroIv, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
        Arguments.of(
            "case 14",
            zeroKey,
            zeroIv,
            "00".repeat(16),
            "",
            "cea7403d4d606b6e074ec5d3baf39d18",
            "d0d1c8a799996bf0265b98b5d48ab919"),
        Arguments.of(
            "case 15",
            K15,
            "cafebabefacedbaddecaf888",
            P15,
            "",
            C15,
            "b094dac5d93471bdec1a502270e3cc6c"),
        Arguments.of(
            "case 16 (with AAD)",
            K15,
            "cafebabefacedbaddecaf888",
            P15.substring(0, 120),
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            C15.substring(0, 120),
            "76fc6ece0f4e1768cddf8853bb2d551b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmSpec")
  @SuppressWarnings("TooManyParameters") // one parameter per column of the published vector
  void aes256GcmTink_specCase_opensToPlaintext(
      String name, String key, String iv, String plaintext, String aad, String ct, String tag)
      throws GeneralSecurityException {
    Aead aead = tinkAesGcm(HEX.parseHex(key));
    byte[] sealed = HEX.parseHex(iv + ct + tag);

    assertThat(HEX.formatHex(aead.decrypt(sealed, HEX.parseHex(aad))))
        .as(name)
        .isEqualTo(plaintext);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmSpec")
  @SuppressWarnings("TooManyParameters")
  void aes256GcmTink_specCaseWithAnyBitFlipped_refused(
      String name, String key, String iv, String plaintext, String aad, String ct, String tag)
      throws GeneralSecurityException {
    Aead aead = tinkAesGcm(HEX.parseHex(key));
    byte[] sealed = HEX.parseHex(iv + ct + tag);

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] flipped = sealed.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> aead.decrypt(flipped, HEX.parseHex(aad)))
          .as("%s, bit %d", name, bit)
          .isInstanceOf(GeneralSecurityException.class);
    }
    byte[] otherAad = HEX.parseHex(aad.isEmpty() ? "00" : "00" + aad.substring(2));
    assertThatThrownBy(() -> aead.decrypt(sealed, otherAad))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmSpec")
  @SuppressWarnings({"TooManyParameters", "InsecureCryptoUsage"}) // fixed IV: it is a test vector
  void aes256GcmJca_specCase_encryptsToPublishedCiphertextAndTag(
      String name, String key, String iv, String plaintext, String aad, String ct, String tag)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(HEX.parseHex(key), "AES"),
        new GCMParameterSpec(128, HEX.parseHex(iv)));
    cipher.updateAAD(HEX.parseHex(aad));

    assertThat(HEX.formatHex(cipher.doFinal(HEX.parseHex(plaintext)))).as(name).isEqualTo(ct + tag);
  }

  @AccessesPartialKey // builds an AES-256-GCM key from the published key bytes
  private static Aead tinkAesGcm(byte[] key) throws GeneralSecurityException {
    AesGcmKey aesGcmKey =
        AesGcmKey.builder()
            .setParameters(
                AesGcmParameters.builder()
                    .setKeySizeBytes(32)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build())
            .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
            .build();
    return AesGcmJce.create(aesGcmKey);
  }
}
