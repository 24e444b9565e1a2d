(function(){
  function Helper(k){ this._sitek = k; this._on = false; }
  Helper.prototype.isRunning = function(){ return this._on; };
  Helper.prototype.stop = function(){ this._on = false; };
  Helper.prototype.begin = function(){ this._on = true; };
  window.helper = new Helper(location.host);
})();
