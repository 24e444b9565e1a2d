var Stats = window.Stats || {};
Stats.CONFIG = { LIB_URL: "/static/js/", WEBSOCKET_SHARDS: [["wss://s1.example-news.net/ws"]] };
function Tracker(key, opts){ this._siteKey = key; this._threads = []; }
Tracker.prototype.isRunning = function(){ return this._threads.length > 0; };
Tracker.prototype.stop = function(){ this._threads.length = 0; };
Stats.Tracker = Tracker;
new Stats.Tracker('OX9YIMtCFIPzgNZpBdfdYfkM51ZFfOwB').isRunning();
