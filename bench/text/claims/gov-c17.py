# Wave 8 (branch claims17): government sentences of the fresh development batch, read
# through the search tool's stored pages, by the rules of gov3.py–gov5.py: every key
# (agency-topic-year) was fixed and hashed before its page was read. Keys hashed to the
# held-out side and left unread: gov:cisa-aa23-335a, gov:cisa-aa24-241a,
# gov:cisa-aa22-320a, gov:cisa-aa22-216a, gov:cisa-aa20-239a, gov:cisa-aa21-148a,
# gov:cisa-aa22-083a, gov:cisa-aa24-057a, gov:cisa-aa23-040a, gov:uk-ncsc-apt28-cisco-2023,
# gov:cisa-aa20-106a, and (for a second batch, not drawn) gov:doj-snake-medusa-2023,
# gov:doj-irgc-ransomware-2022, gov:state-rfj-whispergate-2024, gov:uk-ncsc-snake-2023,
# gov:doj-salt-typhoon-2025, gov:doj-i-soon-apt27-2025, certeu:cb24-03, certeu:cb25-09.
# Development-side keys hashed but not used (no time, or no government text found in the
# stored pages): gov:state-albania-iran-2022, gov:cisa-aa21-048a, gov:cisa-aa20-301a,
# gov:cisa-aa22-011a, gov:cisa-aa23-187a, gov:nato-albania-2022, and for the second batch
# that was not drawn (pages searched for some of them; too few government sentences
# found in the time): gov:treasury-irgc-ransomware-2022, gov:doj-whispergate-2024,
# gov:fbi-snake-2023, gov:doj-apt33-2024, gov:doj-kimsuky-2023, gov:treasury-zservers-2025,
# certeu:cb23-03, certeu:cb23-09, certeu:cb24-06, certeu:cb24-10, certeu:cb24-11,
# certeu:cb25-02, certeu:cb25-05, certeu:cb25-06, certeu:cb25-07, certeu:cb25-10,
# certeu:cb22-11, certeu:cb22-12. One search result showed the opening of the
# held-out-side AA22-110A (an announcement on a forum page); it is not used.
# The search tool shows openings of other pages with its results: openings seen that way
# (the UK's statement on Albania of 2022-09-08, the White House National Security Council's
# statement on Albania quoted on a news page, a 2023 NSA advisory on Kimsuky quoted on a news
# page) were not hashed and are not used. The page read is a transcript (CyberWire's
# reading of CISA alert AA22-264A, the alert's own words); only the alert's sentences are
# used. Labelled by SOURCES.md's rules before any extractor ran on them.
from gov import US
DOCS = {
 "gov:cisa-aa22-264a": ("https://thecyberwire.com/podcasts/cisa-cybersecurity-alerts/31/transcript", "2022-09-21", US + "; FBI/CISA alert AA22-264A as read in the transcript (only the alert's sentences are used)"),
}
S = [
 ("gov:cisa-aa22-264a", "In July 2022, Iranian state cyber actors—identifying as “HomeLand Justice”—launched a destructive cyber attack against the Government of Albania which rendered websites and services unavailable.",
  [("asserts", None, "Iranian", None), ("asserts", None, "HomeLand Justice", None)]),
 ("gov:cisa-aa22-264a", "An FBI investigation indicates Iranian state cyber actors acquired initial access to the victim’s network approximately 14 months before launching the destructive cyber attack, which included a ransomware-style file encryptor and disk wiping malware.",
  [("asserts", "FBI", "Iranian", None)]),
 ("gov:cisa-aa22-264a", "The actors maintained continuous network access for approximately a year, periodically accessing and exfiltrating email content.", []),
 ("gov:cisa-aa22-264a", "Between May and June 2022, Iranian state cyber actors conducted lateral movements, network reconnaissance, and credential harvesting from Albanian government networks.",
  [("asserts", None, "Iranian", None)]),
 ("gov:cisa-aa22-264a", "In July 2022, the actors launched ransomware on the networks.", []),
 ("gov:cisa-aa22-264a", "When network defenders identified and began to respond to the ransomware activity, the cyber actors deployed a version of ZeroCleare destructive malware.", []),
 ("gov:cisa-aa22-264a", "In June 2022, HomeLand Justice created a website and multiple social media profiles posting anti-MEK messages.", []),
 ("gov:cisa-aa22-264a", "Between July and August 2022, HomeLand Justice claimed credit for the cyber attack on Albanian government infrastructure, posted videos of the cyber attack on their website, and social media accounts associated with HomeLand Justice demonstrated a repeated pattern of advertising Albanian Government information for release.",
  [("claims-responsibility", "HomeLand Justice", "HomeLand Justice", None)]),
 ("gov:cisa-aa22-264a", "Most recently, Iranian cyber actors launched another wave of cyber attacks against the Government of Albania, using similar TTPs and malware as the cyber attacks in July.",
  [("asserts", None, "Iranian", None)]),
]
