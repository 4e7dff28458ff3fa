package io.securetx.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WelcomeEmailTest {

  private static final EmailAddress SENDER = EmailAddress.parse("noreply@example.com");

  @Test
  void compose_addressWithHtmlSpecials_escapedInHtmlOnly() {
    EmailAddress to = EmailAddress.parse("o'brien&co+tag@example.com");

    OutgoingMail mail =
        WelcomeEmail.compose(MessageId.forTask("welcome", "t", SENDER), SENDER, to, -7);

    assertThat(mail.text()).contains("o'brien&co+tag@example.com").contains("user id -7");
    assertThat(mail.html())
        .contains("o&#39;brien&amp;co+tag@example.com")
        .contains("<strong>-7</strong>")
        .doesNotContain("o'brien&co");
    assertThat(mail.subject()).isEqualTo(WelcomeEmail.SUBJECT);
    assertThat(mail.from()).isEqualTo(SENDER);
    assertThat(mail.to()).isEqualTo(to);
  }

  @Test
  void escape_everySpecialCharacter() {
    assertThat(WelcomeEmail.escape("<a href=\"x\" title='y'>&</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  }

  @Test
  void outgoingMail_subjectWithLineBreak_refused() {
    MessageId id = MessageId.forTask("welcome", "t", SENDER);

    assertThatThrownBy(
            () -> new OutgoingMail(id, SENDER, SENDER, "Hi\r\nBcc: x@example.com", "t", "h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters");
  }
}
