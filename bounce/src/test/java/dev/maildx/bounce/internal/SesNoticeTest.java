package dev.maildx.bounce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import dev.maildx.Finding;
import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Amazon SES notifications (bare, or inside an SNS message) read as JSON: escapes kept, members
 * taken from their own objects, malformed bodies read as "not SES" and never an exception.
 */
class SesNoticeTest {
  static final BounceParser PARSER = BounceParser.create();

  /**
   * An SES bounce notice; {@code diag} is the JSON string content of the diagnosticCode (escapes
   * included).
   */
  static String bounce(String diag) {
    return ("{'notificationType':'Bounce','bounce':{'bounceType':'Permanent','bounceSubType':'General','bouncedRecipients':"
            + "[{'emailAddress':'bob@agency.test','action':'failed','status':'5.1.1','diagnosticCode':'@DIAG@'}],"
            + "'timestamp':'2024-01-02T10:00:00.000Z','feedbackId':'0100-abc','reportingMTA':'dsn; a1-2.smtp-out.eu-west-1.amazonses.com'},"
            + "'mail':{'timestamp':'2024-01-02T09:59:58.000Z','source':'alice@sender.test','messageId':'0100-def',"
            + "'destination':['bob@agency.test'],'commonHeaders':{'from':['alice@sender.test'],'to':['bob@agency.test'],'subject':'Hello'}}}")
        .replace('\'', '"')
        .replace("@DIAG@", diag);
  }

  /**
   * The SNS message that carries {@code notice} as its Message string (pretty-printed, as SNS mails
   * it).
   */
  static String sns(String notice) {
    StringBuilder esc = new StringBuilder();
    for (char c : notice.toCharArray()) {
      if (c == '"' || c == '\\') {
        esc.append('\\');
      }
      esc.append(c);
    }
    return "{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"02f86d9b\",\n  \"TopicArn\" : \"arn:aws:sns:eu-west-1:123456789012:ses\",\n"
        + "  \"Message\" : \""
        + esc
        + "\",\n  \"Timestamp\" : \"2024-01-02T10:00:01.000Z\",\n  \"SignatureVersion\" : \"1\"\n}";
  }

  /** The mail SNS sends: headers, the JSON body, its unsubscribe footer. */
  static byte[] mail(String body) {
    return ("From: AWS Notifications <no-reply@sns.amazonaws.com>\r\nTo: alice@sender.test\r\nSubject: AWS Notification Message\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body
            + "\r\n\r\n--\r\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\r\n"
            + "https://sns.eu-west-1.amazonaws.com/unsubscribe.html?SubscriptionArn=x\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Json.Ses read(String body) {
    Json.Ses ses = Json.ses(body);
    assertThat(ses).as("read as SES").isNotNull();
    return ses;
  }

  static Analyzer.Raw only(Json.Ses ses) {
    assertThat(ses.recipients).hasSize(1);
    return ses.recipients.get(0);
  }

  @Test
  void escapedQuoteInDiagnosticCode_isKeptWhole() {
    String diag = "smtp; 550 5.1.1 \\\"bob\\\" unknown";

    assertThat(only(read(bounce(diag))).diagnostic).isEqualTo("550 5.1.1 \"bob\" unknown");
    assertThat(only(read(sns(bounce(diag)))).diagnostic).isEqualTo("550 5.1.1 \"bob\" unknown");
    BounceReport r = PARSER.parse(mail(sns(bounce(diag))), "test");
    assertThat(r.format()).isEqualTo("amazonses");
    assertThat(r.recipients())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.diagnosticCode()).isEqualTo("550 5.1.1 \"bob\" unknown");
              assertThat(d.status()).hasToString("5.1.1");
              assertThat(d.action()).isEqualTo(BounceReport.Action.FAILED);
            });
  }

  @Test
  void keyNameInsideAnotherValue_isNotMistakenForTheKey() {
    // Mallory's subject, mailed back inside the notice ahead of the bounce object, and a diagnostic
    // that quotes JSON.
    String notice =
        ("{'mail':{'commonHeaders':{'subject':'x \\'notificationType\\':\\'Delivery\\', \\'bouncedRecipients\\':"
                + "[{\\'emailAddress\\':\\'mallory@evil.test\\'}], \\'reportingMTA\\':\\'evil.test\\''}},"
                + "'notificationType':'Bounce','bounce':{'bounceType':'Permanent','bounceSubType':'General','bouncedRecipients':"
                + "[{'emailAddress':'bob@agency.test','diagnosticCode':'smtp; 550 5.1.1 unknown {\\'status\\':\\'2.0.0\\',\\'action\\':\\'delivered\\'}',"
                + "'action':'failed','status':'5.1.1'}],'reportingMTA':'dsn; mta.amazonses.test'}}")
            .replace('\'', '"');

    for (String body : new String[] {notice, sns(notice)}) {
      Json.Ses ses = read(body);
      assertThat(ses.kind).isEqualTo(BounceReport.Kind.BOUNCE);
      assertThat(ses.reportingMta).isEqualTo("mta.amazonses.test");
      Analyzer.Raw r = only(ses);
      assertThat(r.recipient).isEqualTo("bob@agency.test");
      assertThat(r.status).hasToString("5.1.1");
      assertThat(r.action).isEqualTo(BounceReport.Action.FAILED);
      assertThat(r.diagnostic)
          .isEqualTo("550 5.1.1 unknown {\"status\":\"2.0.0\",\"action\":\"delivered\"}");
    }
  }

  @Test
  void snsWrappedAndBare_readTheSame() {
    String notice = bounce("smtp; 550 5.1.1 user unknown");
    Json.Ses bare = read(notice);
    Json.Ses wrapped = read(sns(notice));

    for (Json.Ses ses : new Json.Ses[] {bare, wrapped}) {
      assertThat(ses.kind).isEqualTo(BounceReport.Kind.BOUNCE);
      assertThat(ses.reportingMta).isEqualTo("a1-2.smtp-out.eu-west-1.amazonses.com");
      Analyzer.Raw r = only(ses);
      assertThat(r.recipient).isEqualTo("bob@agency.test");
      assertThat(r.status).hasToString("5.1.1");
      assertThat(r.diagnostic).isEqualTo("550 5.1.1 user unknown");
      assertThat(r.context).isEqualTo("bounceType Permanent General");
    }
    BounceReport a = PARSER.parse(mail(notice), "bare");
    BounceReport b = PARSER.parse(mail(sns(notice)), "sns");
    assertThat(a.format()).isEqualTo("amazonses");
    assertThat(b.format()).isEqualTo("amazonses");
    assertThat(b.recipients()).isEqualTo(a.recipients());
    assertThat(a.recipients().get(0).hardBounce()).isTrue();
  }

  @Test
  void unicodeEscapesAndSurrogatePairs_areDecoded() {
    String diag = "smtp; 550 5.1.1 Empf\\u00e4nger unbekannt \\ud83d\\udce7, lone \\udce7";

    assertThat(only(read(bounce(diag))).diagnostic)
        .isEqualTo("550 5.1.1 Empfänger unbekannt \uD83D\uDCE7, lone \uFFFD");
    assertThat(only(read(sns(bounce(diag)))).diagnostic)
        .isEqualTo("550 5.1.1 Empfänger unbekannt \uD83D\uDCE7, lone \uFFFD");
  }

  @Test
  void complaint_deliveryAndEventPublishedDelay_areRead() {
    Json.Ses complaint =
        read(
            ("{'notificationType':'Complaint','complaint':{'userAgent':'Yahoo!-Mail-Feedback/2.0',"
                    + "'complainedRecipients':[{'emailAddress':'bob@agency.test'},{'emailAddress':'carol@agency.test'}],"
                    + "'complaintFeedbackType':'abuse','arrivalDate':'2024-01-02T10:00:00.000Z'},"
                    + "'mail':{'source':'alice@sender.test','sourceIp':'192.0.2.1'}}")
                .replace('\'', '"'));
    assertThat(complaint.kind).isEqualTo(BounceReport.Kind.FEEDBACK);
    assertThat(complaint.feedback)
        .isEqualTo(
            new BounceReport.Feedback(
                "abuse",
                "Yahoo!-Mail-Feedback/2.0",
                "192.0.2.1",
                "alice@sender.test",
                null,
                "2024-01-02T10:00:00.000Z",
                null,
                null));
    assertThat(complaint.recipients)
        .extracting(r -> r.recipient)
        .containsExactly("bob@agency.test", "carol@agency.test");

    Json.Ses delivery =
        read(
            sns(
                ("{'notificationType':'Delivery','delivery':{'recipients':['bob@agency.test'],"
                        + "'smtpResponse':'250 2.6.0 Message received','reportingMTA':'a1-2.smtp-out.amazonses.com'}}")
                    .replace('\'', '"')));
    assertThat(delivery.kind).isEqualTo(BounceReport.Kind.DELIVERED);
    assertThat(delivery.reportingMta).isEqualTo("a1-2.smtp-out.amazonses.com");
    assertThat(only(delivery).status).hasToString("2.6.0");
    assertThat(only(delivery).action).isEqualTo(BounceReport.Action.DELIVERED);

    String delay =
        ("{'eventType':'DeliveryDelay','deliveryDelay':{'delayType':'TransientCommunicationFailure',"
                + "'expirationTime':'2024-01-02T22:00:00.000Z','delayedRecipients':[{'emailAddress':'bob@agency.test','status':'4.4.1',"
                + "'diagnosticCode':'smtp; 421 4.4.1 Unable to connect to remote host'}],'reportingMTA':'a1-2.smtp-out.amazonses.com'}}")
            .replace('\'', '"');
    Analyzer.Raw d = only(read(delay));
    assertThat(d.action).isEqualTo(BounceReport.Action.DELAYED);
    assertThat(d.status).hasToString("4.4.1");
    assertThat(d.retryUntil).isEqualTo("2024-01-02T22:00:00.000Z");
    BounceReport r = PARSER.parse(mail(sns(delay)), "delay");
    assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELAY);
    assertThat(r.recipients())
        .singleElement()
        .satisfies(x -> assertThat(x.action()).isEqualTo(BounceReport.Action.DELAYED));
  }

  @Test
  void sendmailSplitLines_areJoinedBeforeReading() {
    // lhost-amazonses-09/-10 of the Sisimai set: a relay split the 990-character line with "!", a
    // line break and a space.
    String notice = bounce("smtp; 550 5.1.1 user un!\n known");

    assertThat(only(read(notice)).diagnostic).isEqualTo("550 5.1.1 user unknown");
    assertThat(
            only(read(
                    sns(bounce("smtp; 550 5.1.1 user unknown"))
                        .replace("user un", "user un!\r\n ")))
                .diagnostic)
        .isEqualTo("550 5.1.1 user unknown");
  }

  @Test
  void textOnTheSameLineAfterTheJson_isNotSes_aFooterOnItsOwnLineIs() {
    String notice = bounce("smtp; 550 5.1.1 user unknown");

    assertThat(Json.ses(notice + " trailing")).isNull();
    assertThat(Json.ses(notice + "}")).isNull();
    assertThat(Json.ses(notice + "  \r\n\r\n--\r\nIf you wish to stop receiving notifications ..."))
        .isNotNull();
    assertThat(Json.ses("Notification follows {see below}:\n" + notice + "\n"))
        .isNotNull(); // a '{' in a preamble
  }

  @Test
  void malformedJson_isNotSes_quickly_andTheParserReportsWithoutFailing() {
    String valid = bounce("smtp; 550 5.1.1 user unknown");
    String[] bodies = {
      valid.substring(0, valid.length() / 2), // truncated
      valid + "garbage", // trailing garbage
      valid.substring(0, valid.indexOf("user unknown")) + "user unknown", // unterminated string
      "{\"notificationType\":\"Bounce\",\"bounce\":"
          + "[".repeat(10_000)
          + "]".repeat(10_000)
          + "}", // 10,000 nested arrays
      "{\"notificationType\":\"Bounce\",\"x\":\""
          + "a".repeat(5 * 1024 * 1024)
          + "\"}", // a 5 MB string
      sns(valid)
          .replace(
              "\\\"bounceType", "\"bounceType"), // an SNS envelope whose Message string ends early
      valid.replace("\"bounceType\"", "\"bounceType\"\"") // a stray quote
    };
    for (String body : bodies) {
      assertTimeout(Duration.ofSeconds(2), () -> assertThat(Json.ses(body)).isNull());
      assertTimeout(Duration.ofSeconds(2), () -> assertThat(Json.ses(sns(body))).isNull());
      BounceReport r =
          assertTimeout(Duration.ofSeconds(10), () -> PARSER.parse(mail(body), "malformed"));
      assertThat(r.format()).isNotEqualTo("amazonses");
      assertThat(r.findings()).extracting(Finding::code).doesNotContain("BOUNCE_READ_FAILED");
    }
  }

  @Test
  void randomMutationsOfAValidNotice_neverThrow() {
    String[] seeds = {
      bounce("smtp; 550 5.1.1 \\\"bob\\\" unknown \\u00e9\\ud83d\\ude00"),
      sns(bounce("smtp; 550 5.1.1 user unknown")),
      ("{'eventType':'Complaint','complaint':{'complainedRecipients':[{'emailAddress':'bob@agency.test'}]},'mail':{'source':'a@b.test'}}")
          .replace('\'', '"')
    };
    String alphabet = "{}[]\":,\\/ubfnrt0123456789.-+eE \n\r\t!'@aA\u0000\u00e9\uD83D\uDE00\uFFFF";
    Random random = new Random(20240102L);
    int read = 0;
    for (int i = 0; i < 6000; i++) {
      String m = mutate(seeds[i % seeds.length], random, alphabet);
      Json.Ses ses = Json.ses(m); // must not throw
      if (ses != null) {
        read++;
        assertThat(ses.kind).isNotNull();
        assertThat(ses.recipients.size()).isLessThanOrEqualTo(Analyzer.MAX_RECIPIENTS);
        assertThat(ses.recipients).allSatisfy(r -> assertThat(r.recipient).isNotNull());
      }
      try {
        JsonReader.parse(m, Json.MAX_CHARS);
      } catch (JsonReader.MalformedJsonException e) {
        assertThat(e.offset()).isBetween(0, m.length());
      }
      if (i % 30 == 0) {
        BounceReport r = PARSER.parse(mail(m), "mutant-" + i);
        assertThat(r.findings()).extracting(Finding::code).doesNotContain("BOUNCE_READ_FAILED");
      }
    }
    assertThat(read).as("some mutants are still notices").isPositive();
  }

  static String mutate(String s, Random random, String alphabet) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(6)) {
        case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 2 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(16)));
        case 3 -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + random.nextInt(64))));
        case 4 -> b.setLength(at);
        default ->
            b.insert(
                at,
                random.nextBoolean()
                    ? "\\u" + Integer.toHexString(0xd800 + random.nextInt(0x800))
                    : "[{\"a\":");
      }
    }
    return b.toString();
  }

  @Test
  void notSes_whenTheTypeIsMissingUnknownOrNotAtTheTop() {
    assertThat(Json.ses("{\"notificationType\":\"Received\"}")).isNull();
    assertThat(Json.ses("{\"eventType\":\"Open\",\"open\":{}}")).isNull();
    assertThat(Json.ses("{\"mail\":{\"notificationType\":\"Bounce\"}}")).isNull();
    assertThat(Json.ses("{\"notificationType\":[\"Bounce\"]}")).isNull();
    assertThat(Json.ses("{\"Type\":\"Notification\",\"Message\":\"notificationType: Bounce\"}"))
        .isNull();
    assertThat(Json.ses("no json here, notificationType")).isNull();
    Json.Ses noRecipients = Json.ses("{\"notificationType\":\"Bounce\"}");
    assertThat(noRecipients).isNotNull();
    assertThat(noRecipients.recipients).isEmpty();
  }
}
