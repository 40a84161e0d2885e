package dev.maildx.dns.internal;

import dev.maildx.report.DnsOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Builds DNS data from fuzzer text for the fuzz targets of the dns module. */
public final class FuzzRecords {
  private FuzzRecords() {}

  /**
   * A TXT record holding the UTF-8 bytes of {@code text} in character-strings of at most 255 bytes;
   * a {@code \t} in the text also starts a new character-string (so a seed can place the
   * boundaries).
   */
  public static TXTRecord txt(Name owner, String text) {
    ByteArrayOutputStream rdata = new ByteArrayOutputStream();
    for (String part : text.split("\t", -1)) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      int i = 0;
      do {
        int n = Math.min(255, b.length - i);
        rdata.write(n);
        rdata.write(b, i, n);
        i += n;
      } while (i < b.length);
    }
    return (TXTRecord) Record.newRecord(owner, Type.TXT, DClass.IN, 300, rdata.toByteArray());
  }

  /** A TXT answer: one record per line of {@code text} (at most {@code max} records). */
  public static DnsAnswer txtAnswer(String name, String text, int max) {
    Name owner = name(name);
    List<Record> records = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (records.size() >= max) {
        break;
      }
      records.add(txt(owner, line));
    }
    return answer(owner, Type.TXT, records);
  }

  /** A successful answer holding {@code records}. */
  public static DnsAnswer answer(Name owner, int type, List<Record> records) {
    return new DnsAnswer(
        owner,
        type,
        records.isEmpty() ? DnsOutcome.NO_DATA : DnsOutcome.ANSWER,
        records,
        List.of(),
        false,
        null,
        null,
        "",
        Duration.ZERO);
  }

  /** An absolute name. */
  public static Name name(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
