/* The confidence scale of findings (0-100), shared by every detector so that
 * a number means the same kind of evidence whoever emits it. Detectors that
 * read a list take the list's weight instead; these tiers are for evidence
 * the detector judges itself. docs/DETECTORS.md gives each detector's table
 * in these numbers, and the corpus label test is calibrated on them. */
#ifndef MT_DETECT_CONFIDENCE_H
#define MT_DETECT_CONFIDENCE_H

enum {
    /* Both directions speak a mining protocol (a login and its job reply). */
    MT_CONF_CERTAIN = 98,
    /* A mining-only message from one side that the other side answered; an
     * implant that answered its ping. */
    MT_CONF_CONFIRMED = 95,
    /* A message that identifies a miner by itself: a browser miner's auth
     * with its site key, a webminerpool handshake with a wallet, a miner
     * family's own User-Agent, exploit traffic, a severity-1 alert. */
    MT_CONF_STRONG = 90,
    /* Mining-only client messages with no reply seen. */
    MT_CONF_CLIENT_ONLY = 88,
    /* Mining work in one direction: jobs, submits, accepted shares;
     * mining-only server messages with no request seen. */
    MT_CONF_WORK = 85,
    /* Protocol acknowledgements (authed, hashsolved), a generic miner
     * User-Agent, a Stratum V2 SetupConnection, a severity-2 alert. */
    MT_CONF_LIKELY = 80,
    /* Submits without the rest of a session; a URL path rule of a known
     * miner script; a DoublePulsar ping that was answered. */
    MT_CONF_PROBABLE = 75,
    /* Fields that occur in mining and elsewhere (X-Stratum, getwork-style
     * calls in an HTTP body). */
    MT_CONF_INDICATIVE = 70,
    /* A severity-3 alert. */
    MT_CONF_SUGGESTIVE = 65,
    /* A probe that shows intent, not success (an EternalBlue check); an
     * alert of unknown severity. */
    MT_CONF_WEAK = 60,
    /* Added per further independent indicator where a detector adds them. */
    MT_CONF_STEP = 5,
    /* Indicators that add up never reach certainty on their own. */
    MT_CONF_CAP = 99,
};

#endif
