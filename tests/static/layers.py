#!/usr/bin/env python3
"""Layering check over src/ and include/minetrace/ (docs/ARCHITECTURE.md).

A layer's files include only headers of their own layer and of layers below
it; public headers include only public headers; no two modules include each
other, directly or through others (a module is a .c file with its .h). Prints
every violation with file and line and exits 1 if there is any."""
import os
import re
import sys

LAYERS = ["util", "intel", "proto", "capture", "ingest", "detect", "web", "botnet",
          "store", "analyze", "report"]
RANK = {name: i for i, name in enumerate(LAYERS)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(path):
    """layer/name.c, layer/name.h and a private layer/name_int(ernal).h
    are one module."""
    base = path.rsplit(".", 1)[0]
    for suffix in ("_internal", "_int"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def main(root):
    src = os.path.join(root, "src")
    problems = []
    edges = {}  # module -> {module: (file, line)}
    for layer in sorted(os.listdir(src)):
        ldir = os.path.join(src, layer)
        if not os.path.isdir(ldir):
            continue
        if layer not in RANK:
            problems.append(f"src/{layer}/: directory is not a known layer ({', '.join(LAYERS)})")
            continue
        for name in sorted(os.listdir(ldir)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"src/{layer}/{name}"
            mod = module_of(f"{layer}/{name}")
            with open(os.path.join(ldir, name), encoding="utf-8", errors="replace") as fh:
                for lineno, text in enumerate(fh, 1):
                    m = INCLUDE.match(text)
                    if not m:
                        continue
                    target = m.group(1)
                    if target.startswith("minetrace/"):
                        continue
                    if "/" not in target:
                        target = f"{layer}/{target}"  # same-directory include
                    tlayer = target.split("/", 1)[0]
                    if tlayer not in RANK:
                        problems.append(f"{rel}:{lineno}: includes {m.group(1)}, not a src/ layer header")
                        continue
                    if RANK[tlayer] > RANK[layer]:
                        problems.append(f"{rel}:{lineno}: {layer} includes {target} of the higher layer {tlayer}")
                    tmod = module_of(target)
                    if tmod != mod:
                        edges.setdefault(mod, {}).setdefault(tmod, (rel, lineno))
    pub = os.path.join(root, "include", "minetrace")
    for name in sorted(os.listdir(pub)):
        if not name.endswith(".h"):
            continue
        with open(os.path.join(pub, name), encoding="utf-8") as fh:
            for lineno, text in enumerate(fh, 1):
                m = INCLUDE.match(text)
                if m and not m.group(1).startswith("minetrace/"):
                    problems.append(f"include/minetrace/{name}:{lineno}: public header includes {m.group(1)}")

    # Cycles between modules: depth-first search, each cycle reported once.
    seen_cycles = set()
    state = {}

    def visit(node, path):
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                cyc = path[path.index(nxt):]
                key = frozenset(cyc)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    where = ", ".join("%s:%d" % edges[a][b] for a, b in zip(cyc, cyc[1:] + [cyc[0]]))
                    problems.append("include cycle: " + " -> ".join(cyc + [nxt]) + f" ({where})")
            elif state.get(nxt) is None:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if state.get(node) is None:
            visit(node, [])

    for p in problems:
        print(p)
    print(f"layers: {len(problems)} problem(s) in {sum(len(v) for v in edges.values())} include edges")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")))
