// mailauth as the peer of maildx's side-by-side benchmark (see ../README.md).
// Reads tab-separated lines "domain<TAB>ip" from the input file, evaluates SPF for
// postmaster@domain from ip and DMARC discovery for the domain, against the DNS server given,
// with at most `concurrency` in flight. Prints one JSON line per domain, then a summary line.
//   node run.js <dnsHost:port> <input.tsv> <concurrency>
'use strict';
const { Resolver } = require('node:dns').promises;
const fs = require('node:fs');
const { spf } = require('mailauth/lib/spf');
const { dmarc } = require('mailauth/lib/dmarc');

const [server, input, concurrencyArg] = process.argv.slice(2);
const concurrency = parseInt(concurrencyArg || '64', 10);
const dnsResolver = new Resolver({ timeout: 5000, tries: 1 });
dnsResolver.setServers([server]);
const resolver = (name, rr) => dnsResolver.resolve(name, rr);

const items = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).map(l => l.split('\t'));

async function one([domain, ip]) {
  const s = await spf({ sender: `postmaster@${domain}`, ip, helo: `mail.${domain}`, mta: 'bench.test', resolver });
  const d = await dmarc({ headerFrom: domain, spfDomains: [], dkimDomains: [], resolver });
  return { domain, spf: s.status.result, dmarcPolicy: d.policy || d.p || null, dmarcStatus: d.status && d.status.result };
}

(async () => {
  const started = process.hrtime.bigint();
  let next = 0;
  const out = [];
  async function worker() {
    while (next < items.length) {
      const item = items[next++];
      try {
        out.push(await one(item));
      } catch (e) {
        out.push({ domain: item[0], error: String(e && e.message) });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const r of out) console.log(JSON.stringify(r));
  console.log(JSON.stringify({ summary: true, items: items.length, seconds, perSecond: items.length / seconds }));
})();
