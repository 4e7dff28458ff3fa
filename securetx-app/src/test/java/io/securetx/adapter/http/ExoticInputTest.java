package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unusual but valid user ids — emoji, RTL and combining text, SQL, HTML and path strings — are not
 * bad input: they are stored as given and read back byte for byte, and the vault stays intact.
 * (Emoji joined with U+200D are refused: the core refuses every invisible format character.)
 */
class ExoticInputTest {

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Stream<String> userIds() {
    List<String> exotic =
        List.of(
            "😀",
            "🇺🇦👍🏽",
            "שלום עולם",
            "مرحبا",
            "e\u0301te\u0301",
            "Z\u0351\u0356a\u0362l\u0353g\u0338o",
            "用户一二三",
            "ǅemal",
            "😀".repeat(128),
            "x".repeat(128));
    return Stream.concat(
        exotic.stream(),
        BadInputTest.INJECTIONS.stream().filter(s -> s.chars().noneMatch(c -> c < 0x20)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("userIds")
  void post_unusualButValidUserId_storedAndReadBackExactly(String userId) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("user_id", userId);
    body.put("amount", "1.00");
    long before = api.entries();

    Reply created = api.post(body.toString(), "exotic-" + System.nanoTime());

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    Reply shown = api.get(created.header("Location"));
    assertThat(shown.json().path("user_id").asText()).isEqualTo(userId);
    assertThat(api.entries()).isEqualTo(before + 1);
  }
}
