package dev.maildx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MockHttpsServer} as {@code java.net.http.HttpClient} sees it. */
class MockHttpsServerTest {
  private TestCertificate ca;
  private MockHttpsServer https;
  private HttpClient client;

  @BeforeEach
  void start() {
    ca = TestCertificate.authority("test CA");
    https = MockHttpsServer.start(ca.issue("localhost"));
    client =
        HttpClient.newBuilder()
            .sslContext(ca.clientContext())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @AfterEach
  void stop() {
    https.close();
  }

  private HttpResponse<String> get(String path, Duration timeout) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + https.port() + path))
            .timeout(timeout)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePolicyAsTextPlain_andLogsTheRequest() throws Exception {
    https.mtaStsPolicy("version: STSv1\n");

    HttpResponse<String> r = get(MockHttpsServer.MTA_STS_PATH, Duration.ofSeconds(5));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("version: STSv1\n");
    assertThat(r.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    assertThat(https.requests())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.path()).isEqualTo(MockHttpsServer.MTA_STS_PATH);
              assertThat(q.host()).startsWith("localhost:");
            });
  }

  @Test
  void unknownPath_is404_andRedirectsCarryTheirLocation() throws Exception {
    https.respond("/old", HttpsResponse.redirect(302, "https://elsewhere.test/"));

    assertThat(get("/nothing", Duration.ofSeconds(5)).statusCode()).isEqualTo(404);
    HttpResponse<String> r = get("/old", Duration.ofSeconds(5));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("location")).contains("https://elsewhere.test/");
  }

  @Test
  void generatedAndChunkedBodies_haveTheirSize() throws Exception {
    https.respond("/big", HttpsResponse.status(200).generatedBody(100_000));
    https.respond("/chunked", HttpsResponse.status(200).body("hello").chunked());

    assertThat(get("/big", Duration.ofSeconds(5)).body()).hasSize(100_000);
    assertThat(get("/chunked", Duration.ofSeconds(5)).body()).isEqualTo("hello");
  }

  @Test
  void slowHeaders_makeTheClientTimeOut() {
    https.respond("/slow", HttpsResponse.ok("x").delayHeaders(Duration.ofSeconds(3)));

    assertThatThrownBy(() -> get("/slow", Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
  }
}
