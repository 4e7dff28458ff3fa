package io.securetx.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void hex_knownAnswers_fipsAbcAndUtf8() {
    // FIPS 180-2, appendix B.1.
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Text is hashed as UTF-8: "\u00e9" is the two bytes c3 a9.
    assertThat(Sha256.hex("\u00e9"))
        .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    assertThat(Sha256.of("")).hasSize(32);
  }
}
