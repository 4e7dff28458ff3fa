package io.securetx.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskAliasesTest {

  @Test
  void parse_modulePrefixAndPairs_giveEachTaskItsNames() {
    TaskAliases aliases =
        TaskAliases.parse(
            " new. , tasks.mail. ,welcome=send_welcome_email,, report=generate_monthly_report");

    assertThat(aliases.aliasesOf("send_welcome_email"))
        .containsExactly("new.send_welcome_email", "tasks.mail.send_welcome_email", "welcome");
    assertThat(aliases.aliasesOf("process_transaction"))
        .containsExactly("new.process_transaction", "tasks.mail.process_transaction");
    assertThat(aliases.describe())
        .isEqualTo("new.,tasks.mail.,welcome=send_welcome_email,report=generate_monthly_report");
  }

  @Test
  void parse_blank_givesNone() {
    TaskAliases aliases = TaskAliases.parse("  ");

    assertThat(aliases.aliasesOf("send_welcome_email")).isEmpty();
    assertThat(aliases.describe()).isEqualTo("(none)");
  }

  @Test
  void parse_sameAliasTwiceForOneTask_isAccepted() {
    assertThat(TaskAliases.parse("a=b,a=b,new.,new.").aliasesOf("b")).containsExactly("new.b", "a");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "new",
        ".",
        "new..",
        "=task",
        "alias=",
        "a b=task",
        "alias=task name",
        "alias=ta;sk",
        "a=b,a=c",
        "1abc.",
        "ne\u0000w.",
        "new.=x"
      })
  void parse_badEntry_isRefusedWithTheEntry(String text) {
    assertThatThrownBy(() -> TaskAliases.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'");
  }

  @Test
  void load_defaultAliases_areTheSeedsModule() {
    SecureTxConfig config = ConfigLoader.load(Map.of());

    assertThat(config.taskAliases().aliasesOf("send_welcome_email"))
        .containsExactly("new.send_welcome_email");
  }

  @Test
  void load_badAliases_isAConfigurationProblemNamingTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SECURETX_TASK_ALIASES", "not a name")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SECURETX_TASK_ALIASES");
  }
}
