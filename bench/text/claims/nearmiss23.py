#!/usr/bin/env python3
"""Wave 9 (claims23): writes crates/text/tests/data/claims-real/paraphrases-nearmiss.jsonl,
near-miss sentences in the project's own words (MIT OR Apache-2.0): sentences that name an
actor and a state or organisation but make no attribution claim (victims, targets,
software used, technical overlaps, comparisons, sympathies, languages, lists,
hypotheticals, forecasts, persons' nationalities), mixed with sentences that do (denials
labelled as SOURCES.md labels them). Every row labelled by SOURCES.md / docs/claims.md
rules before the extractor ran on it. Half A (rows 1-40) and half B (rows 41-80) were
written together; rules were written from A's mistakes and checked on B (BENCHMARKS.md,
"Wave 9 (claims23)"). `doc` is `paraphrase:nearmiss-<n>`, split dev, url null."""
import json, hashlib, os
LIC = "the project's own text, MIT OR Apache-2.0"
N = None
ROWS = [
# ---- half A
("APT28 has repeatedly targeted the German Bundestag and French political parties.", []),
("Sandworm Team deployed the Industroyer malware against Ukrainian power substations.", []),
("The loader shares several code blocks with a downloader previously described in reports on Lazarus Group.", []),
("Both APT29 and Turla have been observed using compromised satellite links, but the two groups do not appear to share infrastructure.", []),
("The Russian government denied any role in the intrusion.", [("denies", "The Russian government", "Russian government", N)]),
("Pro-Iranian hacktivists celebrated the outage on Telegram but did not say who caused it.", []),
("Kimsuky sends spear-phishing emails to researchers who study North Korea.", []),
("Volt Typhoon is a Chinese state-sponsored group that pre-positions itself in critical infrastructure networks.", [("asserts", N, "Chinese", N)]),
("Researchers at ESET attributed the campaign to Gamaredon Group with high confidence.", [("asserts", "ESET", "Gamaredon Group", "with high confidence")]),
("The attackers used a Russian-language keyboard layout, which by itself says little about their origin.", []),
("Hospitals in Israel were among the organisations that OilRig targeted last year.", []),
("FIN7 has used the Carbanak backdoor in many of its intrusions.", []),
("The Carbanak backdoor has been used by FIN7 and by other financially motivated groups.", []),
("If the wiper had come from North Korea, investigators would have expected to see Lazarus Group tooling.", []),
("Mandiant assesses with moderate confidence that APT41 works on behalf of the Chinese state.", [("asserts", "Mandiant", "Chinese state", "with moderate confidence")]),
("APT10 is one of several groups, alongside APT3 and APT1, that the report lists as active in the region.", []),
("The U.S. Treasury sanctioned three Iranian nationals for their role in ransomware attacks.", []),
("The FBI linked the theft of $620 million from the Ronin bridge to Lazarus Group.", [("asserts", "The FBI", "Lazarus Group", N)]),
("Charming Kitten impersonated journalists from Western news outlets to approach Iranian dissidents.", []),
("The malware's strings are in Chinese, but the same builder is sold openly on underground forums.", []),
("Several Russian banks were hit by a DDoS campaign claimed by the IT Army of Ukraine.", [("claims-responsibility", "IT Army of Ukraine", "IT Army of Ukraine", N)]),
("The report compares Turla's use of hijacked infrastructure with similar tricks seen in APT29 operations.", []),
("Dragonfly has targeted energy companies in the United States and Europe since 2011.", []),
("Microsoft tracks the actor as Mint Sandstorm and links it to Iran's Islamic Revolutionary Guard Corps.", [("asserts", "Microsoft", "Islamic Revolutionary Guard Corps", N)]),
("Observers noted that the defacement messages praised the Chinese Communist Party.", []),
("The intrusion set is unlikely to be connected to APT33, despite some overlap in targeting.", [("doubts", N, "APT33", N)]),
("No evidence links the campaign to any state, according to the Dutch intelligence service.", []),
("Sanctions were imposed on the GRU officers who ran the operation.", [("asserts", N, "GRU", N)]),
("Kaspersky researchers believe the backdoor was built by the Equation group.", []),
("The North Korean government has consistently denied stealing cryptocurrency.", [("denies", "The North Korean government", "North Korean government", N)]),
("A Microsoft court order seized domains that Wizard Spider used for command and control.", []),
("Security firms disagree about whether Winnti Group and APT41 are the same actor.", []),
("Transparent Tribe's phishing lures referred to tensions between India and Pakistan.", []),
("Investigators traced the command servers to a hosting company in the Netherlands.", []),
("According to CrowdStrike, the operation was run by Sandworm Team, a unit of Russia's GRU.", [("asserts", "CrowdStrike", "Sandworm Team", N), ("asserts", "CrowdStrike", "GRU", N)]),
("Tropic Trooper is likely a Chinese-speaking group, based on the language of its documents.", []),
("The campaign, which hit ministries in Vietnam and the Philippines, was conducted by Mustang Panda.", [("asserts", N, "Mustang Panda", N)]),
("APT34 is suspected of working for Iran's Ministry of Intelligence.", [("suspects", N, "Ministry of Intelligence", "suspected")]),
("The same vulnerability was later exploited by ransomware gangs and by Chinese state actors alike.", [("asserts", N, "Chinese", N)]),
("Two of the victims were defence contractors in South Korea and Japan, according to Kaspersky.", []),
# ---- half B
("Russian-speaking members of the forum offered to buy access to Ukrainian government networks.", []),
("Vice Society's ransom notes list victims in Mexico and Colombia.", []),
("Lazarus Group has been observed using the AppleJeus malware against cryptocurrency firms in South Korea.", []),
("The AppleJeus malware has been attributed to Lazarus Group.", []),
("Google's Threat Analysis Group attributed the phishing campaign to APT31, a group linked to the Chinese government.", [("asserts", "Google's Threat Analysis Group", "APT31", N), ("asserts", "Google's Threat Analysis Group", "Chinese government", N)]),
("The defenders blocked traffic from IP addresses in Iran and North Korea.", []),
("APT33 and APT35 both focus on the aviation sector, but they use different tooling.", []),
("Officials said they could not yet determine whether the attack came from Russia.", [("doubts", "Officials", "Russia", N)]),
("Moscow's embassy called the allegations of Russian hacking unfounded.", [("denies", "Moscow's embassy", "Russian", N)]),
("A joint advisory warned that actors sponsored by the Chinese state are exploiting network edge devices.", [("asserts", "A joint advisory", "Chinese state", N)]),
("Kimsuky's lures often impersonate South Korean government officials.", []),
("The tool is freely available on GitHub and has been used by APT29, FIN7 and several ransomware affiliates.", []),
("Some analysts see similarities between the attack and earlier operations by Sandworm Team, but the evidence is thin.", []),
("Conti threatened to leak the data unless the Costa Rican government paid.", []),
("Turla has been linked by the Estonian intelligence service to Russia's FSB.", [("asserts", "the Estonian intelligence service", "FSB", N)]),
("ESET attributes the Industroyer2 attack to Sandworm Team.", [("asserts", "ESET", "Sandworm Team", N)]),
("Dragonfly's implants were found on the networks of water utilities in the United States.", []),
("Israel and Iran have traded accusations of cyber attacks on each other's infrastructure for years.", []),
("The botnet was dismantled by the FBI and the Dutch police, who arrested two Russian nationals.", []),
("Symantec said the attackers were almost certainly working for the North Korean regime.", [("asserts", "Symantec", "North Korean regime", "almost certainly")]),
("It remains unclear whether APT10 was involved in the breach of the managed service provider.", [("doubts", N, "APT10", N)]),
("OilRig's malware communicates with servers hosted in Germany and Singapore.", []),
("North Korean IT workers posing as remote developers have been hired by Western companies.", []),
("APT29 is assessed by the NCSC to be almost certainly part of the SVR.", [("asserts", "NCSC", "SVR", "almost certainly")]),
("The attackers shared a Telegram channel with pro-Russian hacktivists, which suggests coordination but not control.", []),
("In 2017, the NotPetya malware spread from Ukraine to companies around the world.", []),
("The White House blamed the Russian military for the NotPetya attack.", [("asserts", "The White House", "Russian military", N)]),
("Citizen Lab found Pegasus spyware on the phones of journalists in Mexico.", []),
("The group describes itself as an Iranian hacktivist collective, a claim researchers have not verified.", []),
("Gamaredon Group has been attributed by Ukraine's SBU to the FSB's office in Crimea.", [("asserts", "Ukraine's SBU", "FSB", N)]),
("Like APT28, the new actor favours credential phishing against defence ministries.", []),
("BlackTech exploited a flaw in routers made by a Taiwanese vendor.", []),
("Chinese authorities accused the NSA of hacking a university in Xi'an.", [("asserts", "Chinese authorities", "NSA", N)]),
("Unlike Kimsuky, Andariel has carried out ransomware attacks for profit.", []),
("Analysts expect Iranian groups to step up attacks on Israeli targets if the conflict widens.", []),
("The outage was caused by a faulty software update, not by Russian hackers as first reported.", [("doubts", N, "Russian", N)]),
("The ransomware avoids systems with a Russian keyboard layout and demands payment in Bitcoin.", []),
("Recorded Future assesses that RedEcho is likely a Chinese state-sponsored group.", [("suspects", "Recorded Future", "Chinese", "likely")]),
("Members of APT28 were indicted by a US grand jury in 2018.", []),
("The hacktivist group Cyber Army of Russia Reborn claimed responsibility for the attacks on water facilities in Texas.", [("claims-responsibility", "Cyber Army of Russia Reborn", "Cyber Army of Russia Reborn", N)]),
]
out = []
for i, (text, claims) in enumerate(ROWS, 1):
    cl = [{"stance": s, "claimant": c, "target": t, "hedge": h} for (s, c, t, h) in claims]
    out.append({"id": hashlib.sha1(text.encode()).hexdigest()[:12], "doc": f"paraphrase:nearmiss-{i}",
                "split": "dev", "url": None, "date": "2026-11-30", "licence": LIC, "text": text,
                "stance": "claim" if cl else "none", "claims": cl})
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, '../../../crates/text/tests/data/claims-real/paraphrases-nearmiss.jsonl')
with open(path, 'w') as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(out), 'rows,', sum(len(r['claims']) for r in out), 'claims,', sum(1 for r in out if not r['claims']), 'without a claim')
