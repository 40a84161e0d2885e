package dev.maildx.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.BimiReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.TlsRptReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.report.TlsaReport;
import java.util.List;

/**
 * JSON of the domain-policy reports (MTA-STS, TLS-RPT, BIMI, DNSSEC, TLSA, PTR, DNSBL); registered
 * in {@link JsonReport}.
 */
final class PolicyJson {
  private PolicyJson() {}

  static ObjectNode mtaSts(JsonReport j, MtaStsReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("lookup", JsonReport.enumValue(r.lookup()));
    strings(o.putArray("records"), r.records());
    o.put("id", r.id());
    o.put("policyUrl", r.policyUrl());
    o.put("httpStatus", r.httpStatus());
    if (r.policy().isPresent()) {
      ObjectNode p = o.putObject("policy");
      p.put("mode", JsonReport.enumValue(r.policy().get().mode()));
      strings(p.putArray("mx"), r.policy().get().mx());
      p.put("maxAgeSeconds", r.policy().get().maxAge().toSeconds());
      p.put("id", r.policy().get().id());
    } else {
      o.putNull("policy");
    }
    strings(o.putArray("mxNotMatching"), r.mxNotMatching());
    o.put("active", r.active());
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode tlsRpt(JsonReport j, TlsRptReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("lookup", JsonReport.enumValue(r.lookup()));
    strings(o.putArray("records"), r.records());
    strings(o.putArray("rua"), r.rua());
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode bimi(JsonReport j, BimiReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("selector", r.selector());
    o.put("lookup", JsonReport.enumValue(r.lookup()));
    strings(o.putArray("records"), r.records());
    o.put("location", r.location());
    o.put("authority", r.authority());
    o.put("declined", r.declined());
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode dnssec(JsonReport j, DnssecReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("method", JsonReport.enumValue(r.method()));
    o.put("status", JsonReport.enumValue(r.status()));
    ArrayNode results = o.putArray("results");
    for (DnssecReport.Result x : r.results()) {
      ObjectNode e = results.addObject();
      e.put("name", x.name());
      e.put("type", x.type());
      e.put("lookup", JsonReport.enumValue(x.lookup()));
      e.put("status", JsonReport.enumValue(x.status()));
      e.put("reason", x.reason());
    }
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode tlsa(JsonReport j, TlsaReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    o.put("domain", r.domain().ascii());
    o.put("method", JsonReport.enumValue(r.method()));
    ArrayNode hosts = o.putArray("hosts");
    for (TlsaReport.Host h : r.hosts()) {
      ObjectNode e = hosts.addObject();
      e.put("host", h.host());
      e.put("tlsaName", h.tlsaName());
      e.put("lookup", JsonReport.enumValue(h.lookup()));
      e.put("dnssec", JsonReport.enumValue(h.dnssec()));
      e.put("daneEnabled", h.daneEnabled());
      records(e.putArray("records"), h.records());
      records(e.putArray("usable"), h.usable());
    }
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode reverseDns(JsonReport j, ReverseDnsReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    ArrayNode results = o.putArray("results");
    for (ReverseDnsReport.Result x : r.results()) {
      ObjectNode e = results.addObject();
      e.put("address", InetAddresses.toLiteral(x.address()));
      e.put("host", x.host());
      e.put("lookup", JsonReport.enumValue(x.lookup()));
      strings(e.putArray("names"), x.names());
      strings(e.putArray("confirmed"), x.confirmed());
      e.put("forwardConfirmed", x.forwardConfirmed());
    }
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  static ObjectNode dnsbl(JsonReport j, DnsblReport r) {
    ObjectNode o = JsonReport.MAPPER.createObjectNode();
    ArrayNode results = o.putArray("results");
    for (DnsblReport.Result x : r.results()) {
      ObjectNode e = results.addObject();
      e.put("list", x.list());
      e.put("zone", x.zone());
      e.put("kind", JsonReport.enumValue(x.kind()));
      e.put("subject", x.subject());
      e.put("lookup", JsonReport.enumValue(x.lookup()));
      strings(e.putArray("codes"), x.codes());
      strings(e.putArray("meanings"), x.meanings());
      e.put("reason", x.reason());
      e.put("listed", x.listed());
    }
    o.put("listed", !r.listings().isEmpty());
    o.set("findings", j.findings(r.findings()));
    return o;
  }

  private static void records(ArrayNode a, List<TlsaRecord> records) {
    for (TlsaRecord t : records) {
      ObjectNode e = a.addObject();
      e.put("usage", t.usage());
      e.put("selector", t.selector());
      e.put("matchingType", t.matchingType());
      e.put("data", t.hex());
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
