# CERT-EU Cyber Briefs (executive summaries), wave 5. Licence CC BY 4.0: "CERT-EU, The
# Cybersecurity Service for the European Union institutions, bodies, offices and agencies"
# (https://creativecommons.org/licenses/by/4.0/; restrictions: https://cert.europa.eu/legal-notice).
# Only briefs whose key's SHA-1 puts them on the development side are used: the keys
# certeu:cb24-04, cb24-09, cb24-12, cb25-04 (dev) were used; cb23-04, cb23-05, cb23-06,
# cb24-01, cb24-02, cb24-05, cb24-07, cb24-08, cb25-01, cb25-03 and cb23-11/cb23-12 hashed
# held-out and are not used. Sentences as read (Markdown emphasis kept where the page was
# the Markdown rendering); the bullet and heading markers of the page are not part of them.
CCBY = "CC BY 4.0 (CERT-EU, the Cybersecurity Service for the Union institutions, bodies, offices and agencies)"
DOCS = {
 "certeu:cb24-04": ("https://cow-prod-www-v3.azurewebsites.net/publications/threat-intelligence/cb24-04/markdown", "2024-04-03", CCBY),
 "certeu:cb24-09": ("https://cow-prod-www-v3.azurewebsites.net/publications/threat-intelligence/cb24-09", "2024-09-04", CCBY),
 "certeu:cb24-12": ("https://cow-prod-www-v3.azurewebsites.net/publications/threat-intelligence/cb24-12/markdown", "2024-12-03", CCBY),
 "certeu:cb25-04": ("https://cow-prod-www-v3.azurewebsites.net/publications/threat-intelligence/cb25-04/markdown", "2025-04-02", CCBY),
}
S = [
 ("certeu:cb24-04", "Relating to **cyber policy and law enforcement**, in Europe the Council presidency and the European Parliament reached an agreement on the Cyber Solidarity Act to enhance EU cyber resilience and cooperation, and Germany dismantled two major darknet platforms, Crimemarket and Nemesis.", []),
 ("certeu:cb24-04", "The UN General Assembly adopted a resolution to balance AI development with human rights protections while the US introduced legislation mandating the labelling of AI-generated content.", []),
 ("certeu:cb24-04", "The US sanctioned individuals and entities involved in cyberespionage and disinformation campaigns, including those from China, Russia, and associated with Predator spyware.", [("asserts", "The US", "China", None), ("asserts", "The US", "Russia", None)]),
 ("certeu:cb24-04", "On the **cyberespionage** front, supposedly Russia and China linked threat actors were active in Europe.", [("asserts", None, "Russia", "supposedly"), ("asserts", None, "China", "supposedly")]),
 ("certeu:cb24-04", "One of the attacks was the targeting of German political parties by the APT29 threat actor.", [("asserts", None, "APT29", None)]),
 ("certeu:cb24-04", "On the global level, cybersecurity companies and governments reported cyberespionage operations by allegedly Chinese, Russian, Iranian, North Korean threat actors as well as from private sector offensive actors (PSOAs).", [("asserts", "cybersecurity companies and governments", "Chinese", "allegedly"), ("asserts", "cybersecurity companies and governments", "Russian", "allegedly"), ("asserts", "cybersecurity companies and governments", "Iranian", "allegedly"), ("asserts", "cybersecurity companies and governments", "North Korean", "allegedly")]),
 ("certeu:cb24-04", "Relating to **cybercrime**, in Europe, the the most active operations have been Lockbit3, Ragroup, Cactus, 8Base, Play, and Qilin, while the most targeted sectors have been manufacturing, retail, technology, hospitality, and healthcare.", []),
 ("certeu:cb24-04", "Regarding **disruptive** activity, in late March over 1.600 planes experienced GPS interference over the Baltic Sea region.", []),
 ("certeu:cb24-09", "Relating to cyber policy and law enforcement, in Europe, the CEO of Telegram was temporarily detained in France, Switzerland joined two European cybersecurity initiatives, and a joint law enforcement operation led to the seizure of Dispossessor ransomware servers.", []),
 ("certeu:cb24-09", "Proton VPN allowed users to camouflage their VPN apps as weather apps to avoid detection by authoritarian regimes.", []),
 ("certeu:cb24-09", "Elsewhere, China introduced a national internet ID and Shanghai Spacecom launched the G60 satellite a competitor for Starlink.", []),
 ("certeu:cb24-09", "A US resident admitted to operating as a Chinese agent in a US telecommunications company, and the US government offered a reward for information about Iranian threat actor Cyber Av3ngers.", [("asserts", None, "Chinese", None), ("asserts", None, "Iranian", None)]),
 ("certeu:cb24-09", "On the cyberespionage front, Russia-linked Coldriver targeted Russian opposition figures in exile as well as Western civil society, and APT29 targeted Mongolian governmental websites.", [("asserts", None, "Russia", None)]),
 ("certeu:cb24-09", "The UK realised that components of its nuclear submarine software were partially designed in Russia and Belarus, highlighting the supply-chain risk to UK national security.", []),
 ("certeu:cb24-09", "Iran-linked Peach Sandstorm targeted satellite and governmental entities in the US and UAE, while Iran-linked APT42 targeted US and Israeli influential figures with phishing.", [("asserts", None, "Iran", None)]),
 ("certeu:cb24-09", "Relating to cybercrime, in Europe, the most active ransomware operations were Ransomhub, Blacksuit, Bianlian, Lynxblog, and Play, while the most targeted sectors were technology, manufacturing, healthcare, construction & engineering, and legal & professional services.", []),
 ("certeu:cb24-09", "As regards data exposure, data allegedly belonging to 3,2 million Belgian WhasApp users was put up for sale on an underground forum.", []),
 ("certeu:cb24-09", "Amid the US election, a reportedly Iran-linked hack-and-leak revealed data from the Trump Presidential election campaign.", [("asserts", None, "Iran", "reportedly")]),
 ("certeu:cb24-12", "Relating to **cyber policy and law enforcement**, Germany announced plans to legislate responsible vulnerability disclosure, while global operations dismantled cybercriminal infrastructures.", []),
 ("certeu:cb24-12", "Interpol's Serengeti operation led to 1.006 arrests in Africa, and China took measures to expand data oversight.", []),
 ("certeu:cb24-12", "On the **cyberespionage** front, in Europe, the Russia-linked threat actor APT28 compromised Ukrainian Wi-Fi networks near their targets for covert access.", [("asserts", None, "Russia", None)]),
 ("certeu:cb24-12", "China-linked threat actors leveraged exploits and targeted telecommunications globally.", [("asserts", None, "China", None)]),
 ("certeu:cb24-12", "Relating to **cybercrime**, in Europe, the most active ransomware operations were Ransomhub, KillSecurity, and Play while the most targeted sectors were technology, manufacturing, and healthcare.", []),
 ("certeu:cb24-12", "Relating to **disruption**, DDoS attacks spurred financial institutions to issue preparedness advisories.", []),
 ("certeu:cb24-12", "These incidents underscore heightened security risks amid geopolitical tensions.", []),
 ("certeu:cb24-12", "As regards **data exposure and leaks** incidents, several significant breaches exposed sensitive data, with pro-Russia actors targeting German institutions and healthcare sectors.", []),
 ("certeu:cb24-12", "Financial and telecom firms like Finastra also reported significant incidents.", []),
 ("certeu:cb25-04", "Europol, Finnish, German and US authorities seized servers linked to Garantex, a cryptocurrency exchange, which was reportedly being used to evade sanctions on Russia.", []),
 ("certeu:cb25-04", "Spanish authorities indicted NSO group executives over Pegasus spyware allegations.", []),
 ("certeu:cb25-04", "The US Defense Secretary reportedly ordered Cyber Command to stand down on Russia planning.", []),
 ("certeu:cb25-04", "Pro-Russia actors have reportedly recruited individuals through Telegram to conduct sabotage and espionage activities.", []),
 ("certeu:cb25-04", "China-linked Silk Typhoon reportedly targeted IT supply-chains to conduct cyberespionage on downstream customers and Ant Weaver reportedly infiltrated an Asian telecommunications company for four years.", [("asserts", None, "China", None)]),
 ("certeu:cb25-04", "Strela stealer was used in the targeting of European e-mail accounts in a widespread phishing campaign.", []),
 ("certeu:cb25-04", "North Korea-linked Lazarus group deployed six new fake npm packages that compromise developer environments to engage in cryptocurrency theft.", [("asserts", None, "North Korea", None)]),
 ("certeu:cb25-04", "Researchers at a company behind an open-source scanner reported nearly 12.000 API keys and passwords exposed in an AI training dataset, including AWS and MailChimp API keys.", []),
 ("certeu:cb25-04", "Ukraine’s state railway operator experienced a cyberattack disrupting access to online ticket sales and its mobile app.", []),
 ("certeu:cb25-04", "Social media platform X experienced DDoS attacks claimed by pro-Palestine supposed hacktivist group Dark Storm.", [("claims-responsibility", "Dark Storm", "Dark Storm", None)]),
]
