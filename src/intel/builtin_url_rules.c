/* Builtin URL path rules, in Adblock form (the form of the NoCoin list's
 * "General blocking" section, whose facts they restate; Adblock reads a
 * rule that starts and ends in '/' as a regex, so such rules end in '*').
 * Two lists, loaded like two --intel files with their own weight and
 * category:
 *   script rules, browser-miner, weight 75: file names that are distinctive
 *     of miner scripts, Wasm modules and pool proxies; a match alone is a
 *     finding. The last four are not in NoCoin's path section but named in
 *     its domain rules and in ET sid 2024721.
 *   hint rules, crypto, weight 30: generic names ("/miner.js",
 *     "/hash.wasm") that only count alongside another indicator.
 * Order matters only between rules of equal strength: the earlier wins. */
#include "intel/intel_internal.h"

const char *const mt_intel_builtin_url_scripts[] = {
    "-coin-hive.js", "-crypto-miner/", "-monero-miner-", "-monero-miner.", "-monero-miner/",
    "/authedmine.", "/authedminer.js", "/bitcoin-plus-miner/*", "/browsermine.js", "/c-hive.js",
    "/cloudcoins.js", "/cloudcoins.min.js", "/cn.wasm", "/coin-hive-proxy-", "/coinblind.js",
    "/coinblind_beta.", "/coingofile.", "/coinhive-proxy-", "/coinhive.min.js", "/coinlab.js",
    "/crn.wasm", "/crypta.js", "/crypto-webminer.", "/cryptocpu.js", "/cryptonight-worker.",
    "/cryptonight.wasm", "/cryptonoter.", "/deepminer.js", "/deepminer.min.js", "/jsecoin.*/?",
    "/lib/crlt.js", "/mine/bitcoincore/*", "/miner_proxy", "/miner-ui.js", "/miner?key=",
    "/minera.js", "/minero-proxy-", "/minescripts.js", "/projectpoi.min.js", "/script_cry.js",
    "/web_miner/*", "/webcoin.js", "/webcoin.min.js", "/webmr.js", "/webxmr.js", "/xminer.js",
    "/xminer.min.js", "/xmr-monero.js", "?*.spacepools.", ".spacepools.*:", "=ws://*?pool=",
    "=ws://*?pools=", "=wss://*?pool=", "=wss://*?pools=", "?proxy=*?pool=", "?proxy=*?pools=",
    "?proxy=ws://", "?proxy=wss://", "/coinhive.js", "/coin-hive.js", "/cryptoloot.",
    "/crypto-loot.",
};
const size_t mt_intel_builtin_url_scripts_n =
    sizeof mt_intel_builtin_url_scripts / sizeof mt_intel_builtin_url_scripts[0];

const char *const mt_intel_builtin_url_hints[] = {
    "/bitcoincore/?ref=", "/bootstrap.wasm", "/c.wasm", "/compact_miner?", "/dprocessor.js",
    "/hash.wasm", "/helper.wasm", "/inject.js?key=", "/lhnhelpouttab-current.min.js",
    "/media/miner.", "/miner.*/crypto-", "/miner.*/loader.", "/miner.full.js", "/miner.js",
    "/miner.min.js", "/nano.wasm", "/noblock.js", "/obfus.min.js", "/poolstatus?",
    "/safelinkconverter.js", "/wproxy", "/xmr.js", "/xmr.min.js", ".aspx?poolid=", ".cfm?poolid=",
};
const size_t mt_intel_builtin_url_hints_n =
    sizeof mt_intel_builtin_url_hints / sizeof mt_intel_builtin_url_hints[0];
