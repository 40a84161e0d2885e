package dev.maildx.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import dev.maildx.report.TlsaRecord;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of an SMTP probe (DESIGN.md, {@code maildx probe --json} and the {@code smtp} object of
 * {@code diagnose --json}): {@code hosts[]} with {@code name}, {@code address}, {@code port},
 * {@code outcome}, {@code banner}, {@code extensions[]}, {@code tls}, {@code rcpt}, {@code timings}
 * (ms per phase), {@code transcript[]}; and {@code findings[]}.
 */
final class ProbeJson {
  private ProbeJson() {}

  static ObjectNode report(ProbeReport r, JsonReport j) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("target", r.target());
    if (r.domain() != null) {
      o.put("domain", r.domain().ascii());
    }
    o.put("port", r.port());
    if (r.recipient() != null) {
      o.put("recipient", r.recipient().toString());
    }
    ArrayNode hosts = o.putArray("hosts");
    for (ProbeReport.Host h : r.hosts()) {
      hosts.add(host(h, r));
    }
    o.set("findings", j.findings(r.findings()));
    o.put("elapsedMs", r.elapsed().toMillis());
    return o;
  }

  static ObjectNode host(ProbeReport.Host h, ProbeReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("name", h.name());
    o.put("preference", h.preference());
    o.put("address", InetAddresses.toLiteral(h.address()));
    o.put("port", h.port());
    o.put("outcome", JsonReport.enumValue(h.outcome()));
    o.put("phase", JsonReport.enumValue(h.phase()));
    o.put("timedOut", h.timedOut());
    o.put("detail", h.detail());
    putReply(o, "banner", h.banner());
    o.put("esmtp", h.esmtp());
    o.set("extensions", extensions(h.extensions()));
    if (h.extensionsAfterTls() != null) {
      o.set("extensionsAfterTls", extensions(h.extensionsAfterTls()));
    }
    o.set("tls", h.tls() == null ? JsonReport.MAPPER.nullNode() : tls(h.tls()));
    o.set("mailFrom", reply(h.mailFrom()));
    ObjectNode rcpt = reply(h.rcpt());
    if (h.rcpt() != null && r.recipient() != null) {
      rcpt.put("address", r.recipient().toString());
    }
    o.set("rcpt", h.rcpt() == null ? JsonReport.MAPPER.nullNode() : rcpt);
    o.set("catchAll", h.catchAll() == null ? JsonReport.MAPPER.nullNode() : reply(h.catchAll()));
    o.set("dane", h.dane() == null ? JsonReport.MAPPER.nullNode() : dane(h.dane()));
    ObjectNode t = o.putObject("timings");
    for (Map.Entry<ProbeReport.Phase, Duration> e : h.timings().entrySet()) {
      t.put(JsonReport.camel(JsonReport.enumValue(e.getKey())), e.getValue().toMillis());
    }
    if (h.greetingFirstByte() != null) {
      t.put("greetingFirstByte", h.greetingFirstByte().toMillis());
    }
    t.put("total", h.elapsed().toMillis());
    o.put("startedAt", h.startedAt().toString());
    ArrayNode tr = o.putArray("transcript");
    for (ProbeReport.TranscriptLine l : h.transcript()) {
      ObjectNode x = tr.addObject();
      x.put("atMs", l.at().toMillis());
      x.put("from", JsonReport.enumValue(l.from()));
      x.put("text", l.text());
    }
    return o;
  }

  private static void putReply(ObjectNode o, String field, @Nullable SmtpReply r) {
    if (r == null) {
      o.putNull(field);
    } else {
      o.put(field, r.toString());
    }
  }

  private static ArrayNode extensions(ProbeReport.Extensions e) {
    ArrayNode a = JsonReport.MAPPER.createArrayNode();
    e.lines().forEach(a::add);
    return a;
  }

  private static ObjectNode reply(@Nullable SmtpReply r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    if (r == null) {
      return o;
    }
    o.put("code", r.code());
    if (r.status() != null) {
      o.put("status", r.status().toString());
    } else {
      o.putNull("status");
    }
    o.put("text", r.toString());
    return o;
  }

  private static ObjectNode tls(ProbeReport.Tls t) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("protocol", t.protocol());
    o.put("cipher", t.cipherSuite());
    o.put("trusted", t.trusted());
    if (t.trustProblem() != null) {
      o.put("trustProblem", t.trustProblem());
    }
    o.put("hostnameMatches", t.hostnameMatches());
    o.put("expired", t.expired());
    o.put("expiresSoon", t.expiresSoon());
    o.put("selfSigned", t.selfSigned());
    o.put("handshakeMs", t.handshake().toMillis());
    ProbeReport.Certificate leaf = t.leaf();
    if (leaf != null) {
      ObjectNode c = certificate(leaf);
      c.put("hostnameMatches", t.hostnameMatches());
      c.put("trusted", t.trusted());
      o.set("certificate", c);
    }
    ArrayNode chain = o.putArray("chain");
    t.chain().forEach(c -> chain.add(certificate(c)));
    return o;
  }

  private static ObjectNode certificate(ProbeReport.Certificate c) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("subject", c.subject());
    o.put("issuer", c.issuer());
    ArrayNode dns = o.putArray("dnsNames");
    c.dnsNames().forEach(dns::add);
    ArrayNode ips = o.putArray("ipAddresses");
    c.ipAddresses().forEach(ips::add);
    o.put("notBefore", c.notBefore().toString());
    o.put("notAfter", c.notAfter().toString());
    o.put("keyAlgorithm", c.keyAlgorithm());
    o.put("keySize", c.keySize());
    o.put("signatureAlgorithm", c.signatureAlgorithm());
    o.put("selfSigned", c.selfSigned());
    o.put("sha256", c.sha256());
    o.put("spkiSha256", c.spkiSha256());
    return o;
  }

  private static ObjectNode dane(ProbeReport.Dane d) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("status", JsonReport.enumValue(d.status()));
    o.put("authenticated", d.authenticated());
    o.put("detail", d.detail());
    TlsaRecord m = d.matched();
    if (m != null) {
      o.put("matched", m.toString());
    }
    ArrayNode recs = o.putArray("records");
    d.records().forEach(x -> recs.add(x.toString()));
    return o;
  }
}
