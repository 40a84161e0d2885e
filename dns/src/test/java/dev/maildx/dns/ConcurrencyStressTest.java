package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One shared MailDiagnostics used by 32 threads gives the same results as sequential runs. */
class ConcurrencyStressTest {
  private static final long SEED = 20261125L;
  private static final int DOMAINS = 320;
  @RegisterExtension final MockDnsExtension ext = new MockDnsExtension();

  @Test
  void thirtyTwoThreadsGiveTheSameResultsAsOne() throws Exception {
    List<String> domains = publish(ext.server(), new Random(SEED));
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(ext.server().address())
            .timeout(Duration.ofSeconds(10))
            .dnsQueryTimeout(Duration.ofMillis(300))
            .build()) {
      Map<String, String> sequential = new TreeMap<>();
      for (String d : domains) {
        sequential.put(d, signature(m.diagnose(DeliveryQuestion.to("postmaster@" + d))));
      }

      Map<String, String> concurrent = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(32);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (String d : domains) {
          all.add(
              pool.submit(
                  () ->
                      concurrent.put(
                          d, signature(m.diagnose(DeliveryQuestion.to("postmaster@" + d))))));
        }
        for (Future<?> f : all) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(new TreeMap<>(concurrent)).isEqualTo(sequential);
      assertThat(sequential.values().stream().distinct().count())
          .as("scenarios are varied")
          .isGreaterThan(8);
    }
  }

  private static String signature(DeliveryDiagnosis d) {
    return d.verdict()
        + " "
        + d.findings().stream()
            .map(f -> f.check() + ":" + f.code())
            .sorted()
            .collect(Collectors.joining(","))
        + " "
        + d.mx()
            .map(
                r ->
                    r.hosts().stream()
                        .map(h -> h.preference() + "/" + h.name() + "/" + h.addresses().size())
                        .collect(Collectors.joining(",")))
            .orElse("-");
  }

  /** Publishes DOMAINS domains, each a random scenario from the seed. */
  static List<String> publish(MockDnsServer dns, Random r) {
    List<String> domains = new ArrayList<>();
    for (int i = 0; i < DOMAINS; i++) {
      String d = "d" + i + ".stress.test";
      domains.add(d);
      switch (r.nextInt(9)) {
        case 0 -> dns.mx(d, 0, ".");
        case 1 -> dns.txt(d, "no mail here");
        case 2 -> dns.a(d, "8.8." + r.nextInt(250) + ".1");
        case 3 ->
            dns.mx(d, 10, "alias." + d)
                .cname("alias." + d, "real." + d)
                .a("real." + d, "9.9.9." + (1 + r.nextInt(200)));
        case 4 ->
            dns.mx(d, 10, "gone." + d)
                .mx(d, 20, "mx." + d)
                .a("mx." + d, "1.1.1." + (1 + r.nextInt(200)));
        case 5 -> dns.mx(d, 10, "mx." + d).a("mx." + d, "10.0.0." + (1 + r.nextInt(200)));
        case 6 ->
            dns.mx(d, 10, "mx." + d)
                .aaaa("mx." + d, "2a00:1450::" + Integer.toHexString(1 + r.nextInt(4000)));
        case 7 -> dns.mx(d, 10, "mx." + d).fault("mx." + d, DnsFault.servfail());
        default -> {
          int hosts = 1 + r.nextInt(4);
          for (int h = 0; h < hosts; h++) {
            dns.mx(d, 10 * (h + 1), "mx" + h + "." + d)
                .a("mx" + h + "." + d, "8.8.4." + (1 + r.nextInt(250)));
          }
        }
      }
      // case 1 publishes only a TXT, leaving no MX and no address; "nxdomain" comes from names
      // never published:
      if (r.nextInt(20) == 0) {
        domains.set(domains.size() - 1, "missing" + i + ".stress.test");
      }
    }
    return domains;
  }
}
