#!/usr/bin/env python3
"""Which code of a running process's executable is resident, by Swift module (or C library).

usage: resident.py PID [TOP]   (root: reads /proc/PID/pagemap)

Reads the executable's mappings from /proc/PID/maps, the present bit of each page from
/proc/PID/pagemap, and attributes every resident page to the symbols it holds (`nm`, sizes
from the symbol table), grouped by the module in the Swift mangled name (`$s10Foundation…` →
Foundation) or, for C/C++ symbols, by a prefix (ICU `u_…`/`icu_…`, `swift_…` runtime, …).
A page shared by symbols of several modules counts for each in proportion to their bytes.
Python 3 standard library plus binutils (nm, readelf).
"""

import bisect
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def module_of(name):
    m = re.match(r"^_?\$s(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)
    if m:
        n = int(m.group(1))
        return m.group(2)[:n]
    m = re.match(r"^_?\$ss", name)
    if m or name.startswith("$sS") or name.startswith("_swift_") or name.startswith("swift_"):
        return "Swift runtime/stdlib"
    if re.match(r"^(u_|ucol|ubrk|ures|udata|uloc|ucnv|unum|udat|uset|icu_|_ZN6icu_|_ZNK6icu_|uprv_|utrans|ucal)", name):
        return "ICU"
    if name.startswith("_Z"):
        return "C++ (other)"
    if name.startswith("yaml_"):
        return "libyaml"
    if name.startswith("curl") or name.startswith("Curl"):
        return "curl shims"
    return "C (other)"


def segments(binary):
    """(vaddr, offset, filesz) of the executable's LOAD segments."""
    out = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            segs.append((int(parts[2], 16), int(parts[1], 16), int(parts[4], 16)))
    return segs


def symbols(binary, segs):
    """Sorted (file offset, size, module) of text symbols."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[2] not in "tTwWiI":
            continue
        addr, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
        for vaddr, off, filesz in segs:
            if vaddr <= addr < vaddr + filesz:
                syms.append((addr - vaddr + off, size, module_of(name)))
                break
    syms.sort()
    return syms


def resident_pages(pid, binary):
    """File offsets of the executable's resident pages in executable mappings."""
    real = os.path.realpath(binary)
    offsets = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pm:
        for line in maps:
            parts = line.split()
            if len(parts) < 6 or os.path.realpath(parts[5]) != real or "x" not in parts[1]:
                continue
            start, end = (int(x, 16) for x in parts[0].split("-"))
            file_off = int(parts[2], 16)
            pm.seek(start // PAGE * 8)
            data = pm.read((end - start) // PAGE * 8)
            for i in range(len(data) // 8):
                (entry,) = struct.unpack_from("<Q", data, i * 8)
                if entry >> 63:
                    offsets.append(file_off + i * PAGE)
    return offsets


def main():
    pid = int(sys.argv[1])
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    binary = os.readlink(f"/proc/{pid}/exe")
    syms = symbols(binary, segments(binary))
    starts = [s[0] for s in syms]
    by_module = {}
    pages = resident_pages(pid, binary)
    for page in pages:
        i = max(0, bisect.bisect_right(starts, page) - 1)
        share = {}
        while i < len(syms) and syms[i][0] < page + PAGE:
            off, size, mod = syms[i]
            overlap = min(off + max(size, 1), page + PAGE) - max(off, page)
            if overlap > 0:
                share[mod] = share.get(mod, 0) + overlap
            i += 1
        total = sum(share.values())
        if not total:
            by_module["(no symbol)"] = by_module.get("(no symbol)", 0) + PAGE
            continue
        for mod, n in share.items():
            by_module[mod] = by_module.get(mod, 0) + PAGE * n / total
    print(f"resident code of {binary}: {len(pages) * PAGE / 1048576:.1f} MB in {len(pages)} pages")
    for mod, n in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{n / 1048576:8.2f} MB  {mod}")


if __name__ == "__main__":
    main()
