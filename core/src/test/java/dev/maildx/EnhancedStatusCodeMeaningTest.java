package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.report.EnhancedStatusCode;
import org.junit.jupiter.api.Test;

/** The RFC 3463 / IANA meanings and the RFC 5321 reply code meanings used in explanations. */
class EnhancedStatusCodeMeaningTest {
  @Test
  void registeredCodes_haveTheirIanaMeaning() {
    assertThat(EnhancedStatusCode.parse("5.1.1").meaning())
        .startsWith("Permanent failure: Bad destination mailbox address");
    assertThat(EnhancedStatusCode.parse("4.4.7").meaning())
        .isEqualTo("Persistent transient failure: Delivery time expired");
    assertThat(EnhancedStatusCode.parse("5.7.26").meaning())
        .contains("Multiple authentication checks failed");
    assertThat(EnhancedStatusCode.parse("5.7.23").meaning()).contains("SPF validation failed");
    assertThat(EnhancedStatusCode.parse("5.1.1").isRegistered()).isTrue();
  }

  @Test
  void microsoftCodes_areExplainedAndMarkedAsUnregistered() {
    EnhancedStatusCode c = EnhancedStatusCode.parse("5.7.708");

    assertThat(c.isRegistered()).isFalse();
    assertThat(c.meaning()).contains("Microsoft").contains("IP");
  }

  @Test
  void unknownDetail_fallsBackToTheSubject() {
    assertThat(EnhancedStatusCode.parse("5.2.99").meaning())
        .contains("Mailbox status")
        .contains("not registered");
  }

  @Test
  void replyCodes_haveTheirRfc5321Meaning() {
    assertThat(EnhancedStatusCode.replyCodeMeaning(550)).contains("mailbox unavailable");
    assertThat(EnhancedStatusCode.replyCodeMeaning(421)).contains("Service not available");
    assertThat(EnhancedStatusCode.replyCodeMeaning(556)).contains("RFC 7504");
    assertThat(EnhancedStatusCode.replyCodeMeaning(599)).isEqualTo("Permanent negative completion");
  }
}
