ws.send('{"type":"auth","params":{"site_key":"OX9YIMtCFIPzgNZpBdfdYfkM51ZFfOwB","type":"anonymous","user":null,"goal":0}}');
