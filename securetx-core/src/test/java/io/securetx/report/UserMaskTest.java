package io.securetx.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserMaskTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "alice-in-wonderland, al***nd",
    "12345678, 12***78",
    "1234567, 1***7",
    "12345, 1***5",
    "1234, 1***",
    "123, 1***",
    "7, 7***",
    "ünïcödé-用户, ün***用户",
    "😀😁😂😃😄😅😆😇, 😀😁***😆😇"
  })
  void mask_anyId_neverTheWholeId(String id, String masked) {
    assertThat(UserMask.mask(id)).isEqualTo(masked).isNotEqualTo(id).contains("***");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0x00000000, 00000000", "0x3f9a1c07, 3f9a1c07", "0xffffffff, ffffffff"})
  void reference_isEightHexDigits(String value, String hex) {
    assertThat(UserMask.reference(Integer.parseUnsignedInt(value.substring(2), 16))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"3f9a1c07ff, 3f9a1c07"})
  void ref_takesTheFirstFourBytesOfTheIndex(String indexHex, String hex) {
    byte[] index = java.util.HexFormat.of().parseHex(indexHex);

    assertThat(UserMask.reference(UserMask.ref(index))).isEqualTo(hex);
  }
}
