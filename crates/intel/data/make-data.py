#!/usr/bin/env python3
"""Regenerate the shared-service lists in this directory from the registry
packages they come from (nothing is fetched at run time):

  pip download --no-deps pymispwarninglists==1.7.0   # MISP warning lists, CC0-1.0
  npm pack free-email-domains@1.12.6                  # MIT

  python3 make-data.py WHEEL_DIR NPM_PACKAGE_DIR

WHEEL_DIR is the unpacked wheel, NPM_PACKAGE_DIR the unpacked `package/`.
Each output file starts with `#` lines naming its source; then one entry a
line (`<cidr>\t<provider>` for the address lists).
"""
import json, os, sys

wl = os.path.join(sys.argv[1], "pymispwarninglists/data/misp-warninglists/lists")
npm = sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(wl, name, "list.json")) as f:
        return json.load(f)


def clean_host(h):
    h = h.strip().lower().lstrip(".").rstrip(".")
    if h.startswith("*."):
        h = h[2:]
    return h


def write(fname, header, lines):
    lines = sorted(set(l for l in lines if l))
    with open(os.path.join(here, fname), "w") as f:
        for h in header:
            f.write("# " + h + "\n")
        f.write("# entries: %d\n" % len(lines))
        for l in lines:
            f.write(l + "\n")
    print(fname, len(lines))


def wl_header(name):
    j = load(name)
    return [
        "source: MISP warning list '%s' (%s), version %s" % (name, j.get("name"), j.get("version")),
        "from the PyPI package pymispwarninglists 1.7.0; licence CC0-1.0 (MISP warning lists)",
    ]


for name, fname in [("dynamic-dns", "dynamic-dns.txt"), ("url-shortener", "url-shorteners.txt")]:
    write(fname, wl_header(name), [clean_host(h) for h in load(name)["list"]])

# free and disposable mail: the npm list (free + disposable) and the MISP disposable list
mail = [clean_host(h) for h in json.load(open(os.path.join(npm, "domains.json")))]
mail += [clean_host(h) for h in load("disposable-email")["list"]]
write("free-mail.txt", [
    "source: npm package free-email-domains 1.12.6 (MIT) and MISP warning list 'disposable-email'",
    "(PyPI pymispwarninglists 1.7.0, CC0-1.0): free and disposable mail domains",
], [h for h in mail if "." in h])

# cloud, CDN and VPN address ranges, tagged with the provider
ips = []
for name in ["amazon-aws", "google-gcp", "microsoft-azure", "cloudflare", "fastly", "akamai",
             "ovh-cluster", "stackpath"]:
    for c in load(name)["list"]:
        ips.append("%s\t%s" % (c.strip().lower(), name))
write("cloud-ranges.txt", [
    "source: MISP warning lists amazon-aws, google-gcp, microsoft-azure, cloudflare, fastly, akamai,",
    "ovh-cluster, stackpath (PyPI pymispwarninglists 1.7.0, CC0-1.0); the providers' published ranges",
], ips)
write("vpn-ranges.txt", wl_header("vpn-ipv4") + wl_header("vpn-ipv6")[:1],
      ["%s\tvpn" % c.strip().lower() for c in load("vpn-ipv4")["list"] + load("vpn-ipv6")["list"]])
write("sinkholes.txt", wl_header("sinkholes"),
      ["%s\tsinkhole" % c.strip().lower() for c in load("sinkholes")["list"]])
