"""Time one peer tool over the corpus, data preloaded in RAM (single process,
single thread). Prints one JSON line like the Rust bench binary.

    python peers.py TOOL pe|elf CORPUS_DIR [sample10]

TOOL: lief_imphash (lief.PE.parse + pefile-mode imphash + Rich header),
lief (lief.parse), pefile_fast (fast_load + import/export/debug/resource
directories + imphash + Rich hash), tlsh (py-tlsh), ssdeep (python-ssdeep),
ppdeep (pure Python ssdeep), hashlib (md5 + sha1 + sha256).
"""
import json
import os
import sys
import time

tool, fmt, root = sys.argv[1], sys.argv[2], sys.argv[3]
sample = len(sys.argv) > 4 and sys.argv[4] == "sample10"
rows = []
with open(os.path.join(root, "manifest.tsv")) as f:
    hdr = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(hdr, line.rstrip("\n").split("\t")))
        if r["format"] == fmt and os.path.isfile(os.path.join(root, r["rel_path"])):
            rows.append(r)
if sample:
    rows = rows[::10]
datas = [open(os.path.join(root, r["rel_path"]), "rb").read() for r in rows]
total = sum(map(len, datas))

if tool == "lief_imphash":
    import lief
    lief.logging.disable()
    def run(d):
        b = lief.PE.parse(d)
        lief.PE.get_imphash(b, lief.PE.IMPHASH_MODE.PEFILE)
        b.rich_header
elif tool == "lief":
    import lief
    lief.logging.disable()
    def run(d):
        if lief.parse(d) is None:
            raise Exception("lief none")
elif tool == "pefile_fast":
    import pefile
    D = pefile.DIRECTORY_ENTRY
    dirs = [D[k] for k in ("IMAGE_DIRECTORY_ENTRY_IMPORT", "IMAGE_DIRECTORY_ENTRY_EXPORT",
                           "IMAGE_DIRECTORY_ENTRY_DEBUG", "IMAGE_DIRECTORY_ENTRY_RESOURCE")]
    def run(d):
        pe = pefile.PE(data=d, fast_load=True)
        pe.parse_data_directories(directories=dirs)
        pe.get_imphash()
        pe.get_rich_header_hash()
        pe.close()
elif tool == "tlsh":
    import tlsh
    def run(d):
        tlsh.hash(d)
elif tool == "ssdeep":
    import ssdeep
    def run(d):
        ssdeep.hash(d)
elif tool == "ppdeep":
    import ppdeep
    def run(d):
        ppdeep.hash(d)
elif tool == "hashlib":
    import hashlib
    def run(d):
        hashlib.md5(d).hexdigest()
        hashlib.sha1(d).hexdigest()
        hashlib.sha256(d).hexdigest()
else:
    raise SystemExit(f"unknown tool {tool}")

errs = 0
t0 = time.perf_counter()
for d in datas:
    try:
        run(d)
    except Exception:
        errs += 1
dt = time.perf_counter() - t0
print(json.dumps({"tool": tool, "format": fmt, "files": len(datas), "MB": round(total / 1e6, 1),
                  "wall_s": round(dt, 3), "files_per_s": round(len(datas) / dt, 1),
                  "MB_per_s": round(total / 1e6 / dt, 1), "errors": errs}))
