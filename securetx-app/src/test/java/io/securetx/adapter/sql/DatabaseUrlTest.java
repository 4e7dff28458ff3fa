package io.securetx.adapter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  private static final String PASSWORD = "pw-LEAKCHECK-9d1";

  @Test
  void parse_seedForm_splitsCredentialsFromJdbcUrl() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:secret@host:5432/db");

    assertThat(url.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
    assertThat(url.user()).isEqualTo("user");
    assertThat(url.password()).isEqualTo("secret");
  }

  @Test
  void parse_hostWithUnderscore_accepted() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:secret@your_db_host:5432/production_db");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://your_db_host:5432/production_db");
    assertThat(url.password()).isEqualTo("secret");
  }

  @Test
  void parse_unencodedAtInPassword_splitAtLastAt() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:p@ss@db:5432/vault?sslmode=require");

    assertThat(url.user()).isEqualTo("user");
    assertThat(url.password()).isEqualTo("p@ss");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/vault?sslmode=require");
  }

  @Test
  void parse_ipv6Host_keptInBrackets() {
    assertThat(DatabaseUrl.parse("postgres://[::1]:5433/db").jdbcUrl())
        .isEqualTo("jdbc:postgresql://[::1]:5433/db");
  }

  @Test
  void parse_portOutOfRange_refused() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:pw@db:99999/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }

  @Test
  void parse_postgresqlScheme_sameAsPostgres() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://user:secret@db.internal:6543/vault");

    assertThat(url.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/vault");
    assertThat(url.user()).isEqualTo("user");
    assertThat(url.password()).isEqualTo("secret");
  }

  @Test
  void parse_percentEncodedCredentials_decoded() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://us%40er:p%40ss%3Aw%2Frd+x%25@host:5432/db");

    assertThat(url.user()).isEqualTo("us@er");
    assertThat(url.password()).isEqualTo("p@ss:w/rd+x%");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
  }

  @Test
  void parse_noPort_defaultsTo5432() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:secret@host/db");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
  }

  @Test
  void parse_queryString_kept() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:secret@host:5432/db?sslmode=require");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db?sslmode=require");
    assertThat(url.password()).isEqualTo("secret");
  }

  @Test
  void parse_userWithoutPassword_passwordNull() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://alice@host/db");

    assertThat(url.user()).isEqualTo("alice");
    assertThat(url.password()).isNull();
  }

  @Test
  void parse_noCredentials_userAndPasswordNull() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://host:5432/db");

    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
  }

  @Test
  void parse_surroundingWhitespace_stripped() {
    DatabaseUrl url = DatabaseUrl.parse("  postgres://user:secret@host/db\n");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
  }

  @Test
  void parse_jdbcPostgresql_passedThrough() {
    String jdbc = "jdbc:postgresql://host:5432/db?sslmode=require";

    DatabaseUrl url = DatabaseUrl.parse(jdbc);

    assertThat(url.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo(jdbc);
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
  }

  @Test
  void parse_sqlitePath_absoluteJdbcUrl() {
    DatabaseUrl url = DatabaseUrl.parse("sqlite:/x/y.db");

    assertThat(url.dialect()).isEqualTo(SqlDialect.SQLITE);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("/x/y.db").toAbsolutePath());
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
  }

  @Test
  void parse_relativeSqlitePath_madeAbsolute() {
    DatabaseUrl url = DatabaseUrl.parse("sqlite:data/vault.db");

    assertThat(url.dialect()).isEqualTo(SqlDialect.SQLITE);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("data/vault.db").toAbsolutePath());
  }

  @Test
  void parse_jdbcSqlite_passedThrough() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:sqlite:/x/y.db");

    assertThat(url.dialect()).isEqualTo(SqlDialect.SQLITE);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/x/y.db");
  }

  @Test
  void sqlite_file_absoluteJdbcUrl() {
    DatabaseUrl url = DatabaseUrl.sqlite(Path.of("rel/vault.db"));

    assertThat(url.dialect()).isEqualTo(SqlDialect.SQLITE);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("rel/vault.db").toAbsolutePath());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://u:" + PASSWORD + "@host:3306/db",
        "redis://:" + PASSWORD + "@host:6379/0",
        "http://u:" + PASSWORD + "@host/db",
        "u:" + PASSWORD + "@host/db",
        "POSTGRES:/u:" + PASSWORD + "@host/db",
        "jdbc:mysql://host/db?password=" + PASSWORD,
        "",
        "   "
      })
  void parse_unsupportedScheme_throwsWithoutPassword(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DatabaseUrl.parse(text))
        .withMessageContaining("DB_URL")
        .withMessageNotContaining(PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://u:" + PASSWORD + "@/db",
        "postgres://u:" + PASSWORD + "@host:notaport/db",
        "postgres://u:" + PASSWORD + "@ho st/db",
        "postgres://u:" + PASSWORD + "%zz@host/db",
        "postgres://u:" + PASSWORD + "@host/db#frag ment"
      })
  void parse_malformedPostgresUrl_throwsWithoutPassword(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DatabaseUrl.parse(text))
        .withMessageContaining("DB_URL")
        .withMessageNotContaining(PASSWORD)
        .withNoCause();
  }

  @Test
  void redacted_parsedUrl_showsHostAndUserButNotPassword() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://alice:" + PASSWORD + "@db.internal:5432/vault");

    assertThat(url.redacted())
        .contains("db.internal:5432/vault")
        .contains("alice")
        .contains("****")
        .doesNotContain(PASSWORD);
    assertThat(url.toString()).isEqualTo(url.redacted());
  }

  @Test
  void redacted_passwordInQueryString_masked() {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "jdbc:postgresql://host:5432/db?user=alice&Password=" + PASSWORD + "&ssl=true");

    assertThat(url.redacted())
        .contains("host:5432/db")
        .contains("ssl=true")
        .doesNotContain(PASSWORD);
    assertThat(url.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void redacted_jdbcUrlWithUserInfo_masked() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://alice:" + PASSWORD + "@host:5432/db");

    assertThat(url.redacted()).contains("host:5432/db").doesNotContain(PASSWORD);
    assertThat(url.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void redacted_percentEncodedPassword_neitherFormShown() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://alice:pw%2FLEAKCHECK%40x@host/db");

    assertThat(url.password()).isEqualTo("pw/LEAKCHECK@x");
    assertThat(url.toString()).doesNotContain("LEAKCHECK");
  }

  @Test
  void toString_seedForm_neverContainsPassword() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://user:" + PASSWORD + "@host:5432/db");

    assertThat(url.toString()).doesNotContain(PASSWORD).contains("host:5432/db");
  }
}
