package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private final ApiKeys keys = ApiKeys.from(ApiFixture.config(ApiFixture.environment()));

  @Test
  void authenticate_configuredKeys_returnTheirIds() {
    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.authenticate(ApiFixture.KEY)).get().asString().matches("key_[0-9a-f]{12}");
    assertThat(keys.authenticate(ApiFixture.SEED_KEY)).isPresent();
    assertThat(keys.authenticate(ApiFixture.KEY))
        .isNotEqualTo(keys.authenticate(ApiFixture.SEED_KEY));
  }

  @Test
  void authenticate_otherCaseOrPrefixOrSuffix_refused() {
    assertThat(keys.authenticate(ApiFixture.KEY.toLowerCase(Locale.ROOT))).isEmpty();
    assertThat(keys.authenticate(ApiFixture.KEY.toUpperCase(Locale.ROOT))).isEmpty();
    assertThat(keys.authenticate(ApiFixture.KEY.substring(1))).isEmpty();
    assertThat(keys.authenticate(ApiFixture.KEY + "x")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
  }

  @Test
  void from_sameKeyTwice_countsOnce() {
    Map<String, String> env = ApiFixture.environment();
    env.put("API_KEYS", ApiFixture.KEY + ",\n" + ApiFixture.SEED_KEY + " " + ApiFixture.KEY);

    assertThat(ApiKeys.from(ApiFixture.config(env)).size()).isEqualTo(2);
  }
}
