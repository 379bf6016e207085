#!/usr/bin/env python3
"""Writes packaging/atalaya.order: the functions a running agent executes, for the release link.

    make order-file            (or: python3 bench/order_file.py [seconds])

Runs the release binary under valgrind's callgrind with the benchmark's work (200 chat checks at 1 s
against a loopback nginx), scrapes /metrics and reads the JSON API and status page every two seconds,
stops it with SIGTERM, and lists every function of the binary that ran, in the order callgrind first
saw it. packaging/release-build.sh hands the list to lld (--symbol-ordering-file), which lays those
functions out first: the kernel maps code 64 KiB around each page touched, so a running agent keeps
a few MB of code resident instead of most of its 17 MB of text (bench/notes.md, "Issue 14").

A list made before a code change still works: a function that is not on it is placed with the cold
code, which costs resident pages, never correctness. Regenerate it when `make bench` shows the
binary's resident code growing.
"""
import bisect
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

ORDER = os.path.join(bench.ROOT, "packaging", "atalaya.order")
PATHS = ["/metrics", "/api/v1/status", "/api/v1/alerts", "/api/v1/routes", "/api/v1/incidents",
         "/status", "/healthz", "/readyz"]


MAP_LINE = re.compile(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+( +)(\S.*)")


def link_map_sections(link_map):
    """The input sections of .text from lld's link map: [start, end, symbols], by address.

    The map's name column is indented one step per level: output section, input section
    (`file:(section)`), symbol."""
    sections, in_text = [], False
    with open(link_map, errors="replace") as f:
        for line in f:
            m = MAP_LINE.match(line)
            if not m:
                continue
            start, size, depth, name = int(m.group(1), 16), int(m.group(2), 16), len(m.group(3)), m.group(4)
            if depth < 8:
                in_text = name == ".text"
            elif in_text and depth < 16:
                sections.append([start, start + size, []])
            elif in_text and sections:
                sections[-1][2].append(name)
    sections.sort(key=lambda s: s[0])
    return sections


def functions_of(callgrind_out, binary, link_map):
    """The binary's functions that ran, in the order the profile lists them (mangled names).

    The profile is taken with --dump-instr=yes, and every instruction address that ran is looked up
    in the link map: the input section that holds it is what lld moves, and the section goes on the
    list under its rarest symbol name. Neither callgrind's function names nor the nearest
    symbol in nm are good enough: valgrind skips the symbols Swift emits without a size, and code
    without a symbol of its own would be charged to whatever the last layout put before it."""
    sections = link_map_sections(link_map)
    starts = [s[0] for s in sections]
    # lld moves every section that defines a listed name, and local names such as
    # `objectdestroyTm` or `__swift_memcpy8_8` are defined in hundreds of objects: name each
    # section by its rarest symbol, so a hot section does not drag its cold namesakes along.
    uses = {}
    for _, _, symbols in sections:
        for name in symbols:
            uses[name] = uses.get(name, 0) + 1
    names, seen, obj = [], set(), None
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif obj == binary and line.startswith("0x"):
                address = int(line.split()[0], 16)
                i = bisect.bisect_right(starts, address) - 1
                if i < 0 or address >= sections[i][1] or not sections[i][2]:
                    continue
                name = min(sections[i][2], key=lambda n: uses[n])
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    return names


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 45
    os.makedirs(bench.OUT, exist_ok=True)
    bench.install_missing()
    subprocess.run(["sh", "-c", "command -v valgrind >/dev/null || "
                    "(apt-get install -y -qq --no-install-recommends valgrind)"], check=True)
    tmp = tempfile.mkdtemp(prefix="atalaya-order-")
    link_map = os.path.join(tmp, "atalaya.map")
    os.environ["ATALAYA_LINK_MAP"] = link_map
    bench.build()
    # valgrind cannot read the toolchain's DWARF 5: profile a copy without debug sections.
    binary = os.path.join(tmp, "atalaya")
    subprocess.run(["objcopy", "--strip-debug", bench.atalaya_binary(), binary], check=True)
    out = os.path.join(tmp, "callgrind.out")
    nginx, nginx_port = bench.start_nginx()
    try:
        port = bench.free_port()
        config = bench.atalaya_config(port, nginx_port, checks=200)
        agent = bench.spawn(["valgrind", "--tool=callgrind", "--dump-instr=yes", "--demangle=no",
                             "--compress-strings=no", "--compress-pos=no",
                             f"--callgrind-out-file={out}", binary, "run", "--config", config],
                            "order-file", env=bench.agent_env())
        bench.wait_port(port, timeout=120)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for path in PATHS:
                try:
                    bench.http_get(port, path)
                except Exception:  # a route that answers an error still ran its code
                    pass
            time.sleep(2)
        agent.send_signal(signal.SIGTERM)
        agent.wait(120)
    finally:
        for child in list(bench.children):
            bench.stop(child)
    names = functions_of(out, binary, link_map)
    if len(names) < 1000:
        sys.exit(f"order-file: only {len(names)} functions in the profile; see {bench.OUT}/order-file.log")
    with open(ORDER, "w") as f:
        f.write("\n".join(names) + "\n")
    print(f"order-file: {len(names)} functions written to {ORDER}")


if __name__ == "__main__":
    main()
