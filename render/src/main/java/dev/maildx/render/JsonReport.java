package dev.maildx.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SpfReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The JSON contract of the CLI (DESIGN.md): camelCase field names, enum values in lower snake case,
 * one object per check report keyed by the check's name in camelCase.
 *
 * <p>Each report type has one mapping, registered in {@link #MAPPERS}; a report without one is
 * written with its check name and findings only.
 */
final class JsonReport {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Report type → JSON mapping. Add one entry per new report type. */
  private static final Map<
          Class<? extends CheckReport>, BiFunction<JsonReport, CheckReport, ObjectNode>>
      MAPPERS = new LinkedHashMap<>();

  static {
    MAPPERS.put(MxReport.class, (j, r) -> j.mx((MxReport) r));
    MAPPERS.put(BounceReport.class, (j, r) -> j.bounce((BounceReport) r));
    MAPPERS.put(ProbeReport.class, (j, r) -> ProbeJson.report((ProbeReport) r, j));
    MAPPERS.put(SpfReport.class, (j, r) -> j.spf((SpfReport) r));
    MAPPERS.put(DmarcReport.class, (j, r) -> j.dmarc((DmarcReport) r));
    MAPPERS.put(DkimKeysReport.class, (j, r) -> j.dkim((DkimKeysReport) r));
    MAPPERS.put(
        dev.maildx.report.MtaStsReport.class,
        (j, r) -> PolicyJson.mtaSts(j, (dev.maildx.report.MtaStsReport) r));
    MAPPERS.put(
        dev.maildx.report.TlsRptReport.class,
        (j, r) -> PolicyJson.tlsRpt(j, (dev.maildx.report.TlsRptReport) r));
    MAPPERS.put(
        dev.maildx.report.BimiReport.class,
        (j, r) -> PolicyJson.bimi(j, (dev.maildx.report.BimiReport) r));
    MAPPERS.put(
        dev.maildx.report.DnssecReport.class,
        (j, r) -> PolicyJson.dnssec(j, (dev.maildx.report.DnssecReport) r));
    MAPPERS.put(
        dev.maildx.report.TlsaReport.class,
        (j, r) -> PolicyJson.tlsa(j, (dev.maildx.report.TlsaReport) r));
    MAPPERS.put(
        dev.maildx.report.ReverseDnsReport.class,
        (j, r) -> PolicyJson.reverseDns(j, (dev.maildx.report.ReverseDnsReport) r));
    MAPPERS.put(
        dev.maildx.report.DnsblReport.class,
        (j, r) -> PolicyJson.dnsbl(j, (dev.maildx.report.DnsblReport) r));
    MAPPERS.put(
        dev.maildx.report.AuthReport.class,
        (j, r) -> AuthJson.report(j, (dev.maildx.report.AuthReport) r));
  }

  ObjectNode diagnosis(DeliveryDiagnosis d) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("verdict", enumValue(d.verdict()));
    o.set("question", question(d.question()));
    o.set("likelyCauses", causes(d.likelyCauses()));
    o.set("findings", findings(d.findings()));
    o.put("startedAt", d.startedAt().toString());
    o.put("elapsedMs", d.elapsed().toMillis());
    for (CheckReport r : d.reports()) {
      o.set(camel(r.check()), report(r));
    }
    return o;
  }

  ObjectNode question(DeliveryQuestion q) {
    ObjectNode o = MAPPER.createObjectNode();
    q.from().ifPresent(a -> o.put("from", a.toString()));
    q.sendingIp().ifPresent(a -> o.put("sendingIp", InetAddresses.toLiteral(a)));
    q.helo().ifPresent(h -> o.put("helo", h.ascii()));
    q.recipient().ifPresent(a -> o.put("to", a.toString()));
    if (q.recipient().isEmpty()) {
      q.recipientDomain().ifPresent(dn -> o.put("to", dn.ascii()));
    }
    q.bounce().ifPresent(p -> o.put("bounce", p.toString()));
    q.message().ifPresent(p -> o.put("message", p.toString()));
    if (!q.dkimSelectors().isEmpty()) {
      ArrayNode a = o.putArray("selectors");
      q.dkimSelectors().forEach(a::add);
    }
    o.put("smtpProbe", q.smtpProbe());
    return o;
  }

  ObjectNode report(CheckReport r) {
    BiFunction<JsonReport, CheckReport, ObjectNode> m = null;
    for (Map.Entry<Class<? extends CheckReport>, BiFunction<JsonReport, CheckReport, ObjectNode>>
        e : MAPPERS.entrySet()) {
      if (e.getKey().isInstance(r)) {
        m = e.getValue();
        break;
      }
    }
    if (m != null) {
      return m.apply(this, r);
    }
    ObjectNode o = MAPPER.createObjectNode();
    o.put("check", r.check());
    o.set("findings", findings(r.findings()));
    return o;
  }

  ObjectNode mx(MxReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("lookup", enumValue(r.lookup()));
    ArrayNode hosts = o.putArray("hosts");
    for (MxReport.Host h : r.hosts()) {
      ObjectNode x = hosts.addObject();
      x.put("preference", h.preference());
      x.put("name", h.name());
      ArrayNode addrs = x.putArray("addresses");
      h.addresses().forEach(a -> addrs.add(InetAddresses.toLiteral(a)));
      x.put("addressLookup", enumValue(h.addressLookup()));
    }
    o.put("nullMx", r.nullMx());
    o.put("implicit", r.implicit());
    o.set("findings", findings(r.findings()));
    return o;
  }

  ObjectNode dmarc(DmarcReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("lookup", enumValue(r.lookup()));
    if (r.record() != null) {
      o.set("record", dmarcRecord(r.record()));
    } else {
      o.putNull("record");
    }
    putName(o, "policyDomain", r.policyDomain());
    if (r.policy() != null) {
      o.put("policy", enumValue(r.policy()));
    } else {
      o.putNull("policy");
    }
    r.effectivePolicy()
        .ifPresentOrElse(
            p -> o.put("effectivePolicy", enumValue(p)), () -> o.putNull("effectivePolicy"));
    o.put("ownRecord", r.ownRecord());
    putName(o, "organizationalDomain", r.organizationalDomain());
    putName(o, "pslOrganizationalDomain", r.pslOrganizationalDomain());
    putName(o, "pslPolicyDomain", r.pslPolicyDomain());
    o.put("methodsAgree", r.methodsAgree());
    if (r.domainExists() != null) {
      o.put("domainExists", r.domainExists());
    } else {
      o.putNull("domainExists");
    }
    o.put("publicSuffixList", r.publicSuffixListVersion());
    ArrayNode walk = o.putArray("treeWalk");
    for (DmarcReport.Lookup l : r.treeWalk()) {
      ObjectNode x = walk.addObject();
      x.put("name", l.name());
      x.put("outcome", enumValue(l.outcome()));
      x.put("dmarcRecords", l.dmarcRecords());
      ArrayNode t = x.putArray("texts");
      l.texts().forEach(t::add);
      if (!l.detail().isEmpty()) {
        x.put("detail", l.detail());
      }
    }
    ArrayNode dest = o.putArray("reportDestinations");
    for (DmarcReport.Destination d : r.reportDestinations()) {
      ObjectNode x = dest.addObject();
      x.put("tag", d.tag());
      x.put("uri", d.uri());
      putName(x, "destination", d.destination());
      x.put("external", d.external());
      x.put("authorization", enumValue(d.authorization()));
      if (d.authorizationName() != null) {
        x.put("authorizationName", d.authorizationName());
      }
    }
    o.set("findings", findings(r.findings()));
    return o;
  }

  ObjectNode dmarcRecord(DmarcRecord d) {
    ObjectNode x = MAPPER.createObjectNode();
    x.put("text", d.text());
    ObjectNode tags = x.putObject("tags");
    d.tags().forEach(tags::put);
    x.put("p", enumValue(d.policy()));
    x.put("sp", enumValue(d.effectiveSubdomainPolicy()));
    x.put("np", enumValue(d.effectiveNonExistentPolicy()));
    x.put("adkim", d.dkimAlignment() == DmarcRecord.Alignment.STRICT ? "s" : "r");
    x.put("aspf", d.spfAlignment() == DmarcRecord.Alignment.STRICT ? "s" : "r");
    x.put("pct", d.percent());
    ArrayNode rua = x.putArray("rua");
    d.aggregateReportUris().forEach(rua::add);
    ArrayNode ruf = x.putArray("ruf");
    d.failureReportUris().forEach(ruf::add);
    x.put("fo", String.join(":", d.failureReportOptions()));
    x.put("rf", d.reportFormat());
    x.put("ri", d.reportInterval().toSeconds());
    x.put("t", d.testing() ? "y" : "n");
    x.put("psd", enumValue(d.psd()));
    x.put("usable", d.usable());
    return x;
  }

  ObjectNode dkim(DkimKeysReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    ArrayNode sel = o.putArray("selectors");
    for (DkimKeysReport.Selector s : r.selectors()) {
      if (s.source() == DkimKeysReport.Selector.Source.COMMON
          && s.key() == null
          && s.cnameChain().isEmpty()
          && s.outcome().isDefinite()) {
        continue; // guessed and absent: listed only in "tried"
      }
      ObjectNode x = sel.addObject();
      x.put("selector", s.selector());
      x.put("name", s.name());
      x.put("source", enumValue(s.source()));
      x.put("lookup", enumValue(s.outcome()));
      ArrayNode c = x.putArray("cname");
      s.cnameChain().forEach(c::add);
      if (s.key() != null) {
        DkimKeysReport.Key k = s.key();
        ObjectNode key = x.putObject("key");
        key.put("text", k.text());
        key.put("keyType", enumValue(k.keyType()));
        key.put("k", k.keyTypeName());
        key.put("bits", k.keyBits());
        key.put("revoked", k.revoked());
        key.put("testing", k.testing());
        key.put("usable", k.publicKey() != null);
        ArrayNode h = key.putArray("hashAlgorithms");
        k.hashAlgorithms().forEach(h::add);
        ArrayNode sv = key.putArray("serviceTypes");
        k.serviceTypes().forEach(sv::add);
        ArrayNode fl = key.putArray("flags");
        k.flags().forEach(fl::add);
      }
      if (!s.detail().isEmpty()) {
        x.put("detail", s.detail());
      }
    }
    ArrayNode tried = o.putArray("tried");
    r.selectors().forEach(s -> tried.add(s.selector()));
    o.set("findings", findings(r.findings()));
    return o;
  }

  private static void putName(
      ObjectNode o, String field, dev.maildx.@org.jspecify.annotations.Nullable DomainName d) {
    if (d == null) {
      o.putNull(field);
    } else {
      o.put(field, d.ascii());
    }
  }

  ArrayNode findings(List<Finding> findings) {
    ArrayNode a = MAPPER.createArrayNode();
    findings.forEach(f -> a.add(finding(f)));
    return a;
  }

  ObjectNode finding(Finding f) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("code", f.code());
    o.put("severity", enumValue(f.severity()));
    o.put("effect", enumValue(f.effect()));
    o.put("check", f.check());
    o.put("message", f.message());
    ObjectNode ev = o.putObject("evidence");
    f.evidence().forEach(ev::put);
    java.util.Optional.ofNullable(f.reference()).ifPresent(x -> o.put("rfc", x));
    return o;
  }

  ArrayNode causes(List<LikelyCause> causes) {
    ArrayNode a = MAPPER.createArrayNode();
    int rank = 1;
    for (LikelyCause c : causes) {
      ObjectNode o = a.addObject();
      o.put("rank", rank++);
      o.put("code", c.code().name());
      o.put("summary", c.summary());
      o.put("party", enumValue(c.party()));
      o.put("action", c.action());
      o.put("confidence", enumValue(c.confidence()));
      o.put("effect", enumValue(c.effect()));
      ArrayNode ev = o.putArray("evidence");
      c.evidence().forEach(f -> ev.add(finding(f)));
    }
    return a;
  }

  static String enumValue(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String camel(String check) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (int i = 0; i < check.length(); i++) {
      char c = check.charAt(i);
      if (c == '-' || c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The {@code spf} object of DESIGN.md; {@code trace} is the record tree depth first, each entry
   * with its depth.
   */
  ObjectNode spf(SpfReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    if (r.spfResult() != null) {
      o.put("result", enumValue(r.spfResult()));
    } else {
      o.putNull("result");
    }
    o.put("identity", r.identity());
    o.put("scope", enumValue(r.scope()));
    o.put("domain", r.domain());
    if (r.ip() != null) {
      o.put("ip", InetAddresses.toLiteral(r.ip()));
    }
    if (r.helo() != null) {
      o.put("helo", r.helo());
    }
    putNullable(o, "explanation", r.explanation());
    putNullable(o, "matchedMechanism", r.matchedMechanism());
    putNullable(o, "matchedDomain", r.matchedDomain());
    o.put("dnsLookups", r.dnsLookups());
    o.put("voidLookups", r.voidLookups());
    ArrayNode trace = o.putArray("trace");
    if (r.trace() != null) {
      spfTrace(trace, r.trace(), 0);
    }
    o.set("findings", findings(r.findings()));
    return o;
  }

  private void spfTrace(ArrayNode out, SpfReport.Trace t, int depth) {
    ObjectNode x = out.addObject();
    x.put("depth", depth);
    x.put("via", enumValue(t.via()));
    x.put("domain", t.domain());
    if (t.lookup() != null) {
      x.set("lookup", spfLookup(t.lookup()));
    }
    ArrayNode recs = x.putArray("records");
    t.records().forEach(recs::add);
    if (t.result() != null) {
      x.put("result", enumValue(t.result()));
    } else {
      x.putNull("result");
    }
    x.put("detail", t.detail());
    ArrayNode terms = x.putArray("terms");
    for (SpfReport.Term term : t.terms()) {
      ObjectNode y = terms.addObject();
      y.put("term", term.term());
      y.put("position", term.position());
      y.put("outcome", enumValue(term.outcome()));
      putNullable(y, "target", term.target());
      y.put("detail", term.detail());
      ArrayNode lk = y.putArray("lookups");
      term.lookups().forEach(l -> lk.add(spfLookup(l)));
    }
    for (SpfReport.Term term : t.terms()) {
      if (term.child() != null) {
        spfTrace(out, term.child(), depth + 1);
      }
    }
  }

  private ObjectNode spfLookup(SpfReport.Lookup l) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", l.name());
    o.put("type", l.type());
    o.put("outcome", enumValue(l.outcome()));
    ArrayNode a = o.putArray("answers");
    l.answers().forEach(a::add);
    o.put("void", l.voidLookup());
    return o;
  }

  private static void putNullable(ObjectNode o, String field, @Nullable String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  /**
   * The {@code bounce} object of DESIGN.md; {@code reason} is the taxonomy name (for example {@code
   * userunknown}).
   */
  ObjectNode bounce(BounceReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("source", r.source());
    o.put("kind", enumValue(r.kind()));
    o.put("format", r.format());
    o.put("reportingMta", r.reportingMta());
    o.put("originalMessageId", r.originalMessageId());
    if (r.arrivalDate() != null) {
      o.put("arrivalDate", r.arrivalDate());
    }
    if (r.original() != null) {
      ObjectNode m = o.putObject("original");
      m.put("messageId", r.original().messageId());
      m.put("from", r.original().from());
      m.put("to", r.original().to());
      m.put("subject", r.original().subject());
      m.put("date", r.original().date());
    }
    ArrayNode a = o.putArray("recipients");
    for (BounceReport.Recipient d : r.recipients()) {
      ObjectNode x = a.addObject();
      x.put("recipient", d.recipient());
      x.put("action", enumValue(d.action()));
      x.put("status", d.status() == null ? null : d.status().toString());
      if (d.replyCode() == null) {
        x.putNull("replyCode");
      } else {
        x.put("replyCode", d.replyCode());
      }
      // Who wrote replyCode (RFC 3464 §2.3.6): the remote host, or the reporting MTA for an attempt
      // that got no reply. Additive key.
      x.put("replySource", enumValue(d.replySource()));
      x.put("reason", d.reason().id());
      x.put("hardBounce", d.hardBounce());
      x.put("remoteMta", d.remoteMta());
      x.put("diagnosticCode", d.diagnosticCode());
      x.put("explanation", d.explanation());
      x.put("party", d.party() == null ? null : enumValue(d.party()));
      x.put("decision", d.decision());
    }
    if (r.feedback() != null) {
      ObjectNode f = o.putObject("feedback");
      f.put("feedbackType", r.feedback().feedbackType());
      f.put("sourceIp", r.feedback().sourceIp());
      f.put("originalMailFrom", r.feedback().originalMailFrom());
      f.put("originalRcptTo", r.feedback().originalRcptTo());
      f.put("reportedDomain", r.feedback().reportedDomain());
      f.put("userAgent", r.feedback().userAgent());
    }
    o.set("findings", findings(r.findings()));
    return o;
  }
}
