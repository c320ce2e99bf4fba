# Wave 9 (branch claims21): two fresh batches (A, B) of government and official prose,
# read through the search tool's stored pages (`pages` corpus, page openings), by the rules
# of gov3.py-gov5.py and gov-c17.py: every document key (agency-topic-year) was fixed and
# hashed by the split rule BEFORE its page was read; only development-side documents are
# used; labelled by SOURCES.md's rules before any extractor ran on them.
#
# Keys hashed to the held-out side and left unread (none of their text is used):
# gov:cisa-aa25-239a, gov:doj-doppelganger-2024, gov:treasury-aeza-2025,
# gov:doj-dprk-laptop-farms-2025, gov:whitehouse-nsc-albania-2022 (the White House National
# Security Council's statement on Albania, 2022: its words had already been shown in search
# result openings before the key was hashed, as gov-c17.py noted; not used),
# gov:uk-ncsc-gru-logistics-2025 (the NCSC's release of the May 2025 joint advisory on GRU
# unit 26165 and western logistics: an opening was shown by a search result; not used; the
# development-side key of the advisory itself, gov:cisa-aa25-141a, is left out with it, as a
# twin), gov:uk-fcdo-authentic-antics-2025 (the FCDO's release of 2025-07-18; not read),
# gov:nz-ncsc-salt-typhoon-2025, gov:au-asd-flax-typhoon-2024, gov:nz-gcsb-volt-typhoon-2024,
# gov:au-asd-alert-2025, gov:doj-apt-iran-2024.
# Second names hashed by mistake after a first, development-side name of the same document
# (the first name is kept, as gov3.py did for the EU statement on the OPCW):
# gov:eu-hrvp-czechia-apt31-2025 (held-out side; the document is used under its first key
# gov:eu-hrvp-apt31-czechia-2025) and gov:fbi-treasury-cisa-applejeus-2021 (held-out side;
# the document is used under gov:cisa-aa21-048a, hashed development-side in wave 8).
# Development-side keys hashed and not used (no time, an unclear licence — NATO, the Czech
# Foreign Ministry —, or no government text in the stored pages): gov:cisa-aa23-347a,
# gov:state-albania-iran-2022, gov:nato-albania-2022, gov:doj-kimsuky-2023,
# gov:doj-iran-hackers-2020, gov:cisa-aa25-141a, gov:eu-council-sanctions-2024-06,
# gov:uk-ncsc-annual-review-2023, gov:au-asd-cyber-threat-report-2023,
# gov:state-rfj-lazarus-2019, gov:state-rfj-apt40-2021, gov:uk-ncsc-kimsuky-2023,
# gov:nato-czechia-apt31-2025, gov:cz-mfa-apt31-2025, gov:nato-cyber-statement-2024,
# gov:eu-council-hybrid-sanctions-2024, gov:au-dfat-apt40-2024 (an event whose advisory
# hashed held-out in wave 6: left out), gov:uk-ncsc-salt-typhoon-2025, gov:cisa-aa25-071a,
# gov:fbi-flax-typhoon-2024, gov:uk-ncsc-flax-typhoon-2024, gov:au-asd-gru-logistics-2025.
# Openings of other pages shown with search results and not used: the NCSC's 2023 APT28 /
# Cisco advisory as quoted by a New Jersey state page (gov:uk-ncsc-apt28-cisco-2023 hashed
# held-out in wave 8), CERT-EU Cyber Briefs cb24-01 and cb23-06 (held-out side in wave 5),
# the NATO statements on Czechia (2025) and on Germany and Czechia (2024), news reports.
# Where the page is a republication (a reprint, or a news page quoting the statement), only
# the government's own words are used and the URL is that of the page read; footnote
# markers ("[1][2][3]") are left out.
from gov import US
OGL = "Open Government Licence v3.0"
EU = "EU reuse policy (Commission Decision 2011/833/EU; Council of the EU statement)"
CCBY = "CC BY 4.0 (CERT-EU, the Cybersecurity Service for the Union institutions, bodies, offices and agencies)"
DOCS = {
 # batch A
 "gov:uk-fcdo-albania-2022": ("http://government-world.com/tag/hm-government/page/268/?print=print-search", "2022-09-07", OGL + "; UK press release 'UK condemns Iran for reckless cyber attack against Albania' (republished)"),
 "gov:eu-hrvp-apt31-czechia-2025": ("https://www.stjornarradid.is/efst-a-baugi/frettir/stok-frett/2025/06/26/Cyber-Statement-by-the-High-Representative-on-behalf-of-the-European-Union-on-malicious-behaviour-in-cyberspace-against-Czechia", "2025-05-28", EU + "; statement of the High Representative on behalf of the EU (as republished by the Government of Iceland)"),
 "gov:cisa-aa21-048a": ("https://968667.08y7aimgk.asia/applejeus-analysis-of-north-koreas-cryptocurrency-malware", "2021-02-17", US + "; CISA/FBI/Treasury advisory AA21-048A (as reposted)"),
 "gov:cisa-aa21-048a-release": ("https://www.hstoday.us/subject-matter-areas/cybersecurity/cisa-fbi-and-treasury-expose-latest-tool-in-north-koreas-cryptocurrency-theft-scheme-applejeus/", "2021-02-17", US + "; CISA's release on advisory AA21-048A (republished)"),
 "gov:uk-ncsc-authentic-antics-2025": ("https://securitymattersmagazine.com/uk-calls-out-russian-military-intelligence-for-use-of-espionage-tool", "2025-07-18", OGL + "; NCSC news 'UK calls out Russian military intelligence for use of espionage tool' (republished)"),
 # batch B
 "gov:cisa-aa20-301a": ("https://securitymagazine.com/articles/93757-cisa-releases-advisory-on-north-korean-malicious-cyber-activity", "2020-10-27", US + "; CISA/FBI/CNMF alert AA20-301A summary (as reposted)"),
 "gov:cisa-aa20-301a-release": ("https://journalofcyberpolicy.com/news-insights-us-government-issues-warning-on-kimsuky-apt-group/", "2020-10-27", US + "; CISA's announcement of alert AA20-301A (quoted)"),
 "gov:cisa-aa22-011a": ("https://www.irpt.net/re-amplifying-cisa-fbi-and-nsa-release-cybersecurity-advisory-on-russian-cyber-threats-to-u-s-critical-infrastructure/", "2022-01-11", US + "; CISA's announcement of advisory AA22-011A (republished)"),
 "gov:treasury-zservers-2025": ("https://home.treasury.gov/news/press-releases/sb0018", "2025-02-11", US + "; Treasury press release sb0018"),
 "gov:state-zservers-2025": ("https://miragenews.com/sanctions-target-russian-ransomware-1406349", "2025-02-11", US + "; State Department statement (republished)"),
 "gov:uk-fcdo-zservers-2025": ("https://kyivindependent.com/us-uk-australia-sanction-russian-cyber-firm-zservers-over-ransomware-attacks", "2025-02-11", OGL + "; the Foreign Secretary's statement (quoted)"),
 "certeu:jp-23-01": ("https://cert.europa.eu/blog/sustained-activity-by-specific-threat-actors", "2023-02-15", CCBY + "; ENISA and CERT-EU joint publication JP-23-01, the announcement"),
 "certeu:jp-23-01-text": ("https://securityaffairs.com/142452/apt/chinese-apts-targets-eu.html?amp=1", "2023-02-15", CCBY + "; ENISA and CERT-EU joint publication JP-23-01 (quoted)"),
 # batch C (drawn after v2 was committed; scored first with main and with v2)
 "gov:doj-andariel-2024": ("https://www.einpresswire.com/article/730495606/north-korean-government-hacker-charged-for-involvement-in-ransomware-attacks-targeting-u-s-hospitals-and-health-care-providers", "2024-07-25", US + "; DOJ press release on Rim Jong Hyok (republished)"),
 "gov:state-rfj-andariel-2024": ("http://lukeshiru.me/north-korean-man-indicted-for-ransomware-attacks-on-u-s-health-care-companies-2000479109.html", "2024-07-25", US + "; State Department (Rewards for Justice) announcement (quoted)"),
 "gov:doj-iran-hackers-2020": ("https://www.washingtonexaminer.com/?p=2638463", "2020-09-17", US + "; DOJ announcement of the IRGC aerospace hacking indictment (quoted)"),
 "gov:eu-hrvp-russia-hybrid-2024": ("https://europa.rs/hybrid-threats-russia-statement-by-the-high-representative-on-behalf-of-the-eu-on-russia-s-continued-hybrid-activity-against-the-eu-and-its-member-states/?lang=en", "2024-10-08", EU + "; statement of the High Representative on behalf of the EU (as republished by the EU Delegation to Serbia)"),
 "gov:uk-cabinet-office-mcfadden-2024": ("https://www.computerweekly.com/news/366616324/Russian-threat-actors-poised-to-cripple-power-grid-UK-warns", "2024-11-25", OGL + "; the Chancellor of the Duchy of Lancaster's speech at the NATO Cyber Defence Conference (quoted)"),
 "gov:uk-ncsc-hacktivist-alert-2023": ("https://www.firstpost.com/world/uks-cyber-defence-organisation-issues-warning-about-russian-hackers-targeting-western-critical-infrastructure-12474322.html", "2023-04-19", OGL + "; NCSC alert on state-aligned hacktivists (quoted)"),
 # batch D (drawn after v3 was committed; scored first with main and with v3)
 "gov:fbi-ic3-psa-north-korea-2024": ("https://archive.orkl.eu/634a479c82d3dd4c7dc9c30223627df0edfa3333.json", "2024-09-03", US + "; FBI public service announcement on North Korean social engineering (IC3, as archived)"),
 "gov:treasury-dprk-it-workers-2025": ("https://cybernoz.com/?p=177518", "2025-07-08", US + "; Treasury press release on Song Kum Hyok and the IT worker scheme (quoted)"),
 "gov:au-asd-annual-2024-25": ("https://www.cyber.gov.au/about-us/view-all-content/reports-and-statistics/annual-cyber-threat-report-2024-2025", "2025-10-14", "CC BY 4.0 (Commonwealth of Australia, Australian Signals Directorate); the Minister's foreword to the Annual Cyber Threat Report 2024-25"),
 # batch E (drawn after v5 was committed; a check of false claims: no claim in it)
 "gov:uk-ncsc-annual-review-2023": ("https://industrialcyber.co/reports/uk-ncsc-annual-review-reveals-enduring-and-significant-cyber-threat-to-critical-national-infrastructure-sectors/", "2023-11-14", OGL + "; NCSC Annual Review 2023 and its CEO's statement (quoted)"),
 "gov:state-rfj-north-korea-page-2021": ("https://megalodon.jp/ref/2021-0413-0144-02/https://rewardsforjustice.net:443/english/about-rfj/north_korea.html", "2021-04-13", US + "; Rewards for Justice page on North Korea (as archived)"),
 "gov:state-rfj-cyber-2021": ("https://editorials.voa.gov/a/psa---reward-for-information-on-foreign-malicious-cyber-activity/5975348.html", "2021-07-15", US + "; the State Department's Rewards for Justice announcement on foreign malicious cyber activity (VOA editorial)"),
}
# The sub-keys (-release, -text) are second pages of the same event read after the first;
# they are document keys of their own for the split rule, hashed when the batch was written
# (before any extractor ran on it): gov:cisa-aa21-048a-release, gov:cisa-aa20-301a-release,
# certeu:jp-23-01-text (development side); gov:cisa-aa22-011a-text (the advisory's own words
# quoted on a news page, three sentences already labelled) hashed held-out and its sentences
# were removed unscored.
S_A = [
 ("gov:uk-fcdo-albania-2022", "The UK has today (Wednesday 7 September) condemned the Iranian state for a cyber attack against Albania’s government that destroyed data and disrupted essential government services, including paying utilities, booking medical appointments and enrolling schoolchildren.",
  [("asserts", "The UK", "Iranian state", None)]),
 ("gov:uk-fcdo-albania-2022", "The National Cyber Security Centre (NCSC) assesses that Iranian state-linked cyber actors are almost certainly responsible for the series of cyber attacks against Albanian government infrastructure from 15 July, which caused significant impact to online public services and other government websites.",
  [("asserts", "The National Cyber Security Centre (NCSC)", "Iranian", "almost certainly")]),
 ("gov:uk-fcdo-albania-2022", "The websites of the Albanian Parliament and the Prime Minister’s office, as well as ‘e-Albania’, a portal that Albanians use to access a number of public services, were attacked and subject to a shut down.", []),
 ("gov:uk-fcdo-albania-2022", "The attackers also leaked Albanian government data, including details of emails from the Prime Minister and Ministry of Foreign Affairs.", []),
 ("gov:uk-fcdo-albania-2022", "Iran’s reckless actions showed a blatant disregard for the Albanian people, severely restricting their ability to access essential public services.",
  [("asserts", None, "Iran", None)]),
 ("gov:uk-fcdo-albania-2022", "The UK is supporting our valuable partner and NATO ally.", []),
 ("gov:uk-fcdo-albania-2022", "We join Albania and other allies in exposing Iran’s unacceptable actions.",
  [("asserts", "We", "Iran", None)]),
 ("gov:uk-fcdo-albania-2022", "NCSC assesses that Iran is an aggressive and capable cyber actor.", []),
 ("gov:uk-fcdo-albania-2022", "Cyber operations are likely conducted by a complex and fluid network of groups, with differing degrees of association to the Iranian state, the workforces of which are highly likely a mix of departmental and contractual staff.",
  [("suspects", None, "Iranian state", "likely")]),
 ("gov:uk-fcdo-albania-2022", "These cyber attacks are the latest in an increasingly reckless pattern of behaviour by Iran.",
  [("asserts", None, "Iran", None)]),
 ("gov:uk-fcdo-albania-2022", "Iranian-linked cyber actors have a number of powerful disruptive and destructive tools at their disposal.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "The European Union and its Member States, together with international partners, stand in solidarity with Czechia regarding the malicious cyber campaign that targeted its Ministry of Foreign Affairs.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "Czechia determined the cyber-attack has been perpetrated by the Advanced Persistent Threat 31 (APT31) that is associated with the Ministry of State Security of China.",
  [("asserts", "Czechia", "Advanced Persistent Threat 31 (APT31)", None), ("asserts", "Czechia", "Ministry of State Security", None)]),
 ("gov:eu-hrvp-apt31-czechia-2025", "In recent years, malicious cyber activities linked to this country and targeting the EU and its Member States have increased.",
  [("asserts", None, "this country", None)]),
 ("gov:eu-hrvp-apt31-czechia-2025", "In 2021, we urged Chinese authorities to take action against malicious cyber activities undertaken from their territory.",
  [("asserts", "we", "Chinese", None)]),
 ("gov:eu-hrvp-apt31-czechia-2025", "Since then, several Member States have attributed similar activities at their national level.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "We have repeatedly raised our concerns during bilateral engagements and we will continue to do so in the future.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "We strongly condemn malicious cyber activities, which are contrary to the United Nations framework of responsible state behaviour in cyberspace, and which all UN Member States have endorsed.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "We call upon all states, including China, to refrain from such behaviour, to respect international law and to adhere to the UN norms and principles, including those related to critical infrastructure.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "In this context, we reiterate that states should not allow their territory to be used for malicious cyber activities.", []),
 ("gov:eu-hrvp-apt31-czechia-2025", "The European Union reaffirms its strong commitment to prevent, deter and respond to malicious behaviour in cyberspace and stands ready to take further action when necessary.", []),
 ("gov:cisa-aa21-048a", "This joint advisory is the result of analytic efforts among the Federal Bureau of Investigation (FBI), the Cybersecurity and Infrastructure Security Agency (CISA), and the Department of Treasury (Treasury) to highlight the cyber threat to cryptocurrency posed by North Korea, formally known as the Democratic People’s Republic of Korea (DPRK), and provide mitigation recommendations.", []),
 ("gov:cisa-aa21-048a", "Working with U.S. government partners, FBI, CISA, and Treasury assess that Lazarus Group—which these agencies attribute to North Korean state-sponsored advanced persistent threat (APT) actors—is targeting individuals and companies, including cryptocurrency exchanges and financial service companies, through the dissemination of cryptocurrency trading applications that have been modified to include malware that facilitates theft of cryptocurrency.",
  [("asserts", "FBI, CISA, and Treasury", "Lazarus Group", None), ("asserts", "FBI, CISA, and Treasury", "North Korean", None)]),
 ("gov:cisa-aa21-048a", "These cyber actors have targeted organizations for cryptocurrency theft in over 30 countries during the past year alone.", []),
 ("gov:cisa-aa21-048a", "It is likely that these actors view modified cryptocurrency trading applications as a means to circumvent international sanctions on North Korea—the applications enable them to gain entry into companies that conduct cryptocurrency transactions and steal cryptocurrency from victim accounts.", []),
 ("gov:cisa-aa21-048a", "As highlighted in FASTCash 2.0: North Korea’s BeagleBoyz Robbing Banks and Guidance on the North Korean Cyber Threat, North Korea’s state-sponsored cyber actors are targeting cryptocurrency exchanges and accounts to steal and launder hundreds of millions of dollars in cryptocurrency.",
  [("asserts", None, "North Korea", None)]),
 ("gov:cisa-aa21-048a", "The U.S. Government refers to malicious cyber activity by the North Korean government as HIDDEN COBRA.",
  [("asserts", "The U.S. Government", "North Korean government", None)]),
 ("gov:cisa-aa21-048a", "The U.S. Government has identified malware and indicators of compromise (IOCs) used by the North Korean government to facilitate cryptocurrency thefts; the cybersecurity community refers to this activity as “AppleJeus.”",
  [("asserts", "The U.S. Government", "North Korean government", None)]),
 ("gov:cisa-aa21-048a-release", "The Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the Department of the Treasury (Treasury) issued a joint cybersecurity advisory about North Korean government malicious activity the U.S. government refers to as “AppleJeus.”",
  [("asserts", "The Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the Department of the Treasury (Treasury)", "North Korean government", None)]),
 ("gov:cisa-aa21-048a-release", "The advisory highlights technical details on this specific threat activity, mitigations for networks compromised by it, and recommended proactive mitigations for defense against it.", []),
 ("gov:cisa-aa21-048a-release", "The joint advisory provides technical details on seven versions of the AppleJeus malware, which has been used by North Korea posing as cryptocurrency trading platforms since at least 2018.",
  [("asserts", "The joint advisory", "North Korea", None)]),
 ("gov:cisa-aa21-048a-release", "“This advisory marks another step by the U.S. Government to counter the ongoing and criminal North Korean global cryptocurrency theft scheme targeting finance, energy, and other sectors,” said CISA Acting Executive Assistant Director of Cybersecurity Matt Hartman.",
  [("asserts", "Matt Hartman", "North Korean", None)]),
 ("gov:cisa-aa21-048a-release", "“The FBI, Treasury, and CISA continue to assess the evolving cyber threat posed by North Korea, cyber criminals, and other nation-state actors and are committed to providing organizations timely information and mitigations to combat these threats.”", []),
 ("gov:uk-ncsc-authentic-antics-2025", "THE GOVERNMENT has exposed Russian military intelligence actors for using previously unknown malicious software to enable espionage against victim e-mail accounts in a move that will keep the UK and its allies safer.",
  [("asserts", "THE GOVERNMENT", "Russian military intelligence", None)]),
 ("gov:uk-ncsc-authentic-antics-2025", "The National Cyber Security Centre (NCSC) – itself part of GCHQ – has revealed for the first time that the cyber threat group APT 28 has been responsible for deploying a sophisticated malware dubbed AUTHENTIC ANTICS as part of its operations.", []),
 ("gov:uk-ncsc-authentic-antics-2025", "The UK has previously said APT 28 is part of Russia’s GRU 85th Main Special Service Centre, Military Unit 26165.",
  [("asserts", "The UK", "Military Unit 26165", None)]),
 ("gov:uk-ncsc-authentic-antics-2025", "The attribution comes as the Government has sanctioned three GRU Units (26165, 29155 and 74455) and 18 GRU officers and agents for their part in cyber and information interference operations across the globe in support of wider Russian geopolitical and military objectives.",
  [("asserts", "the Government", "GRU Units (26165, 29155 and 74455)", None)]),
 ("gov:uk-ncsc-authentic-antics-2025", "An analysis of AUTHENTIC ANTICS by the NCSC shows how the latter has been specifically designed to enable persistent endpoint access to Microsoft cloud accounts by blending in with legitimate activity.", []),
 ("gov:uk-ncsc-authentic-antics-2025", "It periodically displays a login window prompting the user to share their credentials, which are then intercepted by the malware, along with OAuth authentication tokens allowing access to Microsoft services.", []),
 ("gov:uk-ncsc-authentic-antics-2025", "The malware also exfiltrates victims’ data by sending e-mails from the victim’s account to an actor-controlled e-mail address without the e-mails showing in the ‘sent’ folder.", []),
]
S_B = [
 ("gov:cisa-aa20-301a", "The Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the U.S. Cyber Command Cyber National Mission Force (CNMF) identified tactics, techniques, and procedures (TTPs) used by North Korean advanced persistent threat (APT) group Kimsuky to gain intelligence on various topics of interest to the North Korean government.",
  [("asserts", "The Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the U.S. Cyber Command Cyber National Mission Force (CNMF)", "North Korean", None)]),
 ("gov:cisa-aa20-301a", "Kimsuky is engaged in ongoing cyber operations against worldwide targets to gain intelligence for North Korea, specifically on foreign policy and national security issues related to the Korean peninsula, nuclear policy, and sanctions.",
  [("asserts", None, "Kimsuky", None), ("asserts", None, "North Korea", None)]),
 ("gov:cisa-aa20-301a", "CISA, FBI, and CNMF recommend individuals and organizations within commercial sector businesses increase their defenses and adopt a heightened state of awareness.", []),
 ("gov:cisa-aa20-301a-release", "A joint alert was issued today by the Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the U.S. Cyber Command Cyber National Mission Force (CNMF), describing the tactics, techniques, and procedures (TTPs) used by North Korean advanced persistent threat (APT) group Kimsuky—against worldwide targets—to gain intelligence on various topics of interest to the North Korean government.",
  [("asserts", "the Cybersecurity and Infrastructure Security Agency (CISA), the Federal Bureau of Investigation (FBI), and the U.S. Cyber Command Cyber National Mission Force (CNMF)", "North Korean", None)]),
 ("gov:cisa-aa20-301a-release", "Known Kimsuky TTPs were found in open-source and intelligence reporting through July 2020, targeting commercial sector businesses.", []),
 ("gov:cisa-aa22-011a", "The Cybersecurity and Infrastructure Security Agency (CISA), Federal Bureau of Investigation (FBI), and the National Security Agency released a joint Cybersecurity Advisory (CSA), Understanding and Mitigating Russian State-Sponsored Cyber Threats to U.S. Critical Infrastructure.", []),
 ("gov:cisa-aa22-011a", "The CSA provides an overview of Russian state-sponsored cyber operations; commonly observed tactics, techniques, and procedures (TTPs); detection actions; incident response guidance; and mitigations.",
  [("asserts", None, "Russian", None)]),
 ("gov:cisa-aa22-011a", "This advisory is being released to as part of our continuing cybersecurity mission with our interagency partners to warn organizations of potential cyber threats.", []),
 ("gov:cisa-aa22-011a", "CISA, the FBI, and NSA encourage the cybersecurity community—especially critical infrastructure network defenders—to adopt a heightened state of awareness and to conduct proactive threat hunting.", []),
 ("gov:cisa-aa22-011a", "The CSA, which uses the MITRE ATT&CK® for Enterprise framework, version 10, includes technical details, including previously identified vulnerabilities known to be exploited by Russian state-sponsored APT actors for initial access.",
  [("asserts", None, "Russian", None)]),
 ("gov:treasury-zservers-2025", "Today, the Department of the Treasury’s Office of Foreign Assets Control (OFAC), Australia’s Department of Foreign Affairs and Trade, and the United Kingdom’s Foreign Commonwealth and Development Office are jointly designating Zservers, a Russia-based bulletproof hosting (BPH) services provider, for its role in supporting LockBit ransomware attacks.",
  [("asserts", "the Department of the Treasury’s Office of Foreign Assets Control (OFAC), Australia’s Department of Foreign Affairs and Trade, and the United Kingdom’s Foreign Commonwealth and Development Office", "Zservers", None)]),
 ("gov:treasury-zservers-2025", "LockBit, a Russia-based ransomware group best known for its ransomware variant of the same name, is one of the most deployed ransomware variants and was responsible for the November 2023 attack against the Industrial Commercial Bank of China U.S. broker-dealer.",
  [("asserts", None, "LockBit", None), ("asserts", None, "Russia", None)]),
 ("gov:treasury-zservers-2025", "BPH service providers sell access to specialized servers and other computer infrastructure designed to evade detection and defy law enforcement attempts to disrupt these malicious activities.", []),
 ("gov:treasury-zservers-2025", "OFAC is also designating two Russian nationals who are key administrators of Zservers and have enabled ransomware attacks and other criminal activity.", []),
 ("gov:treasury-zservers-2025", "“Ransomware actors and other cybercriminals rely on third-party network service providers like Zservers to enable their attacks on U.S. and international critical infrastructure,” said Acting Under Secretary of the Treasury for Terrorism and Financial Intelligence Bradley T. Smith.", []),
 ("gov:treasury-zservers-2025", "“Today’s trilateral action with Australia and the United Kingdom underscores our collective resolve to disrupt all aspects of this criminal ecosystem, wherever located, to protect our national security.”", []),
 ("gov:treasury-zservers-2025", "This action builds on last year’s trilateral cyber sanctions with Australia and the United Kingdom against Russian ransomware actor Alexander Ermakov and members of the Evil Corp ransomware group.",
  [("asserts", None, "Evil Corp", None)]),
 ("gov:treasury-zservers-2025", "It also reflects a shared commitment to combatting cybercrime and degrading the support networks that enable bad actors to target victims in the United States and in allied countries.", []),
 ("gov:state-zservers-2025", "In coordination with Australia and the United Kingdom, the United States is today sanctioning Zservers, a Russia-based bulletproof hosting (BPH) services provider, and two Russian nationals serving as Zservers operators, for their roles in supporting LockBit ransomware attacks.",
  [("asserts", "the United States", "Zservers", None)]),
 ("gov:state-zservers-2025", "As a BPH service provider, Zservers provided cybercriminals access to specialized servers and other computer infrastructure designed to resist law enforcement action.", []),
 ("gov:state-zservers-2025", "Russia continues to offer safe harbor for cybercriminals where groups are free to launch and support ransomware attacks against the United States and its allies and partners.", []),
 ("gov:state-zservers-2025", "Today's actions underscore the United States' commitment, along with our international partners, to combating cybercrime and degrading the networks that enable cyber criminals to target our citizens.", []),
 ("gov:state-zservers-2025", "We will continue to stand with our partners to disrupt ransomware actors that threaten our economies and critical infrastructure.", []),
 ("gov:uk-fcdo-zservers-2025", "\"(Russian President Vladimir) Putin has built a corrupt mafia state driven by greed and ruthlessness,\" U.K. Foreign Secretary David Lammy said in a statement.", []),
 ("gov:uk-fcdo-zservers-2025", "\"It is no surprise that the most unscrupulous extortionists and cyber-criminals run rampant from within his borders.", []),
 ("gov:uk-fcdo-zservers-2025", "This government will continue to work with partners to constrain the Kremlin and the impact of Russia's lawless cyber underworld.\"", []),
 ("certeu:jp-23-01", "The European Union Agency for Cybersecurity (ENISA) and the CERT of all the EU institutions, bodies and agencies (CERT-EU) jointly published a report today, to alert on sustained activity by particular threat actors.", []),
 ("certeu:jp-23-01", "The malicious cyber activities of the presented threat actors pose a significant and ongoing threat to the European Union.", []),
 ("certeu:jp-23-01", "Recent operations pursued by these actors focused mainly on information theft, primarily via establishing persistent footholds within the network infrastructure of organisations of strategic relevance.", []),
 ("certeu:jp-23-01", "ENISA and CERT-EU strongly encourage all public and private sector organisations in the EU to apply the recommendations listed in the current joint publication, available here: \"Sustained activity by specific threat actors—Joint Publication JP-23-01\".", []),
 ("certeu:jp-23-01-text", "The EU Cybersecurity Agency (ENISA) and the CERT for the EU institutions, bodies and agencies (CERT-EU) would like to draw the attention of their respective audiences on particular Advanced Persistent Threats (APTs), known as APT27, APT30, APT31, Ke3chang, GALLIUM and Mustang Panda.", []),
 ("certeu:jp-23-01-text", "These threat actors have been recently conducting malicious cyber activities against business and governments in the Union.", []),
]
# Batch C (wave 9, claims21): drawn after v2 was committed, labelled before any extractor
# ran on it, scored first with main (5e29a90) and with v2: the check of v1-v2 on text they
# were not written from. Keys hashed for it (before reading): gov:doj-andariel-2024,
# gov:state-rfj-andariel-2024, gov:doj-iran-hackers-2020 (development side, hashed in
# waves 6-8 and unused), gov:eu-hrvp-russia-hybrid-2024, gov:uk-cabinet-office-mcfadden-2024,
# gov:uk-ncsc-hacktivist-alert-2023 (development side); held-out side, left unread:
# gov:treasury-funnull-2025, gov:uk-fcdo-andariel-2024, gov:treasury-sinaloa-2025,
# gov:doj-chinese-apt-hackers-2025, gov:au-asd-apt40-advisory-2024, gov:doj-raccoon-2022,
# gov:treasury-lockbit-2024, gov:state-rfj-lockbit-2024, gov:uk-ncsc-hacktivist-2025 (an
# opening shown by a search result; not used), gov:doj-lockbit-panev-2024 (a second name of
# the development-side gov:doj-lockbit-dev-2024, hashed by mistake; that document is left
# out altogether). Development-side keys hashed and not used: gov:fbi-andariel-2024 (could be
# the joint advisory whose UK release hashed held-out), gov:treasury-garantex-2025,
# gov:doj-garantex-2025, gov:uk-ncsc-china-cyber-2024, gov:eu-hrvp-russia-hybrid-2025 (only
# fragments quoted), gov:doj-lockbit-dev-2024 (above), gov:nz-ncsc-apt40-statement-2021
# (the statement whose GCSB key hashed held-out in wave 6), gov:uk-ncsc-cyber-army-2024 (a
# second name of wave 6's gov:uk-ncsc-cyber-army-russia-2024; no government text found).
S_C = [
 ("gov:doj-andariel-2024", "A grand jury in Kansas City, Kansas, returned an indictment on Wednesday charging North Korean national Rim Jong Hyok for his involvement in a conspiracy to hack and extort U.S. hospitals and other health care providers, launder the ransom proceeds, and then use these proceeds to fund additional computer intrusions into defense, technology, and government entities worldwide.", []),
 ("gov:doj-andariel-2024", "Their ransomware attacks prevented victim health care providers from providing full and timely care to patients.", []),
 ("gov:doj-andariel-2024", "“Two years ago, the Justice Department disrupted the North Korean group using Maui ransomware to hold hostage U.S. hospitals and health care providers,” said Deputy Attorney General Lisa Monaco.",
  [("asserts", "Lisa Monaco", "North Korean", None)]),
 ("gov:doj-andariel-2024", "“Today’s criminal charges against one of those alleged North Korean operatives demonstrates that we will be relentless against malicious cyber actors targeting our critical infrastructure.",
  [("asserts", None, "North Korean", "alleged")]),
 ("gov:doj-andariel-2024", "This latest action, in collaboration with our partners in the U.S. and overseas, makes clear that we will continue to deploy all the tools at our disposal to disrupt ransomware attacks, hold those responsible to account, and place victims first.”", []),
 ("gov:doj-andariel-2024", "“Rim Jong Hyok and his co-conspirators deployed ransomware to extort U.S. hospitals and health care companies, then laundered the proceeds to help fund North Korea’s illicit activities,” said Deputy Director Paul Abbate of the FBI.", []),
 ("gov:doj-andariel-2024", "“These unacceptable and unlawful actions placed innocent lives at risk.", []),
 ("gov:doj-andariel-2024", "The FBI and our partners will leverage every tool available to neutralize criminal actors and protect American citizens.”", []),
 ("gov:state-rfj-andariel-2024", "Rim and others conspired to hack into the computer systems of U.S. hospitals and other healthcare providers, install Maui ransomware, and extort ransoms.", []),
 ("gov:state-rfj-andariel-2024", "The ransomware attacks encrypted victims’ computers and servers used for medical testing or electronic medical records and disrupted healthcare services.", []),
 ("gov:state-rfj-andariel-2024", "These malicious cyber actors then used the ransom payments to fund malicious cyber operations targeting U.S. government entities and U.S. and foreign defense contractors, among others.", []),
 ("gov:doj-iran-hackers-2020", "This case highlights the Islamic Revolutionary Guard Corps’s efforts to infiltrate the networks of American companies in search of valuable commercial information and intellectual property.",
  [("asserts", None, "Islamic Revolutionary Guard Corps", None)]),
 ("gov:doj-iran-hackers-2020", "It is yet another effort by a rogue foreign nation to steal the fruits of this country’s hard work and expertise.", []),
 ("gov:doj-iran-hackers-2020", "The defendants successfully compromised multiple victim networks, resulting in the theft of sensitive commercial information, intellectual property, and personal data from victim companies, including a satellite-tracking company and a satellite voice and data communication company.", []),
 ("gov:eu-hrvp-russia-hybrid-2024", "The European Union and its Member States strongly condemn Russia’s intensifying campaign of hybrid activities against the EU, its Member States and partners.",
  [("asserts", "The European Union and its Member States", "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "These activities again illustrate Russia’s reckless and irresponsible behaviour and its disregard for the rules-based international order and international law.",
  [("asserts", None, "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "We have detected an increasing number of a broad range of activities against the EU and its Member States, including cyber-attacks, information manipulation and interference campaigns, cases of arson, vandalism and sabotage, including against our critical infrastructure as well as instrumentalisation of migration and other disruptive actions.", []),
 ("gov:eu-hrvp-russia-hybrid-2024", "Russia also continues to disrupt satellite communications, violate European airspace and conduct physical attacks against individuals on the territory of the EU.",
  [("asserts", None, "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "These malicious activities are part of a broad coordinated hybrid campaign directed by Russia as an attempt to divide our society, destabilise and weaken the EU and its Member States and our resilience as well as to undermine our support to Ukraine and its ability to defend itself.",
  [("asserts", None, "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "This will not succeed: we will act united and determined to address these activities and hold perpetrators accountable.", []),
 ("gov:eu-hrvp-russia-hybrid-2024", "Our support to Ukraine will remain solid and unwavering for as long as it takes.", []),
 ("gov:eu-hrvp-russia-hybrid-2024", "With today’s decision to establish a dedicated framework of restrictive measures in view of Russia’s destabilising activities, the EU takes another decisive step.",
  [("asserts", "the EU", "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "Under the new legal framework, the EU can target those who are responsible for, implement, support or benefit from Russia’s destabilising actions worldwide, as well as their associates and supporters.",
  [("asserts", None, "Russia", None)]),
 ("gov:eu-hrvp-russia-hybrid-2024", "We will continue to strengthen our resilience, work closely with our partners, and make full use of the EU Hybrid Toolbox, including diplomatic and restrictive measures, as well as all available instruments, to prevent, deter and respond to Russia’s hybrid activities.",
  [("asserts", "We", "Russia", None)]),
 ("gov:uk-cabinet-office-mcfadden-2024", "“With a cyber attack, Russia can turn off the lights for millions of people.", []),
 ("gov:uk-cabinet-office-mcfadden-2024", "It can shut down power grids.", []),
 ("gov:uk-cabinet-office-mcfadden-2024", "“That is the hidden war Russia is waging in Ukraine, and in the last year, both the Russian military and its unofficial army of cyber criminals and hacktivists have not just stepped up their attacks, but widened their targets to a number of Nato members and partners.",
  [("asserts", None, "Russia", None), ("asserts", None, "Russian military", None)]),
 ("gov:uk-cabinet-office-mcfadden-2024", "The aim is to gain a strategic advantage, to degrade the states that support Ukraine,” he said.", []),
 ("gov:uk-cabinet-office-mcfadden-2024", "“Russian state-aligned groups have taken responsibility for at least nine separate cyber attacks of varying severity against Nato states, including unprovoked attacks against our critical national infrastructure,” said McFadden.",
  [("asserts", "McFadden", "Russian", None), ("claims-responsibility", "Russian state-aligned groups", "Russian state-aligned groups", None)]),
 ("gov:uk-cabinet-office-mcfadden-2024", "“The activity of these groups isn’t something new, or something that has just been happening in recent months.", []),
 ("gov:uk-cabinet-office-mcfadden-2024", "They are unpredictable; they act with disregard for the potential geopolitical consequences and, with just one miscalculation, could wreak havoc.", []),
 ("gov:uk-ncsc-hacktivist-alert-2023", "“Some have stated a desire to achieve a more disruptive and destructive impact against western critical national infrastructure, including in the UK,” the NCSC said.", []),
]
# Batch D (wave 9, claims21): drawn after v3 was committed, labelled before any extractor
# ran on it, scored first with main and with v3. Keys hashed for it (before reading):
# gov:fbi-ic3-psa-north-korea-2024, gov:treasury-dprk-it-workers-2025,
# gov:au-asd-annual-2024-25 (development side; the 2024-25 report, not the 2023-24 report
# whose key gov:au-asd-cyber-threat-report-2024 hashed held-out in wave 6); held-out side,
# left unread: gov:treasury-cyber-sanctions-iran-2024, gov:cisa-aa24-109a,
# gov:state-iran-cyber-2024, gov:doj-cyberav3ngers-rfj-2024, gov:treasury-iran-election-2024,
# gov:treasury-dprk-it-workers-2025-08 (a later Treasury release quoted on a news page; not
# used). Development-side keys hashed and not used: gov:doj-chinese-nationals-apt27-2025,
# gov:fbi-tradertraitor-bybit-psa-2025, gov:uk-ncsc-salt-typhoon-advisory-2025 (twins of
# held-out-side keys of waves 6-9), gov:doj-north-korea-crypto-2025, gov:uk-fcdo-china-apt-2025,
# gov:eu-council-cyber-sanctions-2025 (no single document), gov:nz-gcsb-annual-2024 (could be
# the report whose key gov:nz-ncsc-cyber-threat-report-2023 hashed held-out in wave 6; its
# opening and those of the 2022/23 report were shown by a search result; not used).
S_D = [
 ("gov:fbi-ic3-psa-north-korea-2024", "The Democratic People's Republic of Korea (\"DPRK\" aka North Korea) is conducting highly tailored, difficult-to-detect social engineering campaigns against employees of decentralized finance (\"DeFi\"), cryptocurrency, and similar businesses to deploy malware and steal company cryptocurrency.",
  [("asserts", None, "Democratic People's Republic of Korea", None)]),
 ("gov:fbi-ic3-psa-north-korea-2024", "North Korean social engineering schemes are complex and elaborate, often compromising victims with sophisticated technical acumen.",
  [("asserts", None, "North Korean", None)]),
 ("gov:fbi-ic3-psa-north-korea-2024", "Given the scale and persistence of this malicious activity, even those well versed in cybersecurity practices can be vulnerable to North Korea's determination to compromise networks connected to cryptocurrency assets.",
  [("asserts", None, "North Korea", None)]),
 ("gov:fbi-ic3-psa-north-korea-2024", "North Korean malicious cyber actors conducted research on a variety of targets connected to cryptocurrency exchange-traded funds (ETFs) over the last several months.",
  [("asserts", None, "North Korean", None)]),
 ("gov:fbi-ic3-psa-north-korea-2024", "This research included pre-operational preparations suggesting North Korean actors may attempt malicious cyber activities against companies associated with cryptocurrency ETFs or other cryptocurrency-related financial products.", []),
 ("gov:fbi-ic3-psa-north-korea-2024", "For companies active in or associated with the cryptocurrency sector, the FBI emphasizes North Korea employs sophisticated tactics to steal cryptocurrency funds and is a persistent threat to organizations with access to large quantities of cryptocurrency-related assets or products.",
  [("asserts", "the FBI", "North Korea", None)]),
 ("gov:treasury-dprk-it-workers-2025", "Song facilitated an information technology (IT) worker scheme in which individuals, often DPRK nationals working from countries such as China and Russia, were recruited and provided with falsified identities and nationalities to obtain employment at unwitting companies to generate revenue for the DPRK regime.", []),
 ("gov:treasury-dprk-it-workers-2025", "In some cases, these DPRK IT workers have been known to introduce malware into company networks for additional exploitation.",
  [("asserts", None, "DPRK", None)]),
 ("gov:treasury-dprk-it-workers-2025", "“Today's action underscores the importance of vigilance on the DPRK's continued efforts to clandestinely fund its WMD and ballistic missile programs,” Deputy Secretary of the Treasury Michael Faulkender said.", []),
 ("gov:treasury-dprk-it-workers-2025", "“Treasury remains committed to using all available tools to disrupt the Kim regime's efforts to circumvent sanctions through its digital asset theft, attempted impersonation of Americans, and malicious cyber-attacks.”",
  [("asserts", "Treasury", "Kim regime", None)]),
 ("gov:au-asd-annual-2024-25", "Over the past year, we have continued to see state-sponsored cyber actors targeting Australian networks to steal sensitive information.", []),
 ("gov:au-asd-annual-2024-25", "Australia joined multi-country advisories warning of the threat of state-sponsored actors targeting critical infrastructure for the purposes of positioning for potential disruptive attacks.", []),
 ("gov:au-asd-annual-2024-25", "One such advisory details how People’s Republic of China-affiliated threat actors targeted the networks of major global telecommunications providers to conduct a broad and significant cyber espionage campaign.",
  [("asserts", "One such advisory", "People’s Republic of China", None)]),
 ("gov:au-asd-annual-2024-25", "Another details a Russian state-sponsored cyber campaign targeting Western logistics and technology businesses.",
  [("asserts", None, "Russian", None)]),
 ("gov:au-asd-annual-2024-25", "I urge Australian businesses to review and apply the ASD and its partners’ technical advice to protect your networks.", []),
 ("gov:au-asd-annual-2024-25", "Cybercriminals also relentlessly targeted Australians, with ransomware attacks and data breaches increasing in frequency.", []),
 ("gov:au-asd-annual-2024-25", "In February 2025, the Australian Government imposed cyber sanctions on a Russian business and its employees for storing and facilitating the theft of millions of incredibly personal digital records posted by cybercriminals on the darkest corners of the internet.", []),
]
# Batch E (wave 9, claims21): drawn after v5 was committed, labelled before any extractor
# ran on it: ten sentences of official prose without a claim (a check of false claims on
# unseen text). Keys: gov:uk-ncsc-annual-review-2023 (development side, hashed in wave 6 and
# unused; the Annual Review's and the CEO's words as quoted, without the news pages'
# framing, the final comma of a quotation read as its period), gov:state-rfj-north-korea-page-2021,
# gov:state-rfj-cyber-2021 (development side, hashed before reading).
S_E = [
 ("gov:uk-ncsc-annual-review-2023", "2023 has seen the addition of state-aligned actors to the ongoing threat from state actors, as a new and emerging cyber threat to CNI.", []),
 ("gov:uk-ncsc-annual-review-2023", "While the cyber activity of these groups often focuses on DDoS attacks, website defacements, and/or the spread of misinformation, some have stated a desire to achieve a more disruptive and destructive impact against western CNI, including in the UK.", []),
 ("gov:uk-ncsc-annual-review-2023", "The NCSC continues to prioritise the resilience of UK CNI.", []),
 ("gov:uk-ncsc-annual-review-2023", "The last year has seen a significant evolution in the cyber threat to the UK – not least because of Russia’s ongoing invasion of Ukraine, but also from the availability and capability of emerging tech.", []),
 ("gov:uk-ncsc-annual-review-2023", "Beyond the present challenges, we are very aware of the threats on the horizon, including rapid advancements in tech and the growing market for cyber capabilities.", []),
 ("gov:state-rfj-north-korea-page-2021", "In order to support international efforts to disrupt North Korea’s illicit activities, the State Department’s Rewards for Justice (RFJ) program offers rewards of up to $5 million for information that leads to the disruption of financial mechanisms of persons engaged in certain activities that support North Korea, including money laundering, sanctions evasion, cyber-crime, and WMD proliferation.", []),
 ("gov:state-rfj-north-korea-page-2021", "The RFJ program is also offering a reward of up to $5 million for information leading to the identification or location of persons who, working at the direction of the North Korean government, access a computer to steal information, damage the computer, commit extortion, or aid or abet those who commit those crimes.", []),
 ("gov:state-rfj-cyber-2021", "The U.S. Department of State’s Rewards for Justice program is offering a reward of up to $10 million for information leading to the identification or location of any person who, while acting at the direction or under the control of a foreign government, participates in malicious cyber activities against U.S. critical infrastructure in violation of the Computer Fraud and Abuse Act.", []),
 ("gov:state-rfj-cyber-2021", "Certain malicious cyber operations targeting U.S. critical infrastructure may violate the Computer Fraud and Abuse Act, or CFAA.", []),
 ("gov:state-rfj-cyber-2021", "The Rewards for Justice, or RFJ, program has set up a Dark Web Tor-based tips-reporting channel to protect the safety and security of potential sources at: he5dybnt7sr6cm32xt77pazmtm65flqy6irivtflruqfc5ep7eiodiad.onion.", []),
]
S = S_A + S_B + S_C + S_D + S_E
