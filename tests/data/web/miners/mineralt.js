var w = {
  db: function(){ return this._d; },
  getlf: function(){ return 0; },
  hps: function(){ return this._h || 0; },
  stop: function(){ this._h = 0; }
};
