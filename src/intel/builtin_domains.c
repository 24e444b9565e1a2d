/* Builtin domain indicators: minetrace's own curated default list.
 *
 * Written by hand from public facts (pool web sites and connection
 * instructions, miner documentation, vendor reports), not copied from any
 * list file. Scope: names that exist only to mine or to run a miner, so a
 * lookup is evidence by itself:
 *   - mining pools (registrable domain when the whole domain is the pool,
 *     the stratum host names when the domain is shared with other business),
 *   - browser-miner services (Coinhive and its clones, their WebSocket
 *     proxies),
 *   - command-and-control of mining malware (Lemon Duck, Smominru, MyKings,
 *     TeamTNT) as reported by vendors.
 * Never listed: generic words, CDNs, exchanges, block explorers, wallets,
 * or "pool" names of other protocols (pool.ntp.org). The DNS false-positive
 * test over nDPI's 544 captures guards this.
 *
 * Weights: 90 single-purpose pool / stratum host, 85 pool domain, 70 domain
 * that also serves a company web site (NiceHash, MinerGate, Kryptex, miner
 * software sites), 80 browser miners (most dead since 2019, still useful on
 * old captures), 90-95 malware C2. Family is left NULL for multi-coin pools;
 * the DNS detector then guesses it from the host label (xmr-, eth-, zec-). */
#include "intel/intel_internal.h"

#define POOL MT_CAT_POOL
#define WEB MT_CAT_BROWSER_MINER
#define C2 MT_CAT_MINER_C2

#define XMR "monero-miner"
#define BTC "bitcoin-miner"
#define ETH "ethereum-miner"
#define ZEC "zcash-miner"
#define LTC "litecoin-miner"
#define BRW "browser-miner"

const mt_intel_builtin_domain mt_intel_builtin_domains[] = {
    /* ---- Monero / CryptoNote pools ---- */
    {"supportxmr.com", 90, POOL, XMR},
    {"moneroocean.stream", 90, POOL, XMR},
    {"hashvault.pro", 85, POOL, XMR},
    {"minexmr.com", 90, POOL, XMR},
    {"c3pool.com", 90, POOL, XMR},
    {"c3pool.org", 90, POOL, XMR},
    {"xmrpool.eu", 90, POOL, XMR},
    {"xmrpool.net", 85, POOL, XMR},
    {"xmrpool.de", 85, POOL, XMR},
    {"monerohash.com", 90, POOL, XMR},
    {"xmr.pt", 85, POOL, XMR},
    {"skypool.org", 85, POOL, XMR},
    {"crypto-pool.fr", 85, POOL, XMR},
    {"bohemianpool.com", 85, POOL, XMR},
    {"minemonero.pro", 90, POOL, XMR},
    {"usxmrpool.com", 85, POOL, XMR},
    {"hashcity.org", 85, POOL, XMR},
    {"fairhash.org", 85, POOL, XMR},
    {"moriaxmr.com", 85, POOL, XMR},
    {"minerxmr.com", 85, POOL, XMR},
    {"xmrfast.com", 85, POOL, XMR},
    {"viaxmr.com", 85, POOL, XMR},
    {"monerpool.org", 85, POOL, XMR},
    {"poolto.be", 85, POOL, XMR},
    {"fastpool.xyz", 85, POOL, XMR},
    {"gntl.co.uk", 80, POOL, XMR},
    {"xmrvsbeast.com", 85, POOL, XMR},
    {"xmr.nanopool.org", 90, POOL, XMR},
    {"pool.minergate.com", 90, POOL, NULL},
    {"p2pool.io", 75, POOL, NULL},
    {"cryptonight.net", 80, POOL, XMR},
    {"cryptoknight.cc", 80, POOL, XMR},
    {"zeropool.io", 85, POOL, NULL},
    {"rplant.xyz", 85, POOL, NULL},
    {"minerpool.pw", 80, POOL, XMR},
    {"community-pools.mysrv.cloud", 85, POOL, NULL},
    /* XMRig's built-in donation pools (1% by default). */
    {"donate.v2.xmrig.com", 90, POOL, XMR},
    {"donate.ssl.xmrig.com", 90, POOL, XMR},
    {"donate.xmrig.com", 90, POOL, XMR},
    {"xmrig.com", 70, POOL, XMR},

    /* ---- multi-coin pools ---- */
    {"nanopool.org", 90, POOL, NULL},
    {"2miners.com", 90, POOL, NULL},
    {"f2pool.com", 90, POOL, NULL},
    {"herominers.com", 90, POOL, NULL},
    {"minergate.com", 70, POOL, NULL},
    {"suprnova.cc", 90, POOL, NULL},
    {"miningpoolhub.com", 90, POOL, NULL},
    {"unmineable.com", 90, POOL, NULL},
    {"zpool.ca", 90, POOL, NULL},
    {"zergpool.com", 90, POOL, NULL},
    {"prohashing.com", 85, POOL, NULL},
    {"aikapool.com", 85, POOL, NULL},
    {"mining-dutch.nl", 85, POOL, NULL},
    {"ahashpool.com", 85, POOL, NULL},
    {"hashcryptos.com", 85, POOL, NULL},
    {"blockmasters.co", 85, POOL, NULL},
    {"nlpool.nl", 85, POOL, NULL},
    {"mining4people.com", 85, POOL, NULL},
    {"icemining.ca", 85, POOL, NULL},
    {"coinmine.pl", 85, POOL, NULL},
    {"coinotron.com", 85, POOL, NULL},
    {"coinfoundry.org", 85, POOL, NULL},
    {"woolypooly.com", 90, POOL, NULL},
    {"k1pool.com", 90, POOL, NULL},
    {"dxpool.com", 85, POOL, NULL},
    {"dxpool.net", 85, POOL, NULL},
    {"emcd.io", 80, POOL, NULL},
    {"sigmapool.com", 85, POOL, NULL},
    {"uupool.cn", 85, POOL, NULL},
    {"666pool.cn", 85, POOL, NULL},
    {"beepool.org", 85, POOL, NULL},
    {"solopool.org", 85, POOL, NULL},
    {"baikalmine.com", 85, POOL, NULL},
    {"luckpool.net", 85, POOL, NULL},
    {"hashpool.com", 80, POOL, NULL},
    {"nicehash.com", 70, POOL, NULL},
    {"miningrigrentals.com", 70, POOL, NULL},
    {"kryptex.network", 90, POOL, NULL},
    {"kryptex.com", 70, POOL, NULL},
    {"hiveon.net", 85, POOL, NULL},
    {"hiveos.farm", 70, POOL, NULL},

    /* ---- Bitcoin / SHA-256 pools ---- */
    {"antpool.com", 90, POOL, BTC},
    {"viabtc.com", 85, POOL, NULL},
    {"slushpool.com", 90, POOL, BTC},
    {"stratum.braiins.com", 90, POOL, BTC},
    {"braiins.com", 70, POOL, BTC},
    {"bitminter.com", 90, POOL, BTC},
    {"poolin.com", 85, POOL, BTC},
    {"poolbinance.com", 90, POOL, BTC},
    {"foundryusapool.com", 90, POOL, BTC},
    {"luxor.tech", 70, POOL, BTC},
    {"ckpool.org", 90, POOL, BTC},
    {"kano.is", 85, POOL, BTC},
    {"btcguild.com", 85, POOL, BTC},
    {"huobipool.com", 85, POOL, BTC},
    {"btc.top", 85, POOL, BTC},
    {"ss.btc.com", 90, POOL, BTC},
    {"stratum.btcc.com", 90, POOL, BTC},
    {"ultimuspool.com", 85, POOL, BTC},
    {"spiderpool.com", 85, POOL, BTC},

    /* ---- Litecoin ---- */
    {"litecoinpool.org", 90, POOL, LTC},

    /* ---- Ethereum-family pools (ETH historic, ETC and successors) ---- */
    {"ethermine.org", 90, POOL, ETH},
    {"ethpool.org", 90, POOL, ETH},
    {"flexpool.io", 90, POOL, ETH},
    {"dwarfpool.com", 90, POOL, NULL},
    {"sparkpool.com", 90, POOL, ETH},
    {"ezil.me", 85, POOL, ETH},
    {"crazypool.org", 85, POOL, ETH},
    {"whalesburg.com", 85, POOL, ETH},
    {"ethashpool.com", 85, POOL, ETH},

    /* ---- Zcash and others ---- */
    {"flypool.org", 90, POOL, ZEC},
    {"grinmint.com", 85, POOL, "grin-miner"},

    /* ---- browser miners (Coinhive and clones) ---- */
    {"coinhive.com", 85, WEB, BRW},
    {"coin-hive.com", 85, WEB, BRW},
    {"authedmine.com", 85, WEB, BRW},
    {"authedmine.eu", 85, WEB, BRW},
    {"cnhv.co", 85, WEB, BRW},
    {"crypto-loot.com", 85, WEB, BRW},
    {"crypto-loot.org", 80, WEB, BRW},
    {"cryptoloot.pro", 85, WEB, BRW},
    {"cryptaloot.pro", 85, WEB, BRW},
    {"webmine.pro", 85, WEB, BRW},
    {"reauthenticator.com", 85, WEB, BRW},
    {"directprimal.com", 80, WEB, BRW},
    {"verifier.live", 80, WEB, BRW},
    {"coinimp.com", 85, WEB, BRW},
    {"coinimp.net", 85, WEB, BRW},
    {"hostingcloud.racing", 80, WEB, BRW},
    {"freecontent.date", 80, WEB, BRW},
    {"webmine.cz", 85, WEB, BRW},
    {"authedwebmine.cz", 85, WEB, BRW},
    {"jsecoin.com", 80, WEB, BRW},
    {"minero.cc", 85, WEB, BRW},
    {"coin-have.com", 85, WEB, BRW},
    {"minescripts.info", 80, WEB, BRW},
    {"cryptonoter.com", 85, WEB, BRW},
    {"monerominer.rocks", 85, WEB, BRW},
    {"ppoi.org", 85, WEB, BRW},
    {"projectpoi.com", 85, WEB, BRW},
    {"coinerra.com", 85, WEB, BRW},
    {"coinnebula.com", 85, WEB, BRW},
    {"minemytraffic.com", 80, WEB, BRW},
    {"papoto.com", 80, WEB, BRW},
    {"ad-miner.com", 80, WEB, BRW},
    {"mineralt.io", 80, WEB, BRW},
    {"webminepool.com", 85, WEB, BRW},
    {"webminerpool.com", 80, WEB, BRW},
    {"nfwebminer.com", 80, WEB, BRW},
    {"hashforcash.us", 80, WEB, BRW},
    {"coinblind.com", 80, WEB, BRW},
    {"gridcash.net", 80, WEB, BRW},
    {"minercry.pt", 80, WEB, BRW},
    {"cryptobara.com", 80, WEB, BRW},
    {"browsermine.com", 85, WEB, BRW},
    {"bmst.pw", 85, WEB, BRW},
    {"bmnr.pw", 85, WEB, BRW},
    {"monerise.com", 85, WEB, BRW},
    {"crypto-webminer.com", 85, WEB, BRW},
    {"2giga.link", 80, WEB, BRW},
    {"listat.biz", 80, WEB, BRW},
    {"lmodr.biz", 80, WEB, BRW},
    {"mataharirama.xyz", 80, WEB, BRW},
    {"reasedoper.pw", 80, WEB, BRW},
    {"baiduccdn1.com", 80, WEB, BRW},
    {"coinpirate.cf", 80, WEB, BRW},
    {"pxybomb.icu", 80, WEB, BRW},

    /* ---- mining-malware command and control (vendor reports) ---- */
    /* Lemon Duck (Talos, Sophos, Microsoft, Guardicore). */
    {"zer2.com", 95, C2, "lemonduck"},
    {"awcna.com", 95, C2, "lemonduck"},
    {"amxny.com", 95, C2, "lemonduck"},
    {"ackng.com", 95, C2, "lemonduck"},
    {"cdnimages.xyz", 90, C2, "lemonduck"},
    /* Smominru / MyKings / Hexmen (Proofpoint, Guardicore). */
    {"1226bye.pw", 90, C2, "smominru"},
    {"1226bye.xyz", 90, C2, "smominru"},
    {"1103bye.xyz", 90, C2, "smominru"},
    {"0603bye.info", 90, C2, "smominru"},
    {"pc0416.xyz", 90, C2, "smominru"},
    {"mykings.top", 90, C2, "mykings"},
    {"mys2016.info", 90, C2, "mykings"},
    {"cct119.com", 90, C2, "mykings"},
    /* TeamTNT (Cado, Trend Micro). */
    {"teamtnt.red", 95, C2, "teamtnt"},
    {"chimaera.cc", 90, C2, "teamtnt"},
};

const size_t mt_intel_builtin_domains_n =
    sizeof mt_intel_builtin_domains / sizeof mt_intel_builtin_domains[0];
