#!/usr/bin/env python3
"""Draft labeller for the third-party IOC set (bench/text/thirdparty).

Independent of ascribe-text (other code, other rules): it reads the markup the
way a person does (AsciiDoc passthroughs and link text, Markdown links, code
fences), refangs, and proposes every indicator value with its type by
regular expression plus the public suffix list. Its output is a *draft*: the
shipped labels.json is this draft after the review recorded in
corrections.json (values added or removed by hand, each with a reason), see
SOURCES.md. Types labelled: ipv4, ipv6, domain, url, email, md5, sha1, sha256,
cve (file names, paths, registry keys and mutexes are not labelled here).

    python3 label.py DOCS_DIR corrections.json > labels.json
"""
import ipaddress
import json
import os
import re
import sys

from publicsuffixlist import PublicSuffixList

PSL = PublicSuffixList()

DEFANG = [
    (re.compile(r"\[\s*\.\s*\]|\(\s*\.\s*\)|\{\s*\.\s*\}|\[dot\]|\(dot\)", re.I), "."),
    (re.compile(r"\[\s*@\s*\]|\[at\]|\(at\)", re.I), "@"),
    (re.compile(r"\[:\]"), ":"),
    (re.compile(r"\[://\]"), "://"),
    (re.compile(r"\[/\]"), "/"),
    (re.compile(r"\bh(?:xx|xt|tx|xxx)p(s?)(?=[:\[(])", re.I), r"http\1"),
    (re.compile(r"\bfxp(?=[:\[(])", re.I), "ftp"),
]


def refang(s):
    for rx, rep in DEFANG:
        s = rx.sub(rep, s)
    return s


def demarkup(text, ext):
    if ext == ".csv":
        # a CSV file is read field by field
        import csv
        import io
        return "\n".join(f for row in csv.reader(io.StringIO(text)) for f in row)
    if ext == ".adoc":
        text = re.sub(r"(?<![\w+])\+{1,3}(?=\S)([^\n]*?\S)\+{1,3}(?![\w+])", r" \1 ", text)
        text = re.sub(r"\b(?:pass|footnote):\[([^\]\n]*)\]", r" \1 ", text)
        # URL[text] -> URL text (not a defang token)
        text = re.sub(r"(\S+://\S*?|mailto:\S+?|link:\S+?)\[(?!\.\]|dot\]|:\]|@\]|/\])([^\]\n]*)\]", r"\1 \2 ", text)
    if ext == ".md":
        text = re.sub(r"!?\[([^\]\n]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", r" \1 \2 ", text)
        text = re.sub(r"\[\^[^\]\n]*\]:?", " ", text)
    return text


HASH = {32: "md5", 40: "sha1", 64: "sha256"}
RX_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32,64}(?![0-9A-Za-z])")
RX_URL = re.compile(r"\b(?:https?|ftp|ftps|sftp|tcp|udp|wss?|smb|file|ssh|rdp|ldaps?|irc|tftp|telnet|socks[45])://[^\s\"<>`|\\^{}\[\]]+", re.I)
OCT = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
RX_IP4 = re.compile(rf"(?<![\d.\w])(?:{OCT}\.){{3}}{OCT}(?:/(?:3[0-2]|[12]?\d))?(?![\d\w]|\.\d)")
RX_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
RX_DOM = re.compile(r"(?<![\w.@/-])(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.\w)")
RX_CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.I)
RX_IP6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:/\d{1,3})?(?![\w:])")

# Name endings that are file extensions and TLDs at once: a name ending so is a domain only
# where the text uses it as a host (URL, e-mail, "domain" column / heading, next to an IP).
AMBIGUOUS = {"zip", "mov", "sh", "py", "pl", "md", "rs", "so", "ps", "cc", "pub", "run", "app",
             "one", "bin", "dat", "top", "exe", "doc", "dll", "js", "php", "sys", "cab"}


def domain_ok(d):
    d = d.lower().rstrip(".")
    if len(d) < 4 or "." not in d:
        return False
    sfx = PSL.publicsuffix(d)
    priv = PSL.privatesuffix(d)
    if not sfx or not priv:
        return False
    # the suffix must be a real one (publicsuffixlist accepts unknown TLDs as "*")
    return PSL.is_public(sfx) and sfx.split(".")[-1] in KNOWN_TLDS


KNOWN_TLDS = set()
for line in open(PSL_FILE := os.path.join(os.path.dirname(__import__("publicsuffixlist").__file__), "public_suffix_list.dat"), encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("//"):
        KNOWN_TLDS.add(line.lstrip("*.!").split(".")[-1])


def trim_url(u):
    while u and u[-1] in ".,;:!?'*":
        u = u[:-1]
    while u.endswith(")") and u.count(")") > u.count("("):
        u = u[:-1]
    return u


def label(text, ext, do_refang=True):
    t = demarkup(text, ext)
    if do_refang:
        t = refang(t)
    out = {k: set() for k in ["ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "cve"]}
    review = set()
    spans = []
    for m in RX_URL.finditer(t):
        u = m.group(0)
        if m.start() > 0 and t[m.start() - 1] == "'":
            u = u.split("'")[0]  # 'http://…' ends at the closing quote
        u = trim_url(u)
        scheme, rest = u.split("://", 1)
        host = re.split(r"[/?#]", rest, 1)[0].rsplit("@", 1)[-1]
        if host.startswith("["):
            h6 = host[1:].split("]")[0]
        else:
            h6 = None
            host = host.split(":")[0]
        if h6:
            out["ipv6"].add(h6.lower())
        elif RX_IP4.fullmatch(host):
            out["ipv4"].add(host)
        elif domain_ok(host):
            out["domain"].add(host.lower())
        else:
            continue
        out["url"].add(scheme.lower() + "://" + rest)
        spans.append((m.start(), m.start() + len(u)))
    inside = lambda a: any(s <= a < e for s, e in spans)  # noqa: E731
    for m in RX_HEX.finditer(t):
        v = m.group(0)
        if len(v) in HASH and not v.isdigit() and not inside(m.start()):
            out[HASH[len(v)]].add(v.lower())
    for m in RX_EMAIL.finditer(t):
        if inside(m.start()):
            continue
        v = m.group(0).rstrip(".-")
        dom = v.split("@")[1]
        if domain_ok(dom):
            out["email"].add(v.lower())
            out["domain"].add(dom.lower())
            spans.append((m.start(), m.start() + len(v)))
    for m in RX_IP4.finditer(t):
        if not inside(m.start()):
            out["ipv4"].add(m.group(0))
    for m in RX_IP6.finditer(t):
        v = m.group(0)
        if inside(m.start()) or v.count(":") < 2:
            continue
        a = v.split("/")[0]
        try:
            ipaddress.IPv6Address(a)
        except ValueError:
            continue
        if not any(len(g) >= 3 or re.search("[a-fA-F]", g) for g in a.split(":")):
            continue
        out["ipv6"].add(v.lower())
    for m in RX_CVE.finditer(t):
        if not inside(m.start()):
            out["cve"].add(m.group(0).upper())
    for m in RX_DOM.finditer(t):
        if inside(m.start()):
            continue
        v = m.group(0)
        if not domain_ok(v):
            continue
        tld = v.rsplit(".", 1)[1]
        if tld != tld.lower() and tld != tld.upper():
            continue
        if tld.lower() in AMBIGUOUS:
            review.add(v.lower())
            continue
        if tld.isupper() and not v.isupper():
            continue  # "Microsoft.Exchange"-style
        out["domain"].add(v.lower())
    return out, review


def main():
    docs, corr_path = sys.argv[1], sys.argv[2]
    corr = json.load(open(corr_path)) if os.path.exists(corr_path) else {}
    labels = {"_policy": ("Draft by label.py (regular expressions, public suffix list, markup read as a "
                          "person reads it), then reviewed: corrections.json lists every value added or "
                          "removed by hand. Types: ipv4 (CIDR kept, ports dropped), ipv6, domain (every "
                          "host or registered domain written anywhere: URL hosts, e-mail domains), url "
                          "(with a scheme, refanged), email, md5, sha1, sha256 (lower case), cve. File "
                          "names, paths, registry keys and mutexes are not labelled in this set.")}
    pending = {}
    for name in sorted(os.listdir(docs)):
        ext = os.path.splitext(name)[1]
        text = open(os.path.join(docs, name), encoding="utf-8").read()
        out, review = label(text, ext)
        c = corr.get(name, {})
        for t, vs in c.get("add", {}).items():
            out.setdefault(t, set()).update(vs)
        for t, vs in c.get("remove", {}).items():
            out.setdefault(t, set()).difference_update(vs)
        for v in c.get("ambiguous_domains", []):
            review.discard(v)
            out["domain"].add(v)
        for v in c.get("not_domains", []):
            review.discard(v)
        # values written defanged: labelled, but not found in the text as written
        raw, _ = label(text, ext, do_refang=False)
        plain = set().union(*raw.values())
        defanged = set().union(*out.values()) - plain
        labels[name] = {t: sorted(vs) for t, vs in out.items() if vs}
        if defanged:
            labels[name]["defanged"] = sorted(defanged)
        if review:
            pending[name] = sorted(review)
    json.dump(labels, sys.stdout, indent=1, sort_keys=True)
    print()
    if pending:
        print("to review (name ends in a file extension that is also a TLD):", json.dumps(pending, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
