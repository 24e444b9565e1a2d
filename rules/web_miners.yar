/* minetrace: signatures of browser miners in HTML and JavaScript.
 *
 * Written from the documented APIs (docs/WEB.md "Script signatures"); no
 * miner code was copied. The scanner reads these metadata:
 *   provider    the miner service or family ("unknown" for generic shapes)
 *   kind        api | config | captcha | websocket | pool | wordpress | ducktype
 *   confidence  0-100 when a site key was extracted (or none is expected)
 *   desc        the words after the matched text in the evidence
 *   key         shape of the key to extract after a $k* string: alnum32,
 *               hex32, hex44, hex64, wmp, alnum24, wallet, token, pathseg;
 *               absent: the rule carries no key
 *   key_arg     which argument of the call after $k* holds the key (default 1)
 *   key_after   the key is the value of this attribute/property near $k*
 *   prefilter   text (|-separated; "re:" starts a Hyperscan regex) one of
 *               which must occur for the rule to run; prefilter_nocase the
 *               same in any case; without either the rule's strings serve if
 *               all are plain text, else the rule runs on every text
 * A rule whose key shape is given but no key is found reports 10 less.
 */

rule coinhive_api
{
    meta:
        provider = "coinhive" kind = "api" confidence = 90 desc = "call" key = "alnum32"
        prefilter = "CoinHive"
    strings:
        $k1 = /CoinHive\s*\.\s*(Anonymous|User|Token)\s*\(/
    condition:
        $k1
}

rule coinhive_config
{
    meta:
        provider = "coinhive" kind = "config" confidence = 88 desc = "Coinhive library internals"
    strings:
        $a = "CoinHive.CONFIG"
        $b = "CRYPTONIGHT_WORKER_BLOB"
        $c = "CryptonightWASMWrapper"
        $d = "WEBSOCKET_SHARDS"
        $e = "_totalHashesFromDeadThreads"
        $f = "new BroadcastChannel(\"coinhive\")"
        $g = "FORCE_EXCLUSIVE_TAB"
    condition:
        any of them
}

rule coinhive_authedmine
{
    meta:
        provider = "authedmine" kind = "config" confidence = 88 desc = "AuthedMine opt-in miner"
        prefilter_nocase = "authedmine"
    strings:
        $a = "Opt-In Miner - AuthedMine.com"
        $b = "authedmine.com/lib/" nocase
        $c = /wss:\/\/ws[0-9]{3}\.authedmine\.com\/proxy/
    condition:
        any of them
}

rule coinhive_script_url
{
    meta:
        provider = "coinhive" kind = "api" confidence = 80 desc = "Coinhive library URL"
    strings:
        $a = "coinhive.com/lib/" nocase
        $b = "coin-hive.com/lib/" nocase
        $c = "cnhv.co/" nocase
        $d = "/coinhive.min.js" nocase
    condition:
        any of them
}

rule coinhive_captcha
{
    meta:
        provider = "coinhive" kind = "captcha" confidence = 90 desc = "Coinhive captcha" key = "alnum32"
        key_after = "data-key"
    strings:
        $k1 = "coinhive-captcha" nocase
    condition:
        $k1
}

rule coinhive_websocket
{
    meta:
        provider = "coinhive" kind = "websocket" confidence = 90 desc = "Coinhive pool proxy"
        prefilter_nocase = "hive.com/proxy"
    strings:
        $a = /wss:\/\/ws[0-9]{3}\.coin-?hive\.com\/proxy/
    condition:
        $a
}

rule coinhive_auth_frame
{
    meta:
        provider = "coinhive" kind = "websocket" confidence = 85 desc = "Coinhive auth frame" key = "alnum32"
        prefilter = "site_key"
    strings:
        $k1 = /"type"\s*:\s*"auth"\s*,\s*"params"\s*:\s*\{\s*"site_key"\s*:/
    condition:
        $k1
}

rule cryptoloot_api
{
    meta:
        provider = "cryptoloot" kind = "api" confidence = 90 desc = "call" key = "hex44"
        prefilter = "CRLT|CryptoLoot"
    strings:
        $k1 = /\bCRLT\s*\.\s*(Anonymous|User|Token)\s*\(/
        $k2 = /CryptoLoot\s*\.\s*(Anonymous|User|Token)\s*\(/
    condition:
        any of them
}

rule cryptoloot_hosts
{
    meta:
        provider = "cryptoloot" kind = "websocket" confidence = 85 desc = "CryptoLoot host"
    strings:
        $a = "crypto-loot.com" nocase
        $b = "cryptaloot.pro" nocase
        $c = "webmine.pro/lib/" nocase
        $d = "verifier.live/lib/" nocase
        $e = "directprimal.com" nocase
        $f = "reauthenticator.com" nocase
        $g = "/lib/crlt.js" nocase
        $h = "/lib/crypta.js" nocase
        $i = "justdoit2.js" nocase
    condition:
        any of them
}

rule coinimp_api
{
    meta:
        provider = "coinimp" kind = "api" confidence = 90 desc = "call" key = "hex64"
        need_key = true
        prefilter = "re:(Client|CoinImp) *[.] *(Anonymous|User) *[(]"
    strings:
        $k1 = /\bClient\s*\.\s*(Anonymous|User)\s*\(/
        $k2 = /CoinImp\s*\.\s*(Anonymous|User)\s*\(/
    condition:
        any of them
}

rule coinimp_hosts
{
    meta:
        provider = "coinimp" kind = "api" confidence = 80 desc = "CoinImp script host"
        prefilter_nocase = "hostingcloud.|coinimp.com|freecontent."
    strings:
        $a = "hostingcloud.racing" nocase
        $b = "hostingcloud.science" nocase
        $c = "hostingcloud.loan" nocase
        $d = "coinimp.com/scripts/" nocase
        $e = /freecontent\.(bid|date|faith|loan|party|racing|science|stream|trade|win)\//
    condition:
        any of them
}

rule jsecoin
{
    meta:
        provider = "jsecoin" kind = "api" confidence = 88 desc = "JSECoin loader" key = "pathseg"
    strings:
        $k1 = "load.jsecoin.com/load/" nocase
    condition:
        $k1
}

rule jsecoin_internals
{
    meta:
        provider = "jsecoin" kind = "config" confidence = 80 desc = "JSECoin miner internals"
    strings:
        $a = "hashnonce"
        $b = "blockprehash"
        $c = "jsetrack"
        $d = "privacytranslations"
    condition:
        2 of them
}

rule webminepool_api
{
    meta:
        provider = "webminepool" kind = "api" confidence = 90 desc = "call" key = "wmp"
        prefilter = "WMP"
    strings:
        $k1 = /\bWMP\s*\.\s*(Anonymous|User)\s*\(/
        $a = "WMP.CONFIG"
        $b = "webminepool.com" nocase
    condition:
        any of them
}

rule webminerpool_api
{
    meta:
        provider = "webminerpool" kind = "api" confidence = 88 desc = "call" key = "wallet" key_arg = 2
        prefilter = "startMining"
    strings:
        $k1 = /\bstartMining\s*\(/
        $a = "throttleMiner"
        $b = "receiveStack"
        $c = "sendStack"
        $d = "totalhashes"
    condition:
        $k1 and 1 of ($a, $b, $c, $d)
}

rule webminerpool_frames
{
    meta:
        provider = "webminerpool" kind = "websocket" confidence = 88 desc = "webminerpool handshake" key = "wallet"
        key_after = "login"
        prefilter = "re:identifier['\"]? *: *['\"](handshake|solved|hashsolved)"
    strings:
        $k1 = /"identifier"\s*:\s*"handshake"/
        $k2 = /identifier\s*:\s*["']handshake["']/
        $c = /"identifier"\s*:\s*"(solved|hashsolved)"/
    condition:
        any of them
}

rule webminerpool_script
{
    meta:
        provider = "webminerpool" kind = "api" confidence = 75 desc = "webminerpool script name"
        prefilter_nocase = "webmr"
    strings:
        $a = /\/webmr[0-9]?\.js/
    condition:
        $a
}

rule deepminer_api
{
    meta:
        provider = "deepminer" kind = "api" confidence = 90 desc = "call" key = "token"
        prefilter = "deepMiner"
    strings:
        $k1 = /deepMiner\s*\.\s*(Anonymous|Init|User)\s*\(/
        $a = "deepMiner.CONFIG"
        $b = "BroadcastChannel(\"deepMiner\")"
        $c = "deepMiner.min.js"
    condition:
        any of them
}

rule cryptonoter_api
{
    meta:
        provider = "cryptonoter" kind = "api" confidence = 90 desc = "call" key = "token"
        prefilter = "CryptoNoter"
    strings:
        $k1 = /CryptoNoter\s*\.\s*(Anonymous|User|Token)\s*\(/
        $a = "CryptoNoter.CONFIG"
    condition:
        any of them
}

rule minero_api
{
    meta:
        provider = "minero" kind = "api" confidence = 90 desc = "call" key = "hex32"
        prefilter = "Minero"
        prefilter_nocase = "minero.cc"
    strings:
        $k1 = /\bMinero\s*\.\s*(Anonymous|User)\s*\(/
        $a = "minero.cc/lib/" nocase
    condition:
        any of them
}

rule minero_hidden
{
    meta:
        provider = "minero" kind = "captcha" confidence = 90 desc = "Minero hidden miner div" key = "hex32"
        key_after = "data-key"
    strings:
        $k1 = "minero-hidden" nocase
    condition:
        $k1
}

rule ppoi_api
{
    meta:
        provider = "ppoi" kind = "api" confidence = 90 desc = "call" key = "alnum24"
        prefilter = "ProjectPoi"
        prefilter_nocase = "ppoi.org"
    strings:
        $k1 = /ProjectPoi\s*\.\s*(Anonymous|User)\s*\(/
        $a = "ppoi.org/lib/" nocase
    condition:
        any of them
}

rule other_providers
{
    meta:
        provider = "unknown" kind = "api" confidence = 80 desc = "browser miner service"
        prefilter_nocase = "coin-have.com|minescripts.info|monerise|crypto-webminer.com|PerfektStart|EverythingIsBinary|NFMiner|CoinNebula|1q2w3.website|bmst.pw|ecart.html"
    strings:
        $a = "coin-have.com/c/" nocase
        $b = "minescripts.info" nocase
        $c = "monerise_payment_address"
        $d = "apin.monerise.com" nocase
        $e = "crypto-webminer.com" nocase
        $f = "PerfektStart"
        $g = "EverythingIsBinary"
        $h = /\bNFMiner\s*\./
        $i = "CoinNebula"
        $j = "1q2w3.website/proxy" nocase
        $l = "bmst.pw" nocase
        $m = "ecart.html?bdata=" nocase
    condition:
        any of them
}

rule wordpress_miner
{
    meta:
        provider = "unknown" kind = "wordpress" confidence = 85 desc = "WordPress miner plugin options" key = "token"
        key_after = "site_key"
        prefilter = "wp_js_options|smmchMineOptions"
        prefilter_nocase = "wp-monero-miner"
    strings:
        $k1 = /wp_js_options\s*=\s*\{/
        $k2 = /smmchMineOptions\s*=\s*\{/
        $a = "wp-monero-miner" nocase
        $b = "wp_js_options"
    condition:
        ($k1 and $b) or $k2 or $a
}

rule stratum_ws_proxy
{
    meta:
        provider = "unknown" kind = "websocket" confidence = 70 desc = "Stratum-over-WebSocket endpoint"
        prefilter_nocase = "ws://|wss://"
    strings:
        $a = /wss?:\/\/[A-Za-z0-9.\-]{1,80}(:[0-9]{2,5})?\/proxy\b/
        $b = /wss?:\/\/[^'"\s]{1,120}[?&]pool=/
        $c = /wss?:\/\/[A-Za-z0-9.\-]{1,80}:(3333|4444|5555|7777|14444|45560)\//
        $d = /[?&]proxy=wss?:\/\//
    condition:
        any of them
}

rule pool_names
{
    meta:
        provider = "unknown" kind = "pool" confidence = 75 desc = "mining pool in a string"
        prefilter_nocase = "supportxmr|moneroocean|minexmr|xmrpool|minergate|nanopool|monerohash|hashvault|herominers|2miners|c3pool|dwarfpool|crypto-pool.fr|f2pool|stratum+"
    strings:
        $a = /["'`](stratum\+(tcp|ssl):\/\/)?[a-z0-9.\-]{0,40}(supportxmr\.com|moneroocean\.stream|minexmr\.com|xmrpool\.eu|pool\.minergate\.com|nanopool\.org|monerohash\.com|hashvault\.pro|herominers\.com|2miners\.com|c3pool\.com|dwarfpool\.com|monero\.crypto-pool\.fr|xmr\.f2pool\.com)(:[0-9]{2,5})?["'`\/]/
        $b = /["'`]stratum\+(tcp|ssl):\/\/[A-Za-z0-9.\-]{1,80}:[0-9]{2,5}["'`]/
    condition:
        any of them
}

rule ducktype_coinhive_like
{
    meta:
        provider = "unknown" kind = "ducktype" confidence = 75 desc = "object with isRunning(), stop() and a site-key field (MinerBlock's shape)"
        prefilter = "isRunning"
    strings:
        $run = /isRunning\s*(=\s*function|:\s*function|\(\)\s*\{)/
        $stop = /\bstop\s*(=\s*function|:\s*function|\(\)\s*\{)/
        /* MinerBlock also accepts "_address" at run time, where it is
         * checked on the same object; read statically it is any server
         * or account object's field, so it is left out. */
        $key = /\b_(siteKey|sitek|newSiteKey)\b/
    condition:
        $run and $stop and for any i in (1..#run) : (for any j in (1..#key) : (@key[j] > @run[i] - 8192 and @key[j] < @run[i] + 8192))
}

rule ducktype_mineralt
{
    meta:
        provider = "mineralt" kind = "ducktype" confidence = 75 desc = "object with db(), getlf(), hps() and stop() (Mineralt's shape)"
        prefilter = "getlf"
    strings:
        $a = /\bgetlf\s*(=\s*function|:\s*function|\(\)\s*\{)/
        $b = /\bhps\s*(=\s*function|:\s*function|\(\)\s*\{)/
        $c = /\bdb\s*(=\s*function|:\s*function|\(\)\s*\{)/
        $d = /\bstop\s*(=\s*function|:\s*function|\(\)\s*\{)/
    condition:
        all of them
}

rule ducktype_webminerpool
{
    meta:
        provider = "webminerpool" kind = "ducktype" confidence = 75 desc = "addWorker(), startMining(), stopMining() and totalhashes (webminerpool's shape)"
        prefilter = "stopMining"
    strings:
        $a = /\baddWorker\s*(=\s*function|:\s*function|\()/
        $b = /\bstartMining\s*(=\s*function|:\s*function|\()/
        $c = /\bstopMining\s*(=\s*function|:\s*function|\()/
        $d = /\btotalhashes\s*[=:]/
    condition:
        all of them
}

/* Strings of an unpacked obfuscator.io string array, one per line (the
 * scanner joins them so): the API names appear as separate strings, never as
 * a call, and the key is a line of its own. */

rule strarray_coinhive
{
    meta:
        provider = "coinhive" kind = "api" confidence = 85 desc = "API names in a string array" key = "alnum32"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nCoinHive\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_cryptoloot
{
    meta:
        provider = "cryptoloot" kind = "api" confidence = 85 desc = "API names in a string array" key = "hex44"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nCRLT\n"
        $o1 = "\nCryptoLoot\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_coinimp
{
    meta:
        provider = "coinimp" kind = "api" confidence = 85 desc = "API names in a string array" key = "hex64"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nCoinImp\n"
        $o1 = "\nClient\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_deepminer
{
    meta:
        provider = "deepminer" kind = "api" confidence = 85 desc = "API names in a string array" key = "token"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\ndeepMiner\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_cryptonoter
{
    meta:
        provider = "cryptonoter" kind = "api" confidence = 85 desc = "API names in a string array" key = "token"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nCryptoNoter\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_webminepool
{
    meta:
        provider = "webminepool" kind = "api" confidence = 85 desc = "API names in a string array" key = "wmp"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nWMP\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_minero
{
    meta:
        provider = "minero" kind = "api" confidence = 85 desc = "API names in a string array" key = "hex32"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nMinero\n"
    condition:
        $anon and any of ($o*)
}

rule strarray_ppoi
{
    meta:
        provider = "ppoi" kind = "api" confidence = 85 desc = "API names in a string array" key = "alnum24"
        key_line = true
    strings:
        $anon = "\nAnonymous\n"
        $o0 = "\nProjectPoi\n"
    condition:
        $anon and any of ($o*)
}
