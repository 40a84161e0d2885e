// mailauth as the peer of maildx's side-by-side benchmark (see ../README.md and SideBySide.java).
// Reads tab-separated lines "domain<TAB>ip" from the input file and, for each, evaluates SPF for
// postmaster@domain from ip (helo mail.domain) and then DMARC for a message From: the domain with no
// aligned SPF or DKIM, against the DNS server given, with at most `concurrency` domains in flight.
// The whole list is first run `warmupPasses` times untimed (V8's JIT warm-up; maildx's JVM gets the same
// number of passes), then once timed.
// Prints one JSON line per domain, then a summary line.
//   node run.js <dnsHost:port> <input.tsv> <concurrency> [warmupPasses]
'use strict';
const { Resolver } = require('node:dns').promises;
const fs = require('node:fs');
const { spf } = require('mailauth/lib/spf');
const { dmarc } = require('mailauth/lib/dmarc');
const version = require('mailauth/package.json').version;

const [server, input, concurrencyArg, warmupArg] = process.argv.slice(2);
const concurrency = parseInt(concurrencyArg || '64', 10);
const warmupPasses = parseInt(warmupArg || '0', 10);
const dnsResolver = new Resolver({ timeout: 5000, tries: 2 });
dnsResolver.setServers([server]);
const resolver = (name, rr) => dnsResolver.resolve(name, rr);

const items = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).map(l => l.split('\t'));

async function one([domain, ip]) {
  const s = await spf({ sender: `postmaster@${domain}`, ip, helo: `mail.${domain}`, mta: 'bench.test', resolver });
  const d = await dmarc({ headerFrom: `alice@${domain}`, spfDomains: [], dkimDomains: [], resolver });
  return {
    domain,
    spf: s.status.result,
    dmarc: d && d.status ? d.status.result : null,
    dmarcPolicy: d && d.policy ? String(d.policy).toLowerCase() : null
  };
}

async function runAll(list) {
  let next = 0;
  const out = [];
  async function worker() {
    while (next < list.length) {
      const item = list[next++];
      try {
        out.push(await one(item));
      } catch (e) {
        out.push({ domain: item[0], error: String(e && e.message) });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

(async () => {
  for (let pass = 0; pass < warmupPasses; pass++) {
    await runAll(items);
  }
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const out = await runAll(items);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  for (const r of out) console.log(JSON.stringify(r));
  console.log(JSON.stringify({ summary: true, version, items: items.length, seconds, perSecond: items.length / seconds,
    cpuMsPerItem: (cpu.user + cpu.system) / 1000 / items.length }));
})();
