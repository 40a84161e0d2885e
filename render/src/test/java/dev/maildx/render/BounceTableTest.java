package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The bounce summary table ({@code maildx bounce} without {@code --json}) from {@link Render}. */
class BounceTableTest {
  private static final String NL = System.lineSeparator();

  private static BounceReport.Recipient recipient(
      String address,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer replyCode,
      BounceReason reason,
      boolean hard) {
    return new BounceReport.Recipient(
        address,
        null,
        BounceReport.Action.FAILED,
        status,
        replyCode,
        reason,
        hard,
        null,
        null,
        null,
        null,
        "explained",
        null,
        "decided",
        replyCode == null
            ? BounceReport.ReplySource.UNKNOWN
            : BounceReport.ReplySource.REMOTE_HOST);
  }

  private static BounceReport notice(
      String source, BounceReport.Kind kind, List<BounceReport.Recipient> recipients) {
    return new BounceReport(
        BounceReport.CHECK,
        source,
        kind,
        "rfc3464",
        null,
        null,
        null,
        null,
        null,
        recipients,
        null,
        List.of());
  }

  /** Where each column of a row starts: the offsets of text after white space. */
  private static List<Integer> columnStarts(String line) {
    List<Integer> starts = new java.util.ArrayList<>();
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) != ' ' && (i == 0 || line.charAt(i - 1) == ' ')) {
        starts.add(i);
      }
    }
    return starts;
  }

  @Test
  void twoRecipients_oneWithoutAddressStatusOrReplyCode_fillEveryColumn() {
    BounceReport r =
        notice(
            "/var/mail/bounces/2026-12-08/notice-0001.eml",
            BounceReport.Kind.BOUNCE,
            List.of(
                recipient(
                    "bob@agency.test",
                    EnhancedStatusCode.parse("5.1.1"),
                    550,
                    BounceReason.USER_UNKNOWN,
                    true),
                recipient("", null, null, BounceReason.UNDEFINED, false)));

    String table = Render.bounceTableHeader() + Render.bounceTableRows(r);

    assertThat(table)
        .isEqualTo(
            "SOURCE                                   KIND       RECIPIENT                            STATUS   REPLY REASON           HARD"
                + NL
                + "...il/bounces/2026-12-08/notice-0001.eml bounce     bob@agency.test                      5.1.1    550   userunknown      yes"
                + NL
                + "...il/bounces/2026-12-08/notice-0001.eml bounce     -                                    -        -     undefined        no"
                + NL);
    String[] lines = table.split(NL);
    for (String line : lines) {
      assertThat(line.split(" +")).as(line).hasSize(7).doesNotContain("null", "");
      assertThat(columnStarts(line)).as(line).isEqualTo(columnStarts(lines[0]));
    }
  }

  @Test
  void noticeWithoutRecipients_isOneRowOfDashes_andLongValuesAreCutToTheirColumn() {
    BounceReport feedback = notice("feedback.eml", BounceReport.Kind.FEEDBACK, List.of());
    BounceReport longRecipient =
        notice(
            "a.eml",
            BounceReport.Kind.DELAY,
            List.of(
                recipient(
                    "a-very-long-mailbox-name-for-the-table@agency.test",
                    EnhancedStatusCode.parse("4.4.1"),
                    421,
                    BounceReason.EXPIRED,
                    false)));

    assertThat(Render.bounceTableRows(feedback))
        .isEqualTo(
            "feedback.eml                             feedback   -                                    -        -     -                -"
                + NL);
    assertThat(Render.bounceTableRows(longRecipient))
        .startsWith(
            "a.eml                                    delay      a-very-long-mailbox-name-for-the-... 4.4.1    421");
  }

  @Test
  void totals_countEachKindInTheKindsOrder_andTheUnreadable() {
    Map<BounceReport.Kind, Integer> counts = new EnumMap<>(BounceReport.Kind.class);
    counts.put(BounceReport.Kind.NOT_BOUNCE, 1);
    counts.put(BounceReport.Kind.DELAY, 1);
    counts.put(BounceReport.Kind.BOUNCE, 2);

    assertThat(Render.bounceTableTotals(counts, 0))
        .isEqualTo(NL + "Messages: 4 (2 bounce, 1 delay, 1 not_bounce)" + NL);
    assertThat(Render.bounceTableTotals(Map.of(BounceReport.Kind.NOT_BOUNCE, 1), 1))
        .isEqualTo(NL + "Messages: 1 (1 not_bounce), 1 could not be read" + NL);
    assertThat(Render.bounceTableTotals(Map.of(), 0)).isEqualTo(NL + "Messages: 0" + NL);
  }
}
