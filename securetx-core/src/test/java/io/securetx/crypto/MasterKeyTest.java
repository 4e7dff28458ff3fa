package io.securetx.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void toString_anyKey_revealsNoKeyBytes() {
    MasterKey key = MasterKey.generate(RANDOM);

    assertThat(key.toString())
        .isEqualTo("MasterKey[****]")
        .doesNotContain(key.insecureBase64())
        .doesNotContain(key.insecureBase64().substring(0, 8));
  }

  @Test
  void fromBase64_insecureBase64_roundTrips() {
    MasterKey key = MasterKey.generate(RANDOM);

    MasterKey parsed = MasterKey.fromBase64("  " + key.insecureBase64() + "\n");

    assertThat(parsed).isEqualTo(key);
    assertThat(parsed.insecureBytes()).hasSize(MasterKey.LENGTH).isEqualTo(key.insecureBytes());
  }

  @Test
  void generate_twice_differentKeys() {
    assertThat(MasterKey.generate(RANDOM)).isNotEqualTo(MasterKey.generate(RANDOM));
  }

  @Test
  void insecureBytes_mutatingCopy_leavesKeyIntact() {
    MasterKey key = MasterKey.generate(RANDOM);
    byte[] copy = key.insecureBytes();
    String before = key.insecureBase64();

    copy[0] ^= 1;

    assertThat(key.insecureBase64()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31, 33, 64})
  void fromBase64_wrongLength_throwsWithoutEchoingInput(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    String text = Base64.getEncoder().encodeToString(bytes);

    assertThatThrownBy(() -> MasterKey.fromBase64(text))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("got " + length)
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text.isEmpty() ? "\0" : text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not base64 at all!",
        "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0x$$$",
        "secret-key-material-that-must-not-leak=="
      })
  void fromBase64_invalidText_throwsWithoutEchoingInput(String text) {
    assertThatThrownBy(() -> MasterKey.fromBase64(text))
        .isInstanceOf(CryptoException.class)
        .hasMessage("master key is not valid base64")
        .hasNoCause();
  }

  @Test
  void insecureDerivedKey_samePurposeAndKey_sameKey_otherwiseDifferent() {
    MasterKey key = MasterKey.generate(RANDOM);
    MasterKey copy = MasterKey.fromBase64(key.insecureBase64());

    byte[] login = key.insecureDerivedKey("dashboard-login");

    assertThat(login)
        .hasSize(MasterKey.LENGTH)
        .isEqualTo(copy.insecureDerivedKey("dashboard-login"));
    assertThat(login)
        .isNotEqualTo(key.insecureDerivedKey("dashboard-login2"))
        .isNotEqualTo(MasterKey.generate(RANDOM).insecureDerivedKey("dashboard-login"))
        .isNotEqualTo(key.insecureBytes());
  }

  @Test
  void insecureDerivedKey_blankPurpose_throws() {
    MasterKey key = MasterKey.generate(RANDOM);

    assertThatThrownBy(() -> key.insecureDerivedKey(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
