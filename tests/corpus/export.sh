#!/usr/bin/env bash
# minetrace export on real data: the store is built from the corpus
# captures labelled mining (../shared/corpus/pcap/LABELS.tsv) with
# `minetrace scan --db`, then exported in every format; the pools of those
# captures must come out, and each file must load in the tool that reads
# it where Debian has one:
#   rpz        named-checkzone (bind9-utils)
#   suricata   Debian 12 has no suricata package (apt: "no installation
#              candidate"), so a strict reader here checks every rule: the
#              header, options as key[:value]; with quoted values free of
#              quotes, semicolons and backslashes, classtype coin-mining,
#              unique SIDs from --sid-base in order, rev 1, dotprefix
#              contents that are host names.
#   zeek-intel Zeek is not in Debian: a reader of the Intel framework's
#              ASCII format here: the #fields line, four tab-separated
#              fields per row, indicator_type Intel::DOMAIN/ADDR/SUBNET
#              matching the indicator, no raw control byte.
# Then a hostile finding (ingested as JSONL: a pool name carrying a rule
# and a zone record) must be left out of every format.
set -euo pipefail
BIN=${MT_BIN:?MT_BIN}
C=${MT_CORPUS:?MT_CORPUS}/pcap
[ -d "$C" ] || { echo "no corpus at $C"; exit 1; }
command -v named-checkzone >/dev/null || { echo "FAIL: named-checkzone missing (bind9-utils, scripts/deps.txt)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/f.db

mapfile -t caps < <(awk -F'\t' '$2 == "mining" && $1 !~ /^#/ && $1 !~ /\*/ {print $1}' "$C/LABELS.tsv")
files=()
for c in "${caps[@]}"; do files+=("$C/$c"); done
rc=0
"$BIN" scan --no-progress --db "$db" "${files[@]}" >/dev/null 2>"$tmp/scan.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: scan exited $rc"; cat "$tmp/scan.err"; exit 1; }

export_all() { # db suffix extra-args...
    local d=$1 sfx=$2
    shift 2
    for f in suricata zeek-intel rpz hosts csv; do
        rc=0
        "$BIN" export --db "$d" --format $f --sid-base 3000000 --zone rpz.corpus.test \
            -o "$tmp/out$sfx.$f" "$@" 2>"$tmp/err$sfx.$f" || rc=$?
        [ "$rc" -eq 1 ] || { echo "FAIL: export --format $f exited $rc"; cat "$tmp/err$sfx.$f"; exit 1; }
    done
}
export_all "$db" "" --only findings

# The pools of the labelled captures (LABELS.tsv names them).
for p in eu1-zcash.flypool.org zec-eu1.nanopool.org zec-eu.suprnova.cc pool.eth.pp.ua \
         la01.supportxmr.com litecoinpool.org us1.bitminter.com coinhive.com authedmine.com; do
    grep -qx "0.0.0.0 $p" "$tmp/out.hosts" || { echo "FAIL: hosts lacks $p"; exit 1; }
    grep -qx "$p CNAME ." "$tmp/out.rpz" || { echo "FAIL: rpz lacks $p"; exit 1; }
    grep -qx "\*\.$p CNAME ." "$tmp/out.rpz" || { echo "FAIL: rpz lacks *.$p"; exit 1; }
    grep -qF "dns.query; dotprefix; content:\".$p\"; nocase; endswith;" "$tmp/out.suricata" ||
        { echo "FAIL: suricata lacks $p"; exit 1; }
    grep -qP "^\Q$p\E\tIntel::DOMAIN\t" "$tmp/out.zeek-intel" || { echo "FAIL: zeek lacks $p"; exit 1; }
    grep -q "^$p,domain,findings," "$tmp/out.csv" || { echo "FAIL: csv lacks $p"; exit 1; }
done
# flypool's address from its Stratum session, and the Stratum port
grep -q "^[0-9.]*,addr,findings," "$tmp/out.csv" || { echo "FAIL: csv has no pool address"; exit 1; }
grep -q "^3333,port,findings," "$tmp/out.csv" || { echo "FAIL: csv lacks port 3333"; exit 1; }

check_files() { # suffix
    local s=$1
    named-checkzone -q rpz.corpus.test "$tmp/out$s.rpz" ||
        { named-checkzone rpz.corpus.test "$tmp/out$s.rpz"; echo "FAIL: named-checkzone refused out$s.rpz"; exit 1; }
    python3 - "$tmp/out$s.suricata" "$tmp/out$s.zeek-intel" <<'PY'
import ipaddress, re, sys
name = re.compile(r'(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]*[a-z-][a-z0-9-]*$')
def addr(v):
    v = v[1:-1] if v.startswith('[') else v
    ipaddress.ip_network(v, strict=True)
rule = re.compile(r'^alert (dns|tls|ip) \$HOME_NET any -> (\S+) any \((.*)\)$')
opt = re.compile(r'([a-z.]+)(?::("[^";\\]*"|[^";\\]*))?; ?')
want_sid, rules = 3000000, 0
for ln, line in enumerate(open(sys.argv[1], encoding='ascii'), 1):
    line = line.rstrip('\n')
    if line.startswith('#'): continue
    m = rule.match(line)
    assert m, f"suricata line {ln}: not a rule: {line!r}"
    proto, dst, body = m.groups()
    pos, opts = 0, []
    while pos < len(body):
        o = opt.match(body, pos)
        assert o, f"suricata line {ln}: bad option at {body[pos:pos+40]!r}"
        opts.append((o.group(1), o.group(2)))
        pos = o.end()
    keys = [k for k, _ in opts]
    d = dict(opts)
    assert d['msg'].startswith('"minetrace '), ln
    assert d['classtype'] == 'coin-mining' and d['rev'] == '1', ln
    assert int(d['sid']) == want_sid, f"line {ln}: sid {d['sid']} != {want_sid}"
    want_sid += 1
    if proto == 'ip':
        addr(dst)
    else:
        assert dst == 'any'
        buf = 'dns.query' if proto == 'dns' else 'tls.sni'
        i = keys.index(buf)
        assert keys[i:i + 5] == [buf, 'dotprefix', 'content', 'nocase', 'endswith'], keys
        c = d['content'].strip('"')
        assert c.startswith('.') and name.match(c[1:]), c
    rules += 1
assert rules > 0
z = open(sys.argv[2], encoding='ascii').read().split('\n')
assert z[0] == '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc', z[0]
assert z[-1] == ''
for ln, row in enumerate(z[1:-1], 2):
    assert not re.search(r'[\x00-\x08\x0a-\x1f\x7f-\xff]', row), ln
    f = row.split('\t')
    assert len(f) == 4, f"zeek line {ln}: {len(f)} fields"
    ind, typ, src, desc = f
    if typ == 'Intel::DOMAIN': assert name.match(ind), ind
    elif typ == 'Intel::ADDR': ipaddress.ip_address(ind)
    elif typ == 'Intel::SUBNET': ipaddress.ip_network(ind)
    else: raise AssertionError(f"zeek line {ln}: type {typ}")
    assert src.startswith('minetrace:') and desc and desc not in ('-', '(empty)')
print(f"suricata: {rules} rules; zeek: {len(z) - 2} rows")
PY
}
check_files ""

# Intel too: the built-in lists and the CoinBlocker lists of the corpus.
I=${MT_CORPUS}/intel
rc=0
"$BIN" export --db "$db" --format rpz --zone rpz.corpus.test --intel "$I/coinblocker_list.txt" \
    --intel "$I/coinblocker_MiningServerIPList.txt" -o "$tmp/all.rpz" 2>"$tmp/all.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: export with intel exited $rc"; cat "$tmp/all.err"; exit 1; }
named-checkzone -q rpz.corpus.test "$tmp/all.rpz" || { echo "FAIL: named-checkzone refused all.rpz"; exit 1; }
n=$(grep -c ' CNAME \.$' "$tmp/all.rpz")
[ "$n" -gt 10000 ] || { echo "FAIL: only $n RPZ records with the CoinBlocker lists"; exit 1; }

# Nothing in range: exit 0, and the files stay valid.
rc=0
"$BIN" export --db "$db" --only findings --from 2030 --format rpz --zone rpz.corpus.test -o "$tmp/none.rpz" \
    2>/dev/null || rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: an empty export exited $rc"; exit 1; }
named-checkzone -q rpz.corpus.test "$tmp/none.rpz" || { echo "FAIL: the empty zone does not load"; exit 1; }
rc=0
"$BIN" export --format hosts --only findings 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: export without --db exited $rc"; exit 1; }

# A hostile pool name from the wire (SNI, Host, Stratum URL), in a finding.
hostile() { # pool (flow ids differ: findings of one flow and time are one finding)
    python3 -c 'import json,sys,zlib; print(json.dumps({"timestamp":"2018-03-01T10:00:00.000000+0000",
"flow_id":zlib.crc32(sys.argv[1].encode()),
"src_ip":"10.9.9.9","src_port":5000,"dest_ip":"192.0.2.1","dest_port":443,"proto":"TCP","event_type":"mining",
"mining":{"kind":"tls","protocol":"tls","pool":sys.argv[1],"wallet":"","worker":"","agent":"","algo":"",
"family":"coin-miner","confidence":90,"evidence":"x","source":"pcap"}}))' "$1"
}
{
    hostile 'evil.test"; sid:1; rev:1;) alert ip any any -> any any (msg:"pwned'
    hostile $'evil2.test\n@ IN NS pwned.test.'
    hostile $'evil3.test\tIntel::ADDR\t10.0.0.1'
    hostile 'evil4.test CNAME pwned.test.'
    hostile "$(printf 'a%.0s' {1..70}).evil5.test"
} >"$tmp/hostile.jsonl"
cp "$db" "$tmp/h.db"
"$BIN" ingest --no-progress --db "$tmp/h.db" "$tmp/hostile.jsonl" >/dev/null 2>&1 || true
[ "$(sqlite3 "$tmp/h.db" "SELECT count(*) FROM findings WHERE pool LIKE '%evil%'")" -eq 5 ] ||
    { echo "FAIL: the hostile findings were not stored"; exit 1; }
export_all "$tmp/h.db" ".h" --only findings
for f in suricata zeek-intel rpz hosts csv; do
    if grep -q 'pwned\|evil' "$tmp/out.h.$f"; then echo "FAIL: a hostile name reached $f"; grep 'pwned\|evil' "$tmp/out.h.$f"; exit 1; fi
    grep -q "5 values left out" "$tmp/err.h.$f" || { echo "FAIL: $f does not count the refused names"; cat "$tmp/err.h.$f"; exit 1; }
    # the hostile finding's address (192.0.2.1, kind tls) is still a pool address
done
grep -q "^192.0.2.1,addr,findings,5," "$tmp/out.h.csv" || { echo "FAIL: the hostile findings' address is missing"; exit 1; }
check_files ".h"
echo "OK: export of ${#caps[@]} mining captures: $(grep -c '^0.0.0.0 ' "$tmp/out.hosts") pool names, $(grep -c ',addr,' "$tmp/out.csv") addresses, $(grep -c ',port,' "$tmp/out.csv") ports; $n RPZ records with the CoinBlocker lists"
