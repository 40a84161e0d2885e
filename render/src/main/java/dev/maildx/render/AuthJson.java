package dev.maildx.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.AuthReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.SmtpEnvelope;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * JSON of the {@code auth} report (DKIM, SPF, DMARC, ARC of a received message); registered in
 * {@link JsonReport}.
 */
final class AuthJson {
  private AuthJson() {}

  static ObjectNode report(JsonReport j, AuthReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("source", r.source());
    o.put("messageBytes", r.messageBytes());
    o.put("messageId", r.messageId());
    o.set("envelope", envelope(r.envelope()));
    ObjectNode from = o.putObject("from");
    from.put("fields", r.from().fields());
    from.put("value", r.from().value());
    strings(from.putArray("displayNames"), r.from().displayNames());
    strings(from.putArray("addresses"), r.from().addresses());
    strings(from.putArray("domains"), r.from().domains().stream().map(d -> d.ascii()).toList());
    ArrayNode dkim = o.putArray("dkim");
    r.dkim().forEach(s -> dkim.add(signature(s)));
    if (r.spf() != null) {
      o.set("spf", j.spf(r.spf()));
    } else {
      o.putNull("spf");
    }
    o.set("dmarc", dmarc(r));
    o.set("arc", arc(r.arc()));
    o.put("authenticationResults", r.authenticationResults());
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode envelope(SmtpEnvelope e) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    putNullable(o, "clientIp", e.clientIp() == null ? null : InetAddresses.toLiteral(e.clientIp()));
    putNullable(o, "helo", e.helo());
    putNullable(o, "mailFrom", e.mailFrom());
    return o;
  }

  static ObjectNode signature(AuthReport.DkimSignature s) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("index", s.index());
    o.put("result", JsonReport.enumValue(s.result()));
    o.put("failure", JsonReport.enumValue(s.failure()));
    o.put("reason", s.reason());
    o.put("domain", s.domain());
    o.put("selector", s.selector());
    o.put("identity", s.identity());
    o.put("algorithm", s.algorithm());
    o.put("canonicalization", s.headerCanonicalization() + "/" + s.bodyCanonicalization());
    strings(o.putArray("signedHeaders"), s.signedHeaders());
    if (s.bodyLength() != null) {
      o.put("bodyLength", s.bodyLength());
    } else {
      o.putNull("bodyLength");
    }
    putNullable(o, "timestamp", s.timestamp() == null ? null : s.timestamp().toString());
    putNullable(o, "expiration", s.expiration() == null ? null : s.expiration().toString());
    o.put("bodyHashClaimed", s.bodyHashClaimed());
    o.put("bodyHashComputed", s.bodyHashComputed());
    o.put("bodyHashMatches", s.bodyHashMatches());
    o.put("canonicalBodyBytes", s.canonicalBodyBytes());
    o.put("headerHashComputed", s.headerHashComputed());
    o.put("headerHashSigned", s.headerHashSigned());
    strings(o.putArray("changedHeaders"), s.changedHeaders());
    o.put("keyBits", s.keyBits());
    o.put("keyTesting", s.keyTesting());
    o.put("signedHeaderBlock", s.signedHeaderBlock());
    o.put("authenticationResult", s.authenticationResult());
    return o;
  }

  static ObjectNode dmarc(AuthReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("result", JsonReport.enumValue(r.dmarcResult()));
    DmarcEvaluation e = r.dmarc();
    if (e == null) {
      return o;
    }
    o.put("authorDomain", e.authorDomain().ascii());
    putNullable(o, "policyDomain", e.policyDomain() == null ? null : e.policyDomain().ascii());
    putNullable(o, "policy", e.policy() == null ? null : e.policy().tagValue());
    o.put("disposition", e.disposition().tagValue());
    putNullable(o, "spfAligned", e.spf().aligned() == null ? null : e.spf().aligned().ascii());
    putNullable(o, "dkimAligned", e.dkim().aligned() == null ? null : e.dkim().aligned().ascii());
    o.put("rfc7489Result", JsonReport.enumValue(e.rfc7489Result()));
    strings(o.putArray("reasons"), e.reasons());
    o.put("authenticationResult", e.authenticationResult());
    return o;
  }

  static ObjectNode arc(AuthReport.Arc a) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("status", JsonReport.enumValue(a.status()));
    o.put("instances", a.instances());
    o.put("failedInstance", a.failedInstance());
    o.put("oldestPass", a.oldestPass());
    o.put("reason", a.reason());
    ArrayNode sets = o.putArray("sets");
    for (AuthReport.Arc.ArcSet s : a.sets()) {
      ObjectNode x = sets.addObject();
      x.put("instance", s.instance());
      x.put("sealDomain", s.sealDomain());
      x.put("sealSelector", s.sealSelector());
      x.put("cv", s.sealCv());
      putNullable(
          x, "sealResult", s.sealResult() == null ? null : JsonReport.enumValue(s.sealResult()));
      x.put("sealReason", s.sealReason());
      if (s.messageSignature() != null) {
        x.set("messageSignature", signature(s.messageSignature()));
      } else {
        x.putNull("messageSignature");
      }
      x.put("authservId", s.authservId());
      x.put("authResults", s.authResults());
    }
    return o;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static void putNullable(ObjectNode o, String field, @Nullable String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
