var sock = new WebSocket('wss://chat.example.com/socket');
var player = { isRunning: function(){ return !this.paused; }, stop: function(){ this.paused = true; }, paused: false };
var server = { _address: '10.0.0.1', listen: function(){} };
