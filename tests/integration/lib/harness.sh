# Shared by the real-client tests (xmrig.sh, wsminer.sh): a work directory
# removed at exit (or copied to a directory the user names), failure
# counting, and the reasons a live run cannot happen here. Source it.

# harness_start TAG KEEP_DIR: sets W (work dir), FAILS=0; defines fail/note.
harness_start() {
    HARNESS_TAG="$1"
    HARNESS_KEEP="$2"
    W="$(mktemp -d "${TMPDIR:-/tmp}/mt-$1.XXXXXX")"
    trap harness_cleanup EXIT
    FAILS=0
}
harness_cleanup() {
    if [ -n "$HARNESS_KEEP" ]; then
        mkdir -p "$HARNESS_KEEP" && cp -a "$W/." "$HARNESS_KEEP/"
    fi
    rm -rf "$W"
}
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
note() { echo "$HARNESS_TAG: $*"; }

# live_run_blocker LIVE_SETTING LIVE_VAR_NAME TOOL...: prints why the live
# part cannot run (nothing when it can): switched off, the sanitizer pass,
# not root, a missing tool, or no network namespaces.
live_run_blocker() {
    local setting="$1" name="$2" tool
    shift 2
    if [ "$setting" = "0" ]; then echo "$name=0"; return; fi
    if [ "${MT_SANITIZED:-0}" = "1" ]; then
        echo "sanitizer pass (MT_SANITIZED=1): the release pass runs it"; return
    fi
    if [ "$(id -u)" != "0" ]; then echo "not root (network namespaces need root)"; return; fi
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "$tool not installed"; return; }
    done
    if ip netns add "mtprobe$$" 2>/dev/null; then
        ip netns del "mtprobe$$"
    else
        echo "cannot create network namespaces here"
    fi
}

# scan_status_ok RC JSONL: the exit status of a scan that wrote JSONL is the
# one its findings call for: 1 when it wrote findings, 0 when none (2 and
# anything else is an error).
scan_status_ok() {
    if [ -s "$2" ]; then [ "$1" = 1 ]; else [ "$1" = 0 ]; fi
}
