var totalhashes = 0;
function addWorker(){ totalhashes += 0; }
function startMining(pool, login){ addWorker(); }
function stopMining(){ }
