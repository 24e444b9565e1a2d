// Start the real coin-hive-stratum proxy through its documented API
// (README: "proxy.listen(port|wssOptions) ... You can also provide the
// options for the WebSocketServer") with permessage-deflate turned on, the
// setting under which the browser's messages arrive compressed (RFC 7692).
// Usage: node proxy_deflate.js <coin-hive-stratum package dir> <ws port> <pool host> <pool port>
"use strict";
const createProxy = require(process.argv[2]);
const proxy = createProxy({ host: process.argv[4], port: Number(process.argv[5]) });
proxy.listen({ port: Number(process.argv[3]), perMessageDeflate: true });
process.on("unhandledRejection", e => { console.error("error", e.message); process.exit(1); });
