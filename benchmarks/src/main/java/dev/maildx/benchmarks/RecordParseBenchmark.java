package dev.maildx.benchmarks;

import dev.maildx.DomainName;
import dev.maildx.dns.internal.DkimKeyParser;
import dev.maildx.dns.internal.DmarcRecordParser;
import dev.maildx.dns.internal.SpfRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing (and linting) the records maildx reads from DNS, without any DNS: a DMARC record with
 * every common tag, an SPF record of a large provider's shape, a DKIM key record with a 2048-bit
 * RSA key (base64 and DER decoding, key construction). One thread: the figures are per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RecordParseBenchmark {
  private static final DomainName DOMAIN = DomainName.of("example.com");
  private static final String DMARC =
      "v=DMARC1; p=reject; sp=quarantine; pct=100; rua=mailto:dmarc-rua@example.com,"
          + "mailto:agg@reports.example.net!10m; ruf=mailto:dmarc-ruf@example.com; fo=1; adkim=s; aspf=r; ri=86400";
  private static final String SPF =
      "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip6:2001:db8::/32 include:_spf.google.com "
          + "include:spf.protection.outlook.com include:%{ir}.%{v}._spf.%{d2} a mx:mail.example.com/24//64 exists:%{i}._spf.example.com "
          + "redirect=_spf.example.com";
  private static final String DKIM =
      "v=DKIM1; k=rsa; h=sha256; s=email; p=" + ScaleZoneKeys.RSA_2048;

  /**
   * @return a DMARC record parsed and linted (RFC 9989)
   */
  @Benchmark
  public DmarcRecordParser.Parsed dmarcParse() {
    return DmarcRecordParser.parse(DMARC, "dmarc", DOMAIN);
  }

  /**
   * @return an SPF record parsed, every term and macro validated (RFC 7208 §4.6, §7)
   */
  @Benchmark
  public SpfRecord spfParse() {
    return SpfRecord.parse(SPF);
  }

  /**
   * @return a DKIM key record parsed, its RSA key decoded and linted (RFC 6376 §3.6.1)
   */
  @Benchmark
  public DkimKeyParser.Parsed dkimKeyParse() {
    return DkimKeyParser.parse(DKIM, "dkim", "selector1", DOMAIN, true);
  }
}
