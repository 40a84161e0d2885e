package dev.maildx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.BounceReport;
import dev.maildx.CheckReport;
import dev.maildx.DsnRecipient;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.MxHost;
import dev.maildx.MxReport;
import dev.maildx.internal.InetAddresses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The JSON contract of the CLI (DESIGN.md): camelCase field names, enum values in lower snake
 * case, one object per check report keyed by the check's name in camelCase.
 *
 * <p>Each report type has one mapping, registered in {@link #MAPPERS}; a report without one is
 * written with its check name and findings only.
 */
final class JsonReport {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Report type → JSON mapping. Add one entry per new report type. */
  private static final Map<Class<? extends CheckReport>, BiFunction<JsonReport, CheckReport, ObjectNode>> MAPPERS = new LinkedHashMap<>();

  static {
    MAPPERS.put(MxReport.class, (j, r) -> j.mx((MxReport) r));
    MAPPERS.put(BounceReport.class, (j, r) -> j.bounce((BounceReport) r));
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
    for (Map.Entry<Class<? extends CheckReport>, BiFunction<JsonReport, CheckReport, ObjectNode>> e : MAPPERS.entrySet()) {
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
    for (MxHost h : r.hosts()) {
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

  /** The {@code bounce} object of DESIGN.md; {@code reason} is the taxonomy name (for example {@code userunknown}). */
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
    for (DsnRecipient d : r.recipients()) {
      ObjectNode x = a.addObject();
      x.put("recipient", d.recipient());
      x.put("action", enumValue(d.action()));
      x.put("status", d.status() == null ? null : d.status().toString());
      if (d.replyCode() == null) {
        x.putNull("replyCode");
      } else {
        x.put("replyCode", d.replyCode());
      }
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
    f.rfc().ifPresent(x -> o.put("rfc", x));
    return o;
  }

  ArrayNode causes(List<LikelyCause> causes) {
    ArrayNode a = MAPPER.createArrayNode();
    int rank = 1;
    for (LikelyCause c : causes) {
      ObjectNode o = a.addObject();
      o.put("rank", rank++);
      o.put("code", c.code());
      o.put("summary", c.summary());
      o.put("party", enumValue(c.party()));
      o.put("action", c.action());
      o.put("confidence", enumValue(c.confidence()));
      ArrayNode ev = o.putArray("evidence");
      c.evidence().forEach(f -> ev.add(f.code()));
    }
    return a;
  }

  static String enumValue(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String camel(String check) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : check.toCharArray()) {
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
}
