package dev.maildx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** MockSmtpServer speaks SMTP over real TCP, and misbehaves on demand. */
class MockSmtpServerTest {

  private static Socket connect(MockSmtpServer s) throws Exception {
    Socket socket = new Socket(s.address().getAddress(), s.port());
    socket.setSoTimeout(3000);
    return socket;
  }

  private static String readReply(BufferedReader in) throws Exception {
    StringBuilder b = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      b.append(line).append('\n');
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return b.toString().strip();
  }

  private static void send(OutputStream out, String line) throws Exception {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  void normalSession_withStartTls_andScriptedRecipients() throws Exception {
    try (MockSmtpServer s =
            MockSmtpServer.builder()
                .hostname("mx1.agency.test")
                .recipient("nobody@agency.test", "550 5.1.1 <nobody@agency.test>: user unknown")
                .build();
        Socket socket = connect(s)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      assertThat(readReply(in)).startsWith("220 mx1.agency.test");
      send(out, "EHLO probe.test");
      assertThat(readReply(in)).contains("250-mx1.agency.test", "STARTTLS", "ENHANCEDSTATUSCODES");
      send(out, "STARTTLS");
      assertThat(readReply(in)).startsWith("220");
      SSLSocket tls =
          (SSLSocket)
              s.certificate()
                  .clientContext()
                  .getSocketFactory()
                  .createSocket(socket, "mx1.agency.test", s.port(), true);
      tls.startHandshake();
      assertThat(tls.getSession().getPeerCertificates()[0].toString())
          .contains("CN=mx1.agency.test");
      in =
          new BufferedReader(
              new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
      out = tls.getOutputStream();
      send(out, "EHLO probe.test");
      assertThat(readReply(in)).doesNotContain("STARTTLS");
      send(out, "MAIL FROM:<>");
      assertThat(readReply(in)).startsWith("250");
      send(out, "RCPT TO:<nobody@agency.test>");
      assertThat(readReply(in)).startsWith("550 5.1.1");
      send(out, "RCPT TO:<bob@agency.test>");
      assertThat(readReply(in)).startsWith("250");
      send(out, "QUIT");
      assertThat(readReply(in)).startsWith("221");
      tls.close();
      waitForClose(s);
      SmtpSessionLog log = s.sessions().get(0);
      assertThat(log.commands())
          .containsExactly(
              "EHLO probe.test",
              "STARTTLS",
              "EHLO probe.test",
              "MAIL FROM:<>",
              "RCPT TO:<nobody@agency.test>",
              "RCPT TO:<bob@agency.test>",
              "QUIT");
      assertThat(log.sent("DATA")).isFalse();
      assertThat(log.sent("MAIL")).isTrue();
    }
  }

  @Test
  void blackHole_acceptsButNeverSpeaks() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.blackHole());
        Socket socket = connect(s)) {
      socket.setSoTimeout(500);
      long t0 = System.nanoTime();
      try {
        int b = socket.getInputStream().read();
        assertThat(b).as("no byte expected").isEqualTo(-2);
      } catch (SocketTimeoutException expected) {
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(450);
      }
    }
  }

  @Test
  void slowGreeting_arrivesAfterTheDelay() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.slowGreeting(Duration.ofMillis(300)));
        Socket socket = connect(s)) {
      long t0 = System.nanoTime();
      String greeting =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(greeting).startsWith("220");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(280);
    }
  }

  @Test
  void tarpit_dripsOneBytePerInterval() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.tarpit(Duration.ofMillis(50)));
        Socket socket = connect(s)) {
      long t0 = System.nanoTime();
      int first = socket.getInputStream().read();
      int second = socket.getInputStream().read();
      int third = socket.getInputStream().read();
      assertThat(
              new String(
                  new byte[] {(byte) first, (byte) second, (byte) third},
                  StandardCharsets.US_ASCII))
          .isEqualTo("220");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(140);
    }
  }

  @Test
  void greeting421_refusesAndCloses() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.greeting421());
        Socket socket = connect(s)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("421 4.3.2");
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void closeAfterEhlo_dropsTheConnection() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.closeAfterEhlo());
        Socket socket = connect(s)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("220");
      send(socket.getOutputStream(), "EHLO probe.test");
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void endlessMultiline_neverEndsTheEhloReply() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.endlessMultiline());
        Socket socket = connect(s)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      in.readLine();
      send(socket.getOutputStream(), "EHLO probe.test");
      for (int i = 0; i < 5000; i++) {
        assertThat(in.readLine()).startsWith("250-");
      }
    }
  }

  @Test
  void hugeLine_sendsTheGivenBytesWithoutCrlf() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.hugeLine(1 << 20));
        Socket socket = connect(s)) {
      byte[] buf = new byte[65536];
      long total = 0;
      boolean sawNewline = false;
      socket.setSoTimeout(1000);
      try {
        int n;
        while (total < (1 << 20) && (n = socket.getInputStream().read(buf)) > 0) {
          for (int i = 0; i < n; i++) {
            sawNewline |= buf[i] == '\n';
          }
          total += n;
        }
      } catch (SocketTimeoutException ignored) {
        // all sent
      }
      assertThat(total).isEqualTo(1 << 20);
      assertThat(sawNewline).isFalse();
    }
  }

  @Test
  void tlsHandshakeFailure_answersStartTlsThenSendsGarbage() throws Exception {
    try (MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.tlsHandshakeFailure());
        Socket socket = connect(s)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      readReply(in);
      send(out, "EHLO probe.test");
      readReply(in);
      send(out, "STARTTLS");
      assertThat(readReply(in)).startsWith("220");
      SSLSocket tls =
          (SSLSocket)
              s.certificate()
                  .clientContext()
                  .getSocketFactory()
                  .createSocket(socket, "x", s.port(), true);
      org.assertj.core.api.Assertions.assertThatThrownBy(tls::startHandshake)
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void closing_endsEveryConnectionAndThread() throws Exception {
    MockSmtpServer s = MockSmtpServer.start(SmtpPolicy.blackHole());
    Socket socket = connect(s);
    Thread.sleep(100);
    assertThat(s.openConnections()).isEqualTo(1);
    s.close();
    assertThat(s.openConnections()).isZero();
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    socket.close();
  }

  private static void waitForClose(MockSmtpServer s) throws InterruptedException {
    long end = System.nanoTime() + 2_000_000_000L;
    while (s.openConnections() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }
}
