# Third batch of government sentences (wave 5), read through the search tool's stored pages.
# Same form as gov.py / gov2.py. Only documents whose key's SHA-1 puts them on the
# development side were read for this batch: every key was fixed (agency-topic-year,
# the existing style) and hashed before its page was read, and the documents whose
# key fell on the held-out side were left unread (gov:treasury-irgc-cec-2024,
# gov:state-irgc-2022, gov:ncsc-gru-2018, gov:fcdo-gru-2018, gov:doj-apt41-2020,
# gov:uk-ddos-ukraine-2022, gov:treasury-apt31-2024, gov:doj-apt31-2024,
# gov:fbi-cisa-volt-typhoon-2024, gov:doj-sandworm-2020). Where the page is a
# republication, only the government's own words quoted on it are used.
from gov import US
OPL = "Open Parliament Licence v3.0 (Hansard, Parliamentary copyright)"
DOCS = {
 "gov:doj-apt10-2018": ("https://www.justice.gov/opa/speech/deputy-attorney-general-rod-j-rosenstein-announces-charges-against-chinese-hackers", "2018-12-20", US),
 "gov:uk-apt31-2024": ("https://hansard.parliament.uk/Lords/2024-03-26/debates/3C165BE7-0897-48E9-9D3A-AE9F88F84CF6/details", "2024-03-26", OPL + "; the Commons statement of 25 March 2024 (Deputy Prime Minister) as repeated in the Lords"),
 "gov:whitehouse-china-2021": ("https://www.whitehouse.gov/briefing-room/press-briefings/2021/07/19/background-press-call-by-senior-administration-officials-on-malicious-cyber-activity-attributable-to-the-peoples-republic-of-china/", "2021-07-18", US),
 "gov:treasury-irgc-cec-2024-04": ("https://rudaw.net/english/world/23042024", "2024-04-23", US + "; only the Treasury statement and the Under Secretary's words quoted on the page are used"),
 "gov:doj-pla-61398-2014": ("http://it-lex.org/doj-charges-five-chinese-military-hackers-cyber-espionage/", "2014-05-19", US + "; only the Assistant Attorney General's words quoted on the page are used"),
 "gov:doj-apt27-isoon-2025": ("https://yugamradio.ca/12-chinese-nationals-charged-with-hacking-u-s-treasury-and-others-justice-department", "2025-03-05", US + "; only the US Attorney's words quoted on the page are used"),
}
S = [
 ("gov:doj-apt10-2018", "I am honored to be joined by FBI Director Chris Wray, National Security Division Assistant Attorney General John Demers, and Southern District of New York U.S. Attorney Geoffrey Berman.", []),
 ("gov:doj-apt10-2018", "Today, the Department of Justice is announcing a criminal indictment of two computer hackers associated with the Chinese government.", [("asserts", "the Department of Justice", "Chinese government", None)]),
 ("gov:doj-apt10-2018", "The charges include conspiracy to commit computer intrusions against dozens of companies in the United States and around the world.", []),
 ("gov:doj-apt10-2018", "As with all American criminal charges, individual defendants are presumed innocent unless proven guilty in a court of law.", []),
 ("gov:doj-apt10-2018", "This case is significant because the defendants are accused of targeting and compromising Managed Service Providers, or MSPs.", []),
 ("gov:doj-apt10-2018", "MSPs are firms that other companies trust to store, process, and protect commercial data, including intellectual property and other confidential business information.", []),
 ("gov:doj-apt10-2018", "When hackers gain access to MSPs, they can steal sensitive business information that gives competitors an unfair advantage.", []),
 ("gov:doj-apt10-2018", "The indictment alleges that defendants worked for a group known to cyber security experts as APT-10.", [("asserts", "The indictment", "APT-10", None)]),
 ("gov:doj-apt10-2018", "These groups are designated as APTs, or Advanced Persistent Threats, because they use malware to gain access to computer networks and exfiltrate data over an extended period of time.", []),
 ("gov:doj-apt10-2018", "These defendants allegedly compromised MSP clients in at least a dozen countries.", []),
 ("gov:doj-apt10-2018", "The victims included companies in banking and finance, telecommunications and consumer electronics, medical equipment, packaging, manufacturing, consulting, healthcare, biotechnology, automotive, oil and gas exploration, and mining.", []),
 ("gov:doj-apt10-2018", "The defendants allegedly committed these crimes in association with a Chinese intelligence service known as the Ministry of State Security.", [("asserts", None, "Ministry of State Security", "allegedly")]),
 ("gov:uk-apt31-2024", "With permission, I will make a Statement about malicious cyber activity targeting the United Kingdom by actors that we assess are affiliated to the Chinese state.", [("asserts", "we", "Chinese state", None)]),
 ("gov:uk-apt31-2024", "I want to update the House on our assessment of this activity and to reassure it on the steps that the Government have taken to shore up our resilience and hold those actors to account.", []),
 ("gov:uk-apt31-2024", "I know that right honourable and honourable Members on both sides of the Chamber will recognise the seriousness of this issue, particularly in a year when so many democratic elections will be taking place around the world.", []),
 ("gov:uk-apt31-2024", "Members will want to be reassured that the Government are taking steps to address the associated threat.", []),
 ("gov:uk-apt31-2024", "I can confirm today that Chinese state-affiliated actors were responsible for two malicious cyber campaigns targeting both our democratic institutions and parliamentarians by, first, compromising the United Kingdom’s Electoral Commission between 2021 and 2022, as was announced last summer, and secondly, by attempting reconnaissance activity against UK parliamentary accounts in a separate campaign in 2021.", [("asserts", "I", "Chinese", None)]),
 ("gov:uk-apt31-2024", "Later today, a number of our international partners, including the United States, will issue similar statements to expose this activity and to hold China to account for the ongoing patterns of hostile activity targeting our collective democracies.", [("asserts", "a number of our international partners, including the United States", "China", None)]),
 ("gov:uk-apt31-2024", "Mr Speaker, you and parliamentary security have already been briefed on this activity.", []),
 ("gov:uk-apt31-2024", "We want now to be as open as possible with the House and with the British public, because part of our defence is in calling out this behaviour.", []),
 ("gov:uk-apt31-2024", "This is the latest in a clear pattern of hostile activity originating in China, including the targeting of democratic institutions and parliamentarians in the United Kingdom and beyond.", [("asserts", None, "China", None)]),
 ("gov:whitehouse-china-2021", "The United States has long been concerned about the People’s Republic of China’s irresponsible and destabilizing behavior in cyberspace.", []),
 ("gov:whitehouse-china-2021", "Tomorrow, the U.S. and our allies and partners are exposing further details of the PRC’s pattern of malicious cyber activities and taking further action to counter it, as it poses a major threat to the U.S. and allies’ economic and national security.", [("asserts", "the U.S. and our allies and partners", "PRC", None)]),
 ("gov:whitehouse-china-2021", "The PRC’s pattern of irresponsible behavior in cyberspace is inconsistent with its stated objective of being seen as a responsible leader in the world.", []),
 ("gov:whitehouse-china-2021", "Tomorrow, countries around the world are making it clear that concerns regarding the PRC’s malicious cyber activity is bringing them together to call out those activities, promote network defense and cybersecurity, and act to disrupt threats to our economies and national security.", [("asserts", "countries around the world", "PRC", None)]),
 ("gov:treasury-irgc-cec-2024-04", "Today, the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC) sanctioned two companies and four individuals involved in malicious cyber activity on behalf of the Iranian Islamic Revolutionary Guard Corps Cyber Electronic Command (IRGC-CEC).", [("asserts", "the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC)", "Islamic Revolutionary Guard Corps Cyber Electronic Command", None)]),
 ("gov:treasury-irgc-cec-2024-04", "These actors targeted more than a dozen U.S. companies and government entities through cyber operations, including spear phishing and malware attacks.", []),
 ("gov:treasury-irgc-cec-2024-04", "In conjunction with today’s action, the U.S. Department of Justice and the Federal Bureau of Investigation is unsealing an indictment against the four individuals for their roles in cyber activity targeting U.S. entities.", []),
 ("gov:treasury-irgc-cec-2024-04", "Iranian malicious cyber actors continue to target U.S. companies and government entities in a coordinated, multi-pronged campaign intended to destabilize our critical infrastructure and cause harm to our citizens.", [("asserts", None, "Iranian", None)]),
 ("gov:doj-pla-61398-2014", "The threat is from members of unit 61398 of the Chinese military, who have targeted the U.S. private sector for commercial advantage.", [("asserts", None, "unit 61398", None)]),
 ("gov:doj-pla-61398-2014", "We allege that members of unit 61398 conspired to hack into computers of six U.S. victims to steal information that would provide an economic advantage to the victims’ competitors, including Chinese state-owned enterprises.", [("asserts", "We", "unit 61398", None)]),
 ("gov:doj-pla-61398-2014", "This indictment describes, with particularity, specific actions on specific days by specific actors to use their computers to steal information from across our economy.", []),
 ("gov:doj-pla-61398-2014", "It describes how they targeted information in industries ranging from nuclear, to steel, to renewable energy.", []),
 ("gov:doj-apt27-isoon-2025", "The defendants in these cases have been hacking for the Chinese government for years, and these indictments lay out the strong evidence showing their criminal wrongdoing.", [("asserts", None, "Chinese government", None)]),
 ("gov:doj-apt27-isoon-2025", "We, again, demand that the Chinese government put a stop to these brazen cyber criminals who are targeting victims across the globe and then monetizing the data they have stolen by selling it across China.", []),
]
