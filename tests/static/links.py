#!/usr/bin/env python3
"""Link-level layering over the built layer libraries (build/libmt_*.a).

Each layer library may use symbols of its own layer and of the layers it
declares in CMakeLists.txt (MT_DEPS_<layer>, transitively); a symbol it
takes from any other layer library is an undeclared, upward dependency.
Prints each such use (library, object, symbol, where it is defined) and
exits 1 if there is any."""
import os
import re
import subprocess
import sys


def declared(cmake_text):
    deps = {}
    for layer, body in re.findall(r"set\(MT_DEPS_(\w+)\s+([^)]*)\)", cmake_text):
        deps[layer] = [d[3:] for d in body.split() if d.startswith("mt_")]
    return deps


def closure(deps, layer, seen=None):
    seen = set() if seen is None else seen
    for d in deps.get(layer, []):
        if d not in seen:
            seen.add(d)
            closure(deps, d, seen)
    return seen


def symbols(lib):
    out = subprocess.run(["nm", "-A", "--defined-only", "-g", lib], capture_output=True, text=True).stdout
    defined = {line.split()[-1] for line in out.splitlines() if line.split()[-2] in "TDBRVWC"}
    out = subprocess.run(["nm", "-A", "-u", lib], capture_output=True, text=True).stdout
    undef = []
    for line in out.splitlines():
        parts = line.split()
        obj = parts[0].split(":")[1] if parts[0].count(":") >= 2 else parts[0]
        undef.append((obj, parts[-1]))
    return defined, undef


def main(src, build):
    with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as fh:
        deps = declared(fh.read())
    libs = {}
    for layer in deps:
        path = os.path.join(build, "libmt_%s.a" % layer)
        layer_dir = os.path.join(src, "src", layer)
        if not any(f.endswith(".c") for f in os.listdir(layer_dir)):
            continue  # a layer being started: headers only, no library yet
        if not os.path.exists(path):
            print("links: %s not built" % path)
            return 1
        libs[layer] = symbols(path)
    owner = {}
    for layer, (defined, _) in libs.items():
        for s in defined:
            owner.setdefault(s, layer)
    problems = []
    for layer, (defined, undef) in sorted(libs.items()):
        allowed = closure(deps, layer) | {layer}
        for obj, sym in undef:
            o = owner.get(sym)
            if o is not None and o not in allowed:
                problems.append("%s (%s) uses %s of layer %s, not a declared dependency" % (layer, obj, sym, o))
    for p in sorted(set(problems)):
        print(p)
    print("links: %d undeclared uses across %d layer libraries" % (len(set(problems)), len(libs)))
    return 1 if problems else 0


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.environ.get("MT_SRC", os.path.join(here, "..", ".."))
    build = os.environ.get("MT_BUILD", os.path.join(src, "build"))
    sys.exit(main(src, build))
