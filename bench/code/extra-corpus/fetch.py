#!/usr/bin/env python3
"""Assemble the *extra* code-reuse corpus: Windows native modules of 18 PyPI
projects that are not in the shared corpus, three releases each (~2020, ~2022,
~2024), every wheel pinned by name and SHA-256 in pins.tsv.

    python3 bench/code/extra-corpus/fetch.py OUTDIR

Writes OUTDIR/<set>/<project>/<version>/<path in wheel> for every .pyd/.dll/.exe
and OUTDIR/manifest.tsv with the columns and the component / name_key rules of
../shared/corpus/fetch-pe-corpus.sh, so `bench quality OUTDIR OUT` reads it as
it reads the shared corpus. Wheels come through pip (`pip download --no-deps
--only-binary=:all:` for the wheel's platform and Python), so whatever index pip
is configured for is used; a wheel whose SHA-256 differs from its pin is an
error. Idempotent: verified wheels and finished extractions are skipped.

Why a second corpus: the shared corpus's projects are split into fit and test
halves (bench/code/split.py); ranking changes are studied on fit projects only.
This corpus is a second, independent fitting set with new projects, so a change
can be developed on failures nobody on the project has seen in the test half.
"""
import hashlib
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLATFORM = {"win64": "win_amd64", "win32": "win32"}
PYVER = {"cp38": "3.8", "cp310": "3.10", "cp312": "3.12"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def component(base, inner):
    if re.match(r"^(msvcp|vcruntime|concrt|vccorlib)1[0-9][0-9]", base):
        return "msvc-runtime"
    if re.match(r"^mfcm?1[0-9][0-9]", base):
        return "msvc-mfc"
    if re.match(r"^(libopenblas|libscipy_openblas)", base):
        return "openblas"
    if re.search(r"(^|/)[^/]*\.libs/", inner):
        return "vendored:" + re.sub(r"[-.].*$", "", base)
    return "own"


def name_key(base):
    k = re.sub(r"\.cp[0-9]+-win(_amd64|32)\.", ".", base, count=1)
    m = re.search(r"-[0-9a-f]+\.(so|dll)", k)
    if m and len(m.group(0)) >= 12:
        k = k[: m.start()] + k[m.start() + k[m.start():].index(".") :]
    return k


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fetch.py OUTDIR")
    out = os.path.abspath(sys.argv[1])
    wheels = os.path.join(out, "wheels")
    os.makedirs(wheels, exist_ok=True)
    rows = []
    for line in open(os.path.join(HERE, "pins.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        s, proj, ver, tag, wheel, want = line.rstrip("\n").split("\t")
        path = os.path.join(wheels, wheel)
        if not (os.path.exists(path) and sha256(path) == want):
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--only-binary=:all:", "--platform", PLATFORM[s],
                   "--python-version", PYVER[tag], "--implementation", "cp",
                   "-d", wheels, f"{proj}=={ver}"]
            subprocess.run(cmd, check=True)
            if not os.path.exists(path):
                sys.exit(f"error: pip did not produce {wheel}")
            got = sha256(path)
            if got != want:
                sys.exit(f"error: {wheel}: SHA-256 {got}, pinned {want}")
        dest = os.path.join(out, s, proj, ver)
        stamp = os.path.join(dest, ".extracted")
        if not (os.path.exists(stamp) and open(stamp).read().strip() == want):
            with zipfile.ZipFile(path) as z:
                for m in z.namelist():
                    if re.search(r"\.(pyd|dll|exe)$", m, re.I):
                        target = os.path.join(dest, m)
                        if not os.path.abspath(target).startswith(dest + os.sep):
                            sys.exit(f"error: {wheel}: member {m!r} escapes the directory")
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        with z.open(m) as src, open(target, "wb") as dst:
                            dst.write(src.read())
            with open(stamp, "w") as f:
                f.write(want + "\n")
        for root, _, files in os.walk(dest):
            for f in sorted(files):
                if f == ".extracted":
                    continue
                full = os.path.join(root, f)
                inner = os.path.relpath(full, dest).replace(os.sep, "/")
                with open(full, "rb") as fh:
                    magic = fh.read(4)
                fmt = "pe" if magic[:2] == b"MZ" else "elf" if magic == b"\x7fELF" else "other"
                base = f.lower()
                rows.append([sha256(full), proj, ver, inner, str(os.path.getsize(full)), fmt, s,
                             PLATFORM[s], tag, wheel, component(base, inner.lower()),
                             name_key(base), os.path.relpath(full, out).replace(os.sep, "/")])
    rows.sort(key=lambda r: (r[6], r[1], [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", r[2])], r[3]))
    with open(os.path.join(out, "manifest.tsv"), "w") as f:
        f.write("sha256\tproject\tversion\tinner_path\tsize\tformat\tset\tplatform_tag\tpy_tag\tsource\tcomponent\tname_key\trel_path\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} files, {sum(int(r[4]) for r in rows) / 1e6:.1f} MB -> {out}/manifest.tsv")


if __name__ == "__main__":
    main()
