var cfg = {pool: "stratum+tcp://pool.supportxmr.com:3333", user: "4EtuZJJyhTGQGGsZpWGFutfavDQYr7s8R6iBrdU3s92gDkH67WWxjzKd69fPxi5Ms3v6w9itQv5uFo3fsMFKpPM5az8ogPU"};
