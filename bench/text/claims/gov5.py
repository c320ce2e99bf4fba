# Fifth batch of government sentences (wave 6c), read through the search tool's stored pages.
# Same form and rules as gov4.py: every key (agency-topic-year, the existing style) was fixed
# and hashed before its page was read; held-out-side keys were not read further and none of
# their text is used. Keys hashed to the held-out side and left unread:
# gov:eu-council-impl-reg-2020-1125, gov:cse-russia-gru-2018, gov:doj-apt31-2024,
# gov:treasury-apt31-2024, gov:cisa-aa23-144a, gov:cisa-aa22-110a, gov:cisa-aa21-200a,
# gov:uk-ncsc-apt29-covid-2020, gov:uk-ncsc-turla-2019, gov:uk-fcdo-gru-2018,
# gov:state-rfj-apt41-2020, gov:doj-apt41-2020-maly, gov:doj-mss-jiangsu-2018,
# gov:cccs-ncta-2025. Development-side keys hashed but not used: gov:cse-apt29-covid-2020
# (the Canadian release of the joint advisory whose UK key gov:uk-ncsc-apt29-covid-2020 hashed
# held-out: left out), gov:ca-gac-russia-2018 (a statement of the same day as the held-out-side
# gov:cse-russia-gru-2018: left out), gov:treasury-blender-2022, gov:state-rfj-gru-2020 (no
# time). The search tool shows page openings with its results: openings of other documents
# seen that way (the 2020 Canadian threat assessment, the 2022 "top CVEs" advisory, a 2025
# joint advisory on Chinese state-sponsored actors) were not hashed and are not used.
# Where the page is a republication (a news page quoting the statement), only the
# government's own words are used and the URL is that of the page read.
# Batch 6c-2 (same rules). Held-out-side keys left unread: gov:state-rfj-gru-unit-29155-2024,
# gov:state-rfj-irgc-ctrl-2024, gov:eu-council-decision-2020-1748,
# gov:eu-council-impl-reg-2020-1744, gov:uk-ncsc-sandworm-2019, gov:uk-fcdo-sanctions-cyber-2020,
# gov:doj-iranian-samsam-2018, gov:doj-kwampirs-2024, gov:treasury-garantex-2022,
# gov:treasury-trickbot-2023, gov:uk-fcdo-trickbot-2023, gov:treasury-emennet-pasargad-2021,
# gov:treasury-iran-mois-2019-apt39, gov:nsa-drovorub-2020, gov:nsa-gru-bruteforce-2021,
# gov:nsa-kitten-2020. Development-side keys hashed but not used: gov:doj-sandworm-olympic-2020
# and gov:doj-mss-hackers-2018-apt10-narrative (second names of the development documents
# gov:doj-gru-2020 and gov:doj-apt10-2018), gov:cisa-aa22-055a-b (a second name of
# gov:cisa-aa22-055a), gov:eu-council-decision-2019-797 (the twin of gov:eu-reg-2019-796),
# gov:treasury-apt39-2020 (the same Treasury action as the held-out-side key
# gov:treasury-iran-mois-2019-apt39, hashed first under a wrong year: left out),
# gov:state-rfj-apt40-2021, gov:state-rfj-lazarus-2019, gov:uk-ncsc-kimsuky-2023,
# gov:doj-cyberav3ngers-2024, gov:treasury-revil-2021 (no government text found or no time).
from gov import US
CA = "Open Government Licence - Canada 2.0"
DOCS = {
 "gov:cisa-aa21-321a": ("https://aha.org/fbi-tlp-alert/2021-11-17-joint-cyber-advisory-iranian-government-sponsored-apt-cyber-actors", "2021-11-17", US + "; the FBI/CISA/ACSC/NCSC joint advisory AA21-321A as reposted (also https://systemtek.co.uk/2021/11/joint-advisory-highlights-microsoft-exchange-and-fortinet-vulnerabilities/ for the advisory's own sentences)"),
 "gov:treasury-sinbad-2023": ("https://www.scmagazine.com/brief/lazarus-linked-cryptomixing-service-subjected-to-us-sanctions", "2023-11-29", US + "; only the Treasury's words quoted on the news pages are used (also https://communicationslitigationtoday.com/article/2023/11/30/ofac-sanctions-virtual-currency-mixer-sinbad-used-by-north-korean-hackers-2311290032)"),
 "gov:treasury-cyber-army-russia-2024": ("https://www.upi.com/Top_News/US/2024/07/19/Russian-hackers-CARR-sanctions/1241721404582/", "2024-07-19", US + "; only the Treasury's words quoted on the page are used"),
 "gov:cisa-aa20-258a": ("https://us-cert.cisa.gov/china", "2020-09-14", US + "; CISA's page on Chinese malicious cyber activity, its summaries of AA20-258A and the reports around it"),
 "gov:doj-apt3-boyusec-2017": ("https://www.fastcompany.com/40500664/doj-indicts-three-chinese-nationals-over-hacks-on-siemens-moodys-and-trimble", "2017-11-27", US + "; only the Acting US Attorney's and the Acting Assistant Attorney General's words quoted on the page are used (also http://www.financialexpress.com/industry/technology/us-charges-three-chinese-for-hacking-american-corporations/950981/)"),
 "gov:ca-gac-china-2021": ("https://archive.orkl.eu/e567016ace5c48be009828b74e8208248c6b8eff.json", "2021-07-19", CA + "; Global Affairs Canada statement as archived, and the ministers' words quoted on https://www.nationalobserver.com/2021/07/19/news/canada-blames-china-widespread-attack-email-servers"),
 "gov:cccs-ncta-2023": ("https://www.canada.ca/en/communications-security/news/2022/10/canadian-centre-for-cyber-security-releases-national-cyber-threat-assessment-2023-20242.html", "2022-10-28", CA + "; the CSE news release, and the assessment's key judgements on https://cyberwar.ro/publication/national-cyber-threat-assessment-2023-2024/"),
 "gov:cisa-aa22-158a": ("https://waterisac.org/portal/joint-cybersecurity-advisory-people%e2%80%99s-republic-china-state-sponsored-cyber-actors-exploit", "2022-06-07", US + "; only the advisory's sentences quoted on the pages are used (also https://www.dataprivacyandsecurityinsider.com/?p=11302 and https://njtoday.news/2022/08/27/us-security-agencies-accuse-communist-china-of-computer-system-exploitation/)"),
}
S = [
 ("gov:cisa-aa21-321a", "This joint cybersecurity advisory is the result of an analytic effort among the Federal Bureau of Investigation (FBI), the Cybersecurity and Infrastructure Security Agency (CISA), the Australian Cyber Security Centre (ACSC), and the United Kingdom’s National Cyber Security Centre (NCSC) to highlight ongoing malicious cyber activity by an advanced persistent threat (APT) group that FBI, CISA, ACSC, and NCSC assess is associated with the government of Iran.",
  [("asserts", "FBI, CISA, ACSC, and NCSC", "government of Iran", None)]),
 ("gov:cisa-aa21-321a", "FBI and CISA have observed this Iranian government-sponsored APT group exploit Fortinet vulnerabilities since at least March 2021 and a Microsoft Exchange ProxyShell vulnerability since at least October 2021 to gain initial access to systems in advance of follow-on operations, which include deploying ransomware.",
  [("asserts", "FBI and CISA", "Iranian government", None)]),
 ("gov:cisa-aa21-321a", "ACSC is also aware this APT group has used the same Microsoft Exchange vulnerability in Australia.", []),
 ("gov:cisa-aa21-321a", "FBI, CISA, ACSC, and NCSC assess the actors are focused on exploiting known vulnerabilities rather than targeting specific sectors.", []),
 ("gov:cisa-aa21-321a", "This advisory provides observed tactics and techniques, as well as indicators of compromise (IOCs) that FBI, CISA, ACSC, NCSC assess are likely associated with this Iranian government-sponsored APT activity.",
  [("suspects", "FBI, CISA, ACSC, NCSC", "Iranian government", "likely")]),
 ("gov:cisa-aa21-321a", "An Iranian actor, assessed to be government sponsored, is exploiting known CVEs against multiple sectors.",
  [("asserts", None, "Iranian", None)]),
 ("gov:cisa-aa21-321a", "In May 2021, these Iranian government-sponsored APT actors exploited a Fortigate appliance to access a webserver hosting the domain for a U.S. municipal government.",
  [("asserts", None, "Iranian government", None)]),
 ("gov:cisa-aa21-321a", "The actors likely created an account with the username elie to further enable malicious activity.", []),
 ("gov:treasury-sinbad-2023", "“Mixing services that enable criminal actors, such as the Lazarus Group, to launder stolen assets will face serious consequences,” said Deputy Treasury Secretary Wally Adeyemo.", []),
 ("gov:treasury-sinbad-2023", "OFAC said Sinbad has processed millions of dollars’ worth of virtual currency from Lazarus Group heists.",
  [("asserts", "OFAC", "Lazarus Group", None)]),
 ("gov:treasury-cyber-army-russia-2024", "\"CARR and its members' efforts to target our critical infrastructure represent an unacceptable threat to our citizens and our communities, with potentially dangerous consequences,\" Brian E. Nelson, the Treasury's under-secretary of terrorism and financial intelligence, said in a statement.",
  [("asserts", "Brian E. Nelson", "CARR", None)]),
 ("gov:treasury-cyber-army-russia-2024", "\"The United States has and will continue to take action using our full range of tools to hold accountable these and other individuals for their malicious cyber activities.\"", []),
 ("gov:treasury-cyber-army-russia-2024", "\"This designation follows several other recent U.S. Treasury actions to combat Russia-based cyber criminals,\" the Treasury said.", []),
 ("gov:cisa-aa20-258a", "On September 14, 2020, CISA and the Federal Bureau of Investigation (FBI) issued an advisory about Chinese Ministry of State Security (MSS)-affiliated cyber threat actors targeting U.S. government agencies.",
  [("asserts", "CISA and the Federal Bureau of Investigation (FBI)", "Chinese Ministry of State Security (MSS)", None)]),
 ("gov:cisa-aa20-258a", "CISA has consistently observed Chinese MSS-affiliated cyber threat actors using publicly available information sources and common, well-known tactics, techniques, and procedures (TTPs) to target U.S. Government agencies.",
  [("asserts", "CISA", "Chinese MSS", None)]),
 ("gov:cisa-aa20-258a", "This advisory identifies some of the more common TTPs employed by cyber threat actors, including those affiliated with the Chinese MSS.",
  [("asserts", None, "Chinese MSS", None)]),
 ("gov:cisa-aa20-258a", "On August 3, 2020, CISA, the FBI, and the Department of Defense (DoD) released Malware Analysis Report MAR-10292089-1.v1, which states that Chinese government actors are using malware variants in conjunction with proxy servers to maintain a presence on victim networks and to further network exploitation.",
  [("asserts", "Malware Analysis Report MAR-10292089-1.v1", "Chinese government", None)]),
 ("gov:cisa-aa20-258a", "On May 13, 2020, CISA and the FBI issued a Public Service Announcement warning organizations researching COVID-19 of likely targeting and attempted network compromise by the People’s Republic of China (PRC).",
  [("suspects", "CISA and the FBI", "People’s Republic of China (PRC)", "likely")]),
 ("gov:cisa-aa20-258a", "Healthcare, pharmaceutical, and research sectors working on the COVID-19 response should all be aware they are the prime targets of this activity and take the necessary steps to protect their systems.", []),
 ("gov:doj-apt3-boyusec-2017", "“These conspirators masked their criminal conspiracy by exploiting unwitting computers, called ‘hop points,’ conducting ‘spearphish’ email campaigns to gain unauthorized access to corporate computers, and deploying malicious code to infiltrate the victim computer networks,” said acting U.S. Attorney Soo C. Song, of the Western District of Pennsylvania, in a statement.", []),
 ("gov:doj-apt3-boyusec-2017", "“The Justice Department is committed to pursuing the arrest and prosecution of these hackers, no matter how long it takes, and we have a long memory,” said Dana Boente, acting assistant attorney general for national security, on Monday.", []),
 ("gov:doj-apt3-boyusec-2017", "“Once again, the Justice Department and the FBI have demonstrated that hackers around the world who are seeking to steal our companies’ most sensitive and valuable information can and will be exposed and held accountable,” said Acting Assistant Attorney General Dana Boente.", []),
 ("gov:ca-gac-china-2021", "“Today, Canada joins its allies in identifying People's Republic of China’s (PRC) state-backed actors for the unprecedented and indiscriminate exploitation of Microsoft exchange servers.",
  [("asserts", "Canada", "People's Republic of China’s (PRC)", None)]),
 ("gov:ca-gac-china-2021", "“In early March 2021, Microsoft disclosed vulnerabilities in its exchange servers that were exploited by state actors.", []),
 ("gov:ca-gac-china-2021", "This activity put several thousand Canadian entities at risk—a risk that persists in some cases even when patches from Microsoft have been applied.", []),
 ("gov:ca-gac-china-2021", "“Canada is confident that the PRC’s Ministry of State Security (MSS) is responsible for the widespread compromising of the exchange servers.",
  [("asserts", "Canada", "Ministry of State Security (MSS)", None)]),
 ("gov:ca-gac-china-2021", "“Canada believes it is highly likely that this cyber activity was intended to gain access to networks worldwide for the theft of intellectual property and to acquire vast quantities of personally identifiable information.", []),
 ("gov:ca-gac-china-2021", "“APT 40 almost certainly consists of elements of the Hainan State Security Department’s regional MSS office,” they said.",
  [("asserts", "they", "Hainan State Security Department’s regional MSS office", "almost certainly")]),
 ("gov:ca-gac-china-2021", "“This group’s cyber activities targeted critical research in Canada’s defence, ocean technologies and biopharmaceutical sectors in separate malicious cyber campaigns in 2017 and 2018.", []),
 ("gov:ca-gac-china-2021", "“These actors are highly sophisticated and have demonstrated an ability to achieve sustained, covert access to Canadian and allied networks beyond the compromising of Microsoft exchange servers,” Garneau said in a statement.", []),
 ("gov:cccs-ncta-2023", "The Canadian Centre for Cyber Security (Cyber Centre) has released its National Cyber Threat Assessment 2023-2024, alerting that state sponsored and financially motivated cyber threats are increasingly likely to affect Canadians, and that foreign threat actors are attempting to influence Canadians through use of misinformation, disinformation and malinformation in online spaces.", []),
 ("gov:cccs-ncta-2023", "The Cyber Centre has assessed that state-sponsored cyber threat activity is impacting Canadians, with state actors targeting diaspora populations and activists in Canada, Canadian organizations and their intellectual property for espionage and individuals for financial gain.", []),
 ("gov:cccs-ncta-2023", "Cybercriminals deploying ransomware have evolved in a growing and sophisticated cybercrime ecosystem and will continue to adapt to maximize profits.", []),
 ("gov:cccs-ncta-2023", "State-sponsored actors target critical infrastructure to collect information through espionage, to pre-position in case of future hostilities, and as a form of power projection and intimidation.", []),
 ("gov:cisa-aa22-158a", "CISA, the National Security Agency (NSA), and the Federal Bureau of Investigation (FBI) have released a joint Cybersecurity Advisory (CSA) to provide information on ways in which People’s Republic of China (PRC) state-sponsored cyber actors continue to exploit publicly known vulnerabilities in order to establish a broad network of compromised infrastructure across public and private sector organizations.",
  [("asserts", "CISA, the National Security Agency (NSA), and the Federal Bureau of Investigation (FBI)", "People’s Republic of China (PRC)", None)]),
 ("gov:cisa-aa22-158a", "The advisory details PRC state-sponsored targeting and compromise of major telecommunications companies and network service providers.",
  [("asserts", None, "PRC", None)]),
 ("gov:cisa-aa22-158a", "The NSA, CISA, and FBI have observed state-sponsored cyber actors monitoring network defenders’ accounts and actions, and then modifying their ongoing campaign as needed to remain undetected.", []),
 ("gov:cisa-aa22-158a", "PRC state-sponsored cyber actors often mix their customized toolset with publicly available tools, especially by leveraging tools that are native to the network environment, to obscure their activity by blending into the noise or normal activity of a network.",
  [("asserts", None, "PRC", None)]),
 ("gov:cisa-aa22-158a", "“The advisory highlights how People’s Republic of China (PRC) actors have targeted and compromised major telecommunications companies and network service providers primarily by exploiting publicly known vulnerabilities,” the agencies said.",
  [("asserts", "The advisory", "People’s Republic of China (PRC)", None)]),
]
DOCS.update({
 "gov:fbi-apt39-2020": ("https://www.fbi.gov/contact-us/field-offices/boston/news/press-releases/fbi-releases-cybersecurity-advisory-on-previously-undisclosed-iranian-malware-used-to-monitor-dissidents-and-travel-and-telecommunications-companies", "2020-09-17", US),
 "gov:nsa-sandworm-exim-2020": ("https://www.cbsnews.com/amp/news/national-security-agency-cyberattack-sandworm-russia-hackers/", "2020-05-28", US + "; only the NSA advisory's words quoted on the page are used"),
 "gov:doj-revil-2021": ("https://meritalk.com/articles/doj-busts-revil-ring-players-for-kaseya-ransomware-attack", "2021-11-08", US + "; only the DOJ's and the Attorney General's words quoted on the page are used (also https://www.usatoday.com/story/news/politics/2021/11/08/doj-indicts-ukrainian-russian-men-alleged-ransomware-attacks/6338404001/)"),
 "gov:doj-trickbot-2023": ("https://healthitsecurity.com/news/doj-charges-trickbot-conti-cybercriminals-known-for-targeting-critical-infrastructure", "2023-09-07", US + "; only the Attorney General's words and the DOJ's sentence quoted on the pages are used (also https://siliconangle.com/2023/09/08/new-charges-filed-trickbot-ransomware-gang)"),
})
S += [
 ("gov:fbi-apt39-2020", "Today, the Federal Bureau of Investigation released a new cybersecurity advisory to academic, public, and private sector partners across the country about previously undisclosed malware attributed to Iranian nation state actors publicly known as Advanced Persistent Threat 39 (APT 39), Chafer, Remexi, Cadelspy, or ITG07.",
  [("asserts", "the Federal Bureau of Investigation", "Iranian", None), ("asserts", "the Federal Bureau of Investigation", "Advanced Persistent Threat 39 (APT 39)", None)]),
 ("gov:fbi-apt39-2020", "Masked behind its front company, Rana Intelligence Computing Company (Rana), the Government of Iran’s Ministry of Intelligence and Security (MOIS) has employed a years-long malware campaign that targeted and monitored Iranian citizens, dissidents, and journalists, the government networks of Iran’s neighboring countries, and foreign organizations in the travel, academic, and telecommunications sectors.",
  [("asserts", None, "Ministry of Intelligence and Security (MOIS)", None)]),
 ("gov:fbi-apt39-2020", "Some of these individuals were subjected to arrest and both physical and psychological intimidation.", []),
 ("gov:fbi-apt39-2020", "Through Rana, the MOIS also targeted some of the world’s largest travel services companies based here in the U.S. which store the records of millions of travelers.",
  [("asserts", None, "MOIS", None)]),
 ("gov:fbi-apt39-2020", "In the advisory, the FBI is releasing eight separate and distinct sets of malware used by Rana (MOIS) to conduct their computer intrusion activities.", []),
 ("gov:fbi-apt39-2020", "Until now, most of these technical indicators have never been publicly discussed, nor attributed to the MOIS by the U.S. government.", []),
 ("gov:nsa-sandworm-exim-2020", "\"The Russian actors … have used this exploit to add privileged users, disable network security settings, execute additional scripts for further network exploitation; pretty much any attacker's dream access – as long as that network is using an unpatched version of Exim MTA,\" the advisory said.",
  [("asserts", "the advisory", "Russian", None)]),
 ("gov:nsa-sandworm-exim-2020", "\"When the patch was released last year, Exim urged its users to update to the latest version. NSA adds its encouragement to immediately patch to mitigate against this still current threat,\" it said.", []),
 ("gov:doj-revil-2021", "“Vasinskyi and Polyanin accessed the internal computer networks of several victim companies and deployed Sodinokibi/REvil ransomware to encrypt the data on the computers of victim companies,” DoJ alleged.", []),
 ("gov:doj-revil-2021", "“Cybercrime is a serious threat to our country: to our personal safety, to the health of our economy, and our national security,” commented Attorney General Merrick Garland.", []),
 ("gov:doj-revil-2021", "“Vasinskyi’s arrest demonstrates how quickly we will act alongside our international partners to identify, locate and apprehend alleged cybercriminals, no matter where they are located,” Garland said.", []),
 ("gov:doj-trickbot-2023", "“The Justice Department has taken action against individuals we allege developed and deployed a dangerous malware scheme used in cyberattacks on American school districts, local governments, and financial institutions,” said Attorney General Merrick B. Garland.", []),
 ("gov:doj-trickbot-2023", "“Trickbot has since evolved into a highly modular malware suite that enables a variety of malicious cyber activities, including ransomware,” according to the U.S. Justice Department blog post describing the operation.", []),
]
