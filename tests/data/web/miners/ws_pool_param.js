var ws = new WebSocket('wss://relay.example.org/socket?pool=moneroocean');
