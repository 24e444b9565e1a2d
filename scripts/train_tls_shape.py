#!/usr/bin/env python3
"""Train and evaluate the TLS-only miner shape model (src/detect/tls_shape.c).

Logistic regression over first-minute features of a TLS flow without SNI
and ALPN, computed from the same counters the packet path keeps
(src/capture/flowshape.h, ported below line for line) plus the flow's first
MT_FLOW_NSIZES payload sizes. No hello fingerprint: the model is the
"shape alone" part of the rule.

Data: the CESNET-MINER22 sample (ipfixprobe PPI, first 30 packets; Miner /
Other), split by client (inferred from ports and times, see cesnet_hosts:
a client's id % 10 < 7 trains, else it is held out), and the labelled
recordings in tests/data/tls_miner/ (evaluation per host; their benign
flows also bound the threshold from below, see main).

  python3 scripts/train_tls_shape.py [CORPUS_DIR]

prints the weights as C constants for tls_shape.c and the precision/recall
on the training split, the held-out split and the recordings. Python 3
standard library only.
"""
import collections
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REC = os.path.join(HERE, "..", "tests", "data", "tls_miner")
WINDOW = 60.0
SILENCE = 1.0
ANSWER = 1.0
POLL = 0.1
NSIZES = 8


class Shape:
    """The counters of mt_flowshape_packet (capture/flowshape.h)."""

    def __init__(self):
        self.pending = self.login_pending = self.ping_pending = self.push_pending = False
        self.login = False
        self.pushes = self.pairs = self.client_led = self.pings = self.bulk = self.answered = 0
        self.push_min = self.push_max = 0

    def packet(self, d, l, since, gap, has_prev, client_payloads):
        if since > WINDOW:
            return
        pending, login, ping = self.pending, self.login_pending, self.ping_pending
        push = self.push_pending
        self.pending = self.login_pending = self.ping_pending = self.push_pending = False
        silence = has_prev and gap >= SILENCE
        if d == 0 and l >= 400 and client_payloads >= 2 and not self.login:
            self.login_pending = True
        if d == 1:
            if login and gap <= ANSWER and 200 <= l <= 1400:
                self.login = True
            if l > 1400:
                self.bulk = min(self.bulk + 1, 65535)
            short_answer = gap <= ANSWER and 40 <= l <= 160
            if pending or ping:
                if not short_answer:
                    self.client_led = min(self.client_led + 1, 255)
                elif pending:
                    self.pairs = min(self.pairs + 1, 255)
                else:
                    self.pings = min(self.pings + 1, 255)
            elif silence and 150 <= l <= 1400 and self.pushes < 255:
                self.pushes += 1
                self.push_pending = True
                if not self.push_min or l < self.push_min:
                    self.push_min = l
                self.push_max = max(self.push_max, l)
            return
        if push and gap <= POLL and self.answered < 127:
            self.answered += 1
        if silence:
            if 150 <= l <= 400:
                self.pending = True
            elif 90 <= l < 150:
                self.ping_pending = True
            else:
                self.client_led = min(self.client_led + 1, 255)


FEATURES = [
    "pushes", "steady", "pairs", "pairs3", "login", "held30", "client_led", "client_led3",
    "pings3", "client_most", "bulk3", "first8_client_share", "answered", "answered_half",
]


def features(seq, end=None):
    """seq: (t since the flow's first packet, dir 0 c2s / 1 s2c, payload bytes);
    end: time of the flow's last packet of any kind (default: the last in seq)."""
    sh = Shape()
    last = None
    cli = 0
    first = []
    for t, d, l in seq:
        if d == 0:
            cli += 1
        t = int(t * 1e6) / 1e6  # whole microseconds, as mt_time_us in the C code
        sh.packet(d, l, t, round(t - last, 6) if last is not None else 0, last is not None, cli)
        last = t
        if len(first) < NSIZES:
            first.append(l if d == 0 else -l)
    span = min(end if end is not None else (last or 0.0), WINDOW) if seq else 0.0
    steady = sh.pushes >= 2 and sh.push_max - sh.push_min <= 128
    ncli8 = sum(1 for x in first if x > 0)
    x = [
        min(sh.pushes, 4) / 4.0,
        1.0 if steady else 0.0,
        min(sh.pairs, 4) / 4.0,
        1.0 if sh.pairs >= 3 else 0.0,
        1.0 if sh.login else 0.0,
        1.0 if span >= 30 and sh.bulk == 0 else 0.0,
        min(sh.client_led, 4) / 4.0,
        1.0 if sh.client_led >= 3 else 0.0,
        1.0 if sh.pings >= 3 else 0.0,
        1.0 if sh.client_led > sh.pushes + sh.pairs else 0.0,
        1.0 if sh.bulk >= 3 else 0.0,
        ncli8 / float(len(first)) if first else 0.0,
        min(sh.answered, 4) / 4.0,
        1.0 if sh.pushes and 2 * sh.answered >= sh.pushes else 0.0,
    ]
    return x, sh, span


def points(sh, span):
    """The rule's integer points without the fingerprint (tls_shape.c)."""
    steady = sh.pushes >= 2 and sh.push_max - sh.push_min <= 128
    p = 30 if steady else 15 if sh.pushes >= 1 else 0
    p += (20 if sh.pairs >= 1 else 0) + (10 if sh.pairs >= 3 else 0)
    p += 10 if span >= 30 and sh.bulk == 0 else 0
    p += 10 if sh.login else 0
    p -= 30 if sh.client_led >= 3 else 0
    p -= 30 if sh.pings >= 3 else 0
    p -= 20 if sh.client_led > sh.pushes + sh.pairs else 0
    p -= 60 if sh.bulk >= 3 else 0
    return max(0, min(100, p))


def cesnet(corpus):
    """(features, label) per row of the PPI file, in file order."""
    path = os.path.join(corpus, "logs", "flows", "cesnet-miner22_sampled", "miner22-ppi-sampled.csv")
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            c = [v.strip() for v in line.split(",")]
            if len(c) < 91:
                continue
            v = [float(a) for a in c[:90]]
            seq, t = [], 0.0
            for i in range(30):
                t += v[i] / 1000.0
                if v[30 + i] == 0 or v[60 + i] <= 0:
                    continue
                seq.append((t, 0 if v[30 + i] > 0 else 1, int(v[60 + i])))
            x, sh, span = features(seq)
            rows.append((x, 1 if c[90] == "Miner" else 0, points(sh, span)))
    return rows


# Clients in the sample. It carries no address and no anonymised id (the
# ipfixprobe export kept ports, times and flags only), so a client is
# inferred: records of one connection share (server port, client port)
# (ipfixprobe splits a connection at its 300 s active and its inactive
# timeout), and one client's successive connections to a server port take
# nearly consecutive source ports (the sample's miner connections: 673
# pairs one port apart within 10 minutes, against 1 among the Other
# flows). Linked: same server port, client ports at most HOST_PORTS apart,
# starts at most HOST_SECONDS apart.
HOST_PORTS = 8
HOST_SECONDS = 600


def cesnet_meta(corpus):
    """Per row of miner22-sampled.csv (same rows, same order as the PPI
    file): start and end (s), server and client port, SYN seen."""
    import csv
    import datetime
    path = os.path.join(corpus, "logs", "flows", "cesnet-miner22_sampled", "miner22-sampled.csv")
    out = []
    with open(path) as f:
        r = csv.reader(f)
        next(r)
        for c in r:
            ts = [datetime.datetime.fromisoformat(x).replace(tzinfo=datetime.timezone.utc).timestamp()
                  for x in c[2:4]]
            out.append({"t0": ts[0], "t1": ts[1], "dport": int(c[6]), "sport": int(c[7]),
                        "syn": int(c[9]) & 2 != 0, "miner": c[11] == "Miner"})
    return out


def cesnet_hosts(meta):
    """Client id per row: the smallest row number of its linked group."""
    par = list(range(len(meta)))

    def root(a):
        while par[a] != a:
            par[a] = par[par[a]]
            a = par[a]
        return a

    def link(a, b):
        a, b = root(a), root(b)
        if a != b:
            par[max(a, b)] = min(a, b)

    order = sorted(range(len(meta)), key=lambda i: (meta[i]["dport"], meta[i]["sport"], i))
    for j, a in enumerate(order):
        for b in order[j + 1:]:
            ma, mb = meta[a], meta[b]
            if mb["dport"] != ma["dport"] or mb["sport"] - ma["sport"] > HOST_PORTS:
                break
            if mb["sport"] == ma["sport"] or abs(mb["t0"] - ma["t0"]) <= HOST_SECONDS:
                link(a, b)
    return [root(i) for i in range(len(meta))]


def held_out(host):
    """The split, by client: a client (all its rows) is held out when its id
    (smallest row number) % 10 >= 7."""
    return host % 10 >= 7


def pcap_flows(path):
    """TCP flows of a classic pcap (Ethernet, IPv4), from their SYN."""
    with open(path, "rb") as f:
        d = f.read()
    e = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = d[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    off, flows = 24, collections.OrderedDict()
    while off + 16 <= len(d):
        sec, frac, incl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        p = d[off + 16:off + 16 + incl]
        off += 16 + incl
        t = sec + frac / (1e9 if nano else 1e6)
        if len(p) < 34 or p[12:14] != b"\x08\x00":
            continue
        p = p[14:]
        if p[0] >> 4 != 4 or p[9] != 6:
            continue
        ihl, tot = (p[0] & 15) * 4, struct.unpack(">H", p[2:4])[0]
        tcp = p[ihl:tot]
        sp, dp = struct.unpack(">HH", tcp[:4])
        pay = tcp[(tcp[12] >> 4) * 4:]
        wire = tot - ihl - (tcp[12] >> 4) * 4  # snaplen 600 cuts the payload, not its size
        k = (p[12:16], sp, p[16:20], dp)
        rk = (k[2], dp, k[0], sp)
        if k in flows:
            fl, dr = flows[k], 0
        elif rk in flows:
            fl, dr = flows[rk], 1
        elif tcp[13] & 0x12 == 0x02:
            fl, dr = flows.setdefault(k, {"t0": t, "pk": [], "hello": None, "cli": k[0]}), 0
        else:
            continue
        fl["end"] = t - fl["t0"]
        if wire > 0:
            if dr == 0 and fl["hello"] is None:
                fl["hello"] = pay
            fl["pk"].append((t - fl["t0"], dr, wire))
    return flows


def gated(hello):
    """A ClientHello with neither SNI (0) nor ALPN (16): the rule's gate."""
    try:
        if hello[0] != 0x16 or hello[5] != 1:
            return False
        o = 43
        o += 1 + hello[o]
        o += 2 + struct.unpack(">H", hello[o:o + 2])[0]
        o += 1 + hello[o]
        end = o + 2 + struct.unpack(">H", hello[o:o + 2])[0]
        o += 2
        while o + 4 <= end:
            t, l = struct.unpack(">HH", hello[o:o + 4])
            if t in (0, 16):
                return False
            o += 4 + l
        return True
    except (IndexError, struct.error):
        return False


def recordings():
    out = []
    for line in open(os.path.join(REC, "LABELS.tsv")):
        c = line.rstrip("\n").split("\t")
        if not line.strip() or line.startswith("#") or len(c) < 3:
            continue
        flows = [fl for fl in pcap_flows(os.path.join(REC, c[0])).values()
                 if fl["hello"] and gated(fl["hello"])]
        out.append((c[0], 1 if c[1] == "miner" else 0, [features(fl["pk"], fl["end"])[0] for fl in flows]))
    return out


def train(rows, epochs=400, rate=0.5, l2=1e-3):
    """Batch gradient descent on the log loss, classes weighted equally."""
    n = len(FEATURES)
    w, b = [0.0] * n, 0.0
    pos = sum(r[1] for r in rows)
    cw = {1: len(rows) / (2.0 * pos), 0: len(rows) / (2.0 * (len(rows) - pos))}
    for _ in range(epochs):
        gw, gb = [0.0] * n, 0.0
        for x, y in ((r[0], r[1]) for r in rows):
            z = b + sum(wi * xi for wi, xi in zip(w, x))
            pr = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (pr - y) * cw[y]
            gb += g
            for i in range(n):
                gw[i] += g * x[i]
        b -= rate * gb / len(rows)
        for i in range(n):
            w[i] -= rate * (gw[i] / len(rows) + l2 * w[i])
    return w, b


def logit(w, b, x):
    return b + sum(wi * xi for wi, xi in zip(w, x))


def confusion(pairs):
    """pairs: (hit, miner) -> tp, fp, fn, tn, precision, recall."""
    tp = sum(1 for h, y in pairs if h and y)
    fp = sum(1 for h, y in pairs if h and not y)
    fn = sum(1 for h, y in pairs if not h and y)
    tn = sum(1 for h, y in pairs if not h and not y)
    return tp, fp, fn, tn, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 0.0


def per_host(idx, hit, rows, host):
    """A client is found when any of its rows in idx is flagged."""
    got, lab = {}, {}
    for i in idx:
        got[host[i]] = got.get(host[i], False) or hit[i]
        lab[host[i]] = rows[i][1]
    return confusion([(got[h], lab[h]) for h in got])


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "corpus")
    rows = cesnet(corpus)
    meta = cesnet_meta(corpus)
    if len(meta) != len(rows):
        sys.exit("CESNET: %d PPI rows but %d flow rows" % (len(rows), len(meta)))
    host = cesnet_hosts(meta)
    tr = [i for i in range(len(rows)) if not held_out(host[i])]
    ho = [i for i in range(len(rows)) if held_out(host[i])]
    w, b = train([rows[i] for i in tr])
    # the C constants are these, rounded; the threshold lies just above the
    # highest logit of a benign training flow and of a benign recording (the
    # price ticker, a server-pushed feed no CESNET "Other" flow resembles,
    # sets it), so none of them reaches it
    w, b = [round(v, 4) for v in w], round(b, 4)
    recs = recordings()
    neg = max(logit(w, b, rows[i][0]) for i in tr if not rows[i][1])
    rneg = max(logit(w, b, x) for _, y, fls in recs if not y for x in fls)
    thr = math.ceil((max(neg, rneg) + 1e-3) * 1e4) / 1e4
    print("highest benign logit: CESNET training %.4f, recordings %.4f" % (neg, rneg))
    nh = lambda idx, y: len(set(host[i] for i in idx if rows[i][1] == y))
    print("CESNET rows %d (train %d, held out %d); clients: miner %d (held out %d), other %d (held out %d)"
          % (len(rows), len(tr), len(ho), nh(range(len(rows)), 1), nh(ho, 1), nh(range(len(rows)), 0), nh(ho, 0)))
    print("/* weights for src/detect/tls_shape.c (feature order as FEATURES) */")
    for name, wi in zip(FEATURES, w):
        print("    {\"%s\", %.4f}," % (name, wi))
    print("#define MODEL_BIAS %.4f\n#define MODEL_THRESHOLD %.4f /* just above the highest benign logit: CESNET training split, benign recordings */"
          % (b, thr))
    model = [logit(w, b, r[0]) >= thr for r in rows]
    pts = [r[2] >= 60 for r in rows]
    rule = [a or c for a, c in zip(model, pts)]
    syn = [i for i in range(len(rows)) if meta[i]["syn"]]
    fmt = "%-38s tp %4d fp %d fn %4d tn %4d precision %.3f recall %.3f"
    for nm, hit in (("points", pts), ("model", model), ("rule", rule)):
        for split, idx in (("train", tr), ("held-out", ho)):
            if split == "train" and nm != "model":
                continue
            starts = [i for i in idx if meta[i]["syn"]]
            print(fmt % ((nm + " " + split + " flows",) + confusion([(hit[i], rows[i][1]) for i in idx])))
            print(fmt % ((nm + " " + split + " flows with SYN",) + confusion([(hit[i], rows[i][1]) for i in starts])))
            print(fmt % ((nm + " " + split + " clients",) + per_host(idx, hit, rows, host)))
            print(fmt % ((nm + " " + split + " clients, SYN flows",) + per_host(starts, hit, rows, host)))
    tp = fp = fn = tn = 0
    for name, y, fls in recs:
        zs = [logit(w, b, x) for x in fls]
        hit = any(z >= thr for z in zs)
        print("  %-42s %s %s %s" % (name, "miner " if y else "benign", "HIT " if hit else "miss",
                                     " ".join("%.2f" % z for z in zs)))
        tp += hit and y
        fp += hit and not y
        fn += (not hit) and y
        tn += (not hit) and not y
    print("recordings per host, model alone: tp %d fp %d fn %d tn %d" % (tp, fp, fn, tn))


if __name__ == "__main__":
    main()
