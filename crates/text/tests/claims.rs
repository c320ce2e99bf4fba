//! Hand-written attribution sentences, with negatives, on a small vocabulary.

use ascribe_text::{extract, Document, ExtractOptions, SourceKind, Stance, Vocabulary};

fn vocab() -> Vocabulary {
    let mut v = Vocabulary::new();
    v.add_actor("G0007", "APT28");
    v.add_actor("G0007", "Fancy Bear");
    v.add_actor("G0016", "APT29");
    v.add_actor("G0032", "Lazarus Group");
    v.add_actor("misp:sandworm", "Sandworm");
    // state organisations come in as actors with a `state-org:` id (as the CLI builds them)
    v.add_actor("state-org:ru-gru", "GRU");
    v.add_actor("state-org:ru-gru", "Main Intelligence Directorate");
    v.add_actor("state-org:kp-rgb", "Reconnaissance General Bureau");
    v.add_default_countries();
    v
}

fn claims(text: &str) -> Vec<(Option<String>, Stance, String)> {
    let doc = Document::from_text(None, text);
    extract(&doc, &vocab(), &ExtractOptions::default())
        .claims
        .into_iter()
        .map(|c| {
            (
                c.source.map(|s| s.name),
                c.stance,
                c.target.ids.first().cloned().unwrap_or(c.target.surface),
            )
        })
        .collect()
}

fn one(text: &str) -> (Option<String>, Stance, String) {
    let c = claims(text);
    assert_eq!(c.len(), 1, "{text}\n{c:#?}");
    c.into_iter().next().unwrap()
}

#[test]
fn company_attributes_to_actor() {
    assert_eq!(
        one("Mandiant attributed the intrusion to APT28 with high confidence."),
        (Some("Mandiant".into()), Stance::Asserts, "G0007".into())
    );
    let doc = Document::from_text(
        None,
        "Mandiant attributed the intrusion to APT28 with high confidence.",
    );
    let c = &extract(&doc, &vocab(), &ExtractOptions::default()).claims[0];
    assert_eq!(c.source.as_ref().unwrap().kind, SourceKind::Company);
    assert!(c.qualifiers.iter().any(|q| q == "high confidence"));
}

#[test]
fn government_blames_country() {
    assert_eq!(
        one("The NCSC blamed Russia for the attack on the grid."),
        (Some("NCSC".into()), Stance::Asserts, "RU".into())
    );
}

#[test]
fn passive_with_by() {
    assert_eq!(
        one("According to CrowdStrike, the campaign was carried out by Fancy Bear."),
        (Some("CrowdStrike".into()), Stance::Asserts, "G0007".into())
    );
}

#[test]
fn suspicion_with_hedge() {
    let doc = Document::from_text(
        None,
        "Researchers at ESET suspect that Sandworm may be responsible for the outage.",
    );
    let x = extract(&doc, &vocab(), &ExtractOptions::default());
    let c = &x.claims[0];
    assert_eq!(c.stance, Stance::Suspects);
    assert_eq!(c.target.ids, vec!["misp:sandworm".to_string()]);
    assert!(c.hedges.iter().any(|h| h == "may"));
}

#[test]
fn denial_by_country() {
    assert_eq!(
        one("Moscow denied any involvement in the hacking of the election."),
        (Some("Russia".into()), Stance::Denies, "RU".into())
    );
}

#[test]
fn person_doubt_with_pronoun() {
    let c = claims(
        "Jane Smith, a researcher at Kaspersky, studied the samples. She doubts that Lazarus Group is behind the theft, \
         saying it could be a false flag.",
    );
    assert_eq!(
        c,
        vec![(Some("Jane Smith".into()), Stance::Doubts, "G0032".into())]
    );
}

#[test]
fn group_claims_responsibility() {
    assert_eq!(
        one("A group calling itself Cyber Caliphate claimed responsibility for the defacement."),
        (
            Some("Cyber Caliphate".into()),
            Stance::ClaimsResponsibility,
            "Cyber Caliphate".into()
        )
    );
}

#[test]
fn negatives_produce_no_claims() {
    for text in [
        // no attribution verb
        "APT28 and APT29 are both tracked by Microsoft.",
        // victim, not a claim
        "North Korea was hit by a large DDoS attack last week.",
        // negated responsibility claim
        "No group has claimed responsibility for the attack so far.",
        // neither confirm nor deny
        "Iran would neither confirm nor deny the report.",
        // cue without a target
        "The FBI attributed the breach to an unknown party.",
        // words that look like cues in other senses
        "The company blamed the weather for the delay.",
    ] {
        assert!(claims(text).is_empty(), "{text}: {:#?}", claims(text));
    }
}

#[test]
fn negated_assertion_becomes_doubt() {
    assert_eq!(
        one("Officials said there is no evidence that China was behind the breach."),
        (Some("officials".into()), Stance::Doubts, "CN".into())
    );
}

#[test]
fn cue_words_inside_urls_do_not_count() {
    for text in [
        "Details: https://example.com/2024/a-suspected-apt29-phishing-campaign.html",
        "[APT29](https://attack.mitre.org/groups/G0016) was seen.(Citation: Mandiant attributed APT29 to Russia)",
    ] {
        assert!(claims(text).is_empty(), "{text}: {:#?}", claims(text));
    }
}

#[test]
fn x_attributed_to_y_takes_y() {
    assert_eq!(
        one("[APT29](https://attack.mitre.org/groups/G0016) is a threat group that has been attributed to Russia."),
        (None, Stance::Asserts, "RU".into())
    );
    // a state organisation stands for its country
    assert_eq!(
        one("APT28 is a threat group that has been attributed to Russia's GRU."),
        (None, Stance::Asserts, "state-org:ru-gru".into())
    );
    // passive with the claimant after "by"
    assert_eq!(
        one("The wiper attack was attributed to Sandworm by ESET."),
        (Some("ESET".into()), Stance::Asserts, "misp:sandworm".into())
    );
    // "attributed to 70 attacks": the party before is the one responsible
    assert_eq!(
        one("Sandworm has been attributed to over 70 attacks."),
        (None, Stance::Asserts, "misp:sandworm".into())
    );
}

#[test]
fn origin_words_are_claims_and_languages_are_not() {
    assert_eq!(
        one("Sandworm is a suspected Russian threat group that targeted banks in Ukraine."),
        (None, Stance::Suspects, "RU".into())
    );
    assert_eq!(
        one("Lazarus Group is a North Korea-nexus actor targeting Russian banks."),
        (None, Stance::Asserts, "KP".into())
    );
    assert_eq!(
        one("APT29 is a threat group believed to operate out of Russia."),
        (None, Stance::Suspects, "RU".into())
    );
    for text in [
        "The group is a Chinese-speaking cybercrime cluster.",
        "A pro-Russian hacktivist group defaced the site.",
        "The campaign targeted Iranian government agencies.",
        "Many of the victims were located in Germany.",
    ] {
        assert!(claims(text).is_empty(), "{text}: {:#?}", claims(text));
    }
}

#[test]
fn real_phrasings() {
    for (text, stance, target) in [
        (
            "The operators work on behalf of North Korea.",
            Stance::Asserts,
            "KP",
        ),
        (
            "Sandworm is operated by the GRU.",
            Stance::Asserts,
            "state-org:ru-gru",
        ),
        (
            "Its targets align with the interests of Iran.",
            Stance::Suspects,
            "IR",
        ),
        (
            "The sample used the same TTPs used by APT28.",
            Stance::Suspects,
            "G0007",
        ),
        (
            "Researchers tied the intrusions to Lazarus Group.",
            Stance::Asserts,
            "G0032",
        ),
    ] {
        let c = claims(text);
        assert!(
            c.iter().any(|(_, s, t)| *s == stance && t == target),
            "{text}: {c:#?}"
        );
    }
}

#[test]
fn passive_agents_organisations_and_open_questions() {
    // the party after "accused by" makes the claim
    assert_eq!(
        one("Sandworm is a group accused by Ukraine of attacking the grid."),
        (
            Some("Ukraine".into()),
            Stance::Asserts,
            "misp:sandworm".into()
        )
    );
    // a title word inside an organisation's name does not make a person
    assert_eq!(
        one("Lazarus Group is attributed to the Reconnaissance General Bureau."),
        (None, Stance::Asserts, "state-org:kp-rgb".into())
    );
    // an open question is no claim
    assert!(claims("It is unknown if the operators are located in Russia.").is_empty());
}

#[test]
fn an_agent_that_acted_is_held_responsible_too() {
    // "acted on behalf of": the actor that acted and its principal, two claims
    let c = claims(
        "The UK has announced that a group known as APT28 acted on behalf of the GRU to carry out a campaign.",
    );
    let targets: Vec<&str> = c.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(targets.len(), 2, "{c:#?}");
    assert!(targets.contains(&"G0007") && targets.contains(&"state-org:ru-gru"));
    assert!(c.iter().all(|x| x.0.as_deref() == Some("UK")));
    // an adverb between the actor and its act verb
    assert_eq!(
        claims("Sandworm deliberately conducted the attacks at the direction of the GRU.").len(),
        2
    );
    // ties name no act: one claim on the principal
    assert_eq!(
        one("Sandworm is a threat actor group with ties to the GRU."),
        (None, Stance::Asserts, "state-org:ru-gru".into())
    );
    // a relative clause between the actor and the verb: no agent
    assert_eq!(
        one("APT28 operators, who conducted the intrusions on behalf of the GRU, were charged."),
        (None, Stance::Asserts, "state-org:ru-gru".into())
    );
}

#[test]
fn claimant_names_resolve_from_written_out_forms() {
    use ascribe_text::claims::source_names;
    assert!(source_names("The UK’s National Cyber Security Centre").contains(&"NCSC"));
    assert!(source_names("U.S. Government").contains(&"US government"));
    assert!(source_names("This indictment").contains(&"the indictment"));
    // word-bounded: "fbi" inside another word is no claimant
    assert!(source_names("the fbinder tool").is_empty());
}

#[test]
fn an_allied_state_speaks_as_itself() {
    // wave 6c: a state's name as the subject of a verb of judgement is the claimant
    assert_eq!(
        one("Canada is confident that the GRU is responsible for the intrusions."),
        (
            Some("Canada".into()),
            Stance::Asserts,
            "state-org:ru-gru".into()
        )
    );
    // a state's name as a victim or a modifier speaks for nobody
    let c = claims("APT28 targeted Canada's defence sector and was attributed to the GRU.");
    assert!(c.iter().all(|x| x.0.is_none()), "{c:#?}");
}

#[test]
fn a_date_is_no_victim_position() {
    // wave 6c: "In May 2021, these Iranian … actors exploited": the "in" governs the date
    assert_eq!(
        one("In May 2021, these Iranian government-sponsored actors exploited a server."),
        (None, Stance::Asserts, "IR".into())
    );
    // but "in" before the country still makes it a victim
    assert!(claims("In 2021, the actors exploited servers in Iran.").is_empty());
}

#[test]
fn a_forecast_is_no_attribution() {
    // wave 6c: "will likely be responsible for future campaigns" names no past act
    assert!(
        claims("Lazarus Group will likely be responsible for future phishing campaigns.")
            .is_empty()
    );
}

#[test]
fn a_past_negation_the_text_ends_is_no_doubt() {
    // wave 6c: "Until now, … never … attributed to X" announces the attribution
    assert!(claims(
        "Until now, these indicators have never been attributed to the GRU by the U.S. government."
    )
    .is_empty());
    // a plain negation stays a doubt
    assert_eq!(
        one("These indicators have never been attributed to the GRU.").1,
        Stance::Doubts
    );
    // "nation state" between the origin and the actor noun (wave 6c)
    assert_eq!(
        one("Iranian nation state actors conducted the attacks."),
        (None, Stance::Asserts, "IR".into())
    );
}

#[test]
fn a_state_partys_part_in_its_genitive() {
    // wave 6c: the GRU's disregard, Russia's involvement in an act, a pattern with its act
    assert_eq!(
        one("The attempt demonstrates the GRU's disregard for the rules."),
        (None, Stance::Asserts, "state-org:ru-gru".into())
    );
    assert_eq!(
        one("It demonstrates Russia's involvement in the ongoing attacks."),
        (None, Stance::Asserts, "RU".into())
    );
    assert_eq!(
        one("The campaign shows Russia's continuous pattern of irresponsible behaviour, by targeting democratic institutions."),
        (None, Stance::Asserts, "RU".into())
    );
    // a pattern without an act is a characterisation; an involvement in no act is none
    assert!(
        claims("Russia's pattern of irresponsible behaviour is inconsistent with its aims.")
            .is_empty()
    );
    assert!(claims("Ukraine's involvement in the investigation was welcome.").is_empty());
}

#[test]
fn software_linked_to_a_group_is_no_claim() {
    // wave 7: a framework, botnet or ransomware linked to a group, also after a copula,
    // a relative pronoun and adverbs
    assert!(
        claims("DUSTTRAP is a multi-stage plugin framework associated with APT28 operations.")
            .is_empty()
    );
    assert!(
        claims("Advanced modular botnet that is reportedly linked to the Sandworm group.")
            .is_empty()
    );
    assert!(claims("These zero-day vulnerabilities are associated with APT29.").is_empty());
    // a group linked to a group stays a claim, and so does a software's state
    assert_eq!(
        one("The group is reportedly linked to Sandworm."),
        (None, Stance::Asserts, "misp:sandworm".into())
    );
    assert_eq!(
        one("The malware is used by China-based threat actors."),
        (None, Stance::Asserts, "CN".into())
    );
}

#[test]
fn origin_field_and_the_actor_behind_an_activity() {
    // wave 7: the origin field of a structured description
    assert_eq!(
        one("Origin/Threat: Israel, Financially motivated."),
        (None, Stance::Asserts, "IL".into())
    );
    assert!(claims("Threat: Israel, Financially motivated.").is_empty());
    // "The threat actor behind the campaign …": the unnamed subject
    assert_eq!(
        one("The threat actor behind the campaign has been active since at least 2019."),
        (None, Stance::Asserts, "The threat actor".into())
    );
    // "the actor behind X" naming the party later is not that subject
    assert!(claims("The actor behind CloudSorcerer remains unknown.").is_empty());
}

#[test]
fn footnotes_quoted_origins_assessed_origins_and_state_interests() {
    // wave 7: an HTML footnote superscript is no text of the sentence
    assert!(claims(
        "The group has focused on targets associated with governments. <sup>[[FireEye APT28 2017](/references/x)]</sup>"
    )
    .is_empty());
    // a quoted origin compound
    assert_eq!(
        one("OPERATOR PANDA is a \"China-nexus\" adversary that relies on exploits."),
        (None, Stance::Asserts, "CN".into())
    );
    // an assessment of the subject's origin claims the origin only
    assert_eq!(
        one("Researchers assess that APT29 is an espionage group based in Russia."),
        (Some("researchers".into()), Stance::Asserts, "RU".into())
    );
    assert_eq!(
        one("Researchers assess that APT29 was responsible for the intrusion."),
        (Some("researchers".into()), Stance::Asserts, "G0016".into())
    );
    // a state party's interests; another group is not
    assert_eq!(
        one("Its ideology appears to largely align with Russian state interests."),
        (None, Stance::Suspects, "RU".into())
    );
    assert!(claims("Its activities largely align with APT28.").is_empty());
}

#[test]
fn hedges_of_a_language_or_of_a_new_clause_are_not_the_claims() {
    // wave 7: "suspected" before a language word hedges the language
    assert_eq!(
        one("Paperbug is a campaign carried out by suspected Russian-speaking group APT29."),
        (None, Stance::Asserts, "G0016".into())
    );
    assert_eq!(
        one("Paperbug is a campaign carried out by suspected group APT29."),
        (None, Stance::Suspects, "G0016".into())
    );
    // a trailing participle opening a clause of its own does not weigh the claim
    assert_eq!(
        one("The group has been linked to APT28, suggesting they may use the same tools."),
        (None, Stance::Asserts, "G0007".into())
    );
    assert_eq!(
        one("There are connections between the group and APT28, suggesting a possible collaboration."),
        (None, Stance::Suspects, "G0007".into())
    );
}

#[test]
fn the_name_given_to_an_unnamed_party() {
    // wave 7: "orchestrated by a nation-state actor whom we are calling X": X
    assert_eq!(
        one("The campaign was orchestrated by a nation-state actor whom we are calling APT29."),
        (None, Stance::Asserts, "G0016".into())
    );
    // without a name, the unnamed party stays what is claimed
    assert_eq!(
        one("The campaign was orchestrated by a nation-state actor."),
        (None, Stance::Asserts, "a nation-state".into())
    );
}

#[test]
fn more_vendors_are_claimants() {
    // wave 7: vendors the claimant lexicon lacked
    assert_eq!(
        one("Rostelecom has linked APT28 to intrusions at a government contractor."),
        (Some("Rostelecom".into()), Stance::Asserts, "G0007".into())
    );
    assert_eq!(
        one("Resecurity's research indicates that the campaign was orchestrated by APT29."),
        (Some("Resecurity".into()), Stance::Asserts, "G0016".into())
    );
}

#[test]
fn a_software_subject_linked_to_a_group_is_no_claim() {
    // wave 7: ATT&CK-style software descriptions
    let mut v = vocab();
    v.add_software("S0612", "WastedLocker");
    let doc = Document::from_text(
        None,
        "WastedLocker is a ransomware family attributed to APT29 that has been used since 2020.",
    );
    assert!(extract(&doc, &v, &ExtractOptions::default())
        .claims
        .is_empty());
    // a state party stays a claim
    let doc = Document::from_text(
        None,
        "WastedLocker is malware attributed to the Russian government.",
    );
    let c = extract(&doc, &v, &ExtractOptions::default()).claims;
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].target.ids, vec!["RU".to_string()]);
}

#[test]
fn origins_of_sides_and_of_parties_compared_with() {
    // wave 7: neither side of "between X and Y groups" is claimed
    assert!(claims("This incident is part of a series of cyberattacks between Moroccan and Algerian hacking groups.").is_empty());
    // the origin of a party the group is compared with
    assert!(claims(
        "The group previously overlapped significantly with another North Korean-linked entity."
    )
    .is_empty());
    // an origin of the group itself stays a claim
    assert_eq!(
        one("The group is a North Korean-linked entity."),
        (None, Stance::Asserts, "KP".into())
    );
}

#[test]
fn a_country_modifying_a_hostile_act_is_its_agent() {
    // wave 7c: a country as the modifier of an act noun, through a modifier run
    let t = claims(
        "The advisory details PRC state-sponsored targeting of telecommunications companies.",
    );
    assert!(t.iter().any(|c| c.2 == "CN"), "{t:#?}");
    let t = claims(
        "The report covers Russian state-sponsored advanced persistent threat (APT) actor activity against networks.",
    );
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
    let t = claims("Officials described an Iranian surveillance campaign against dissidents.");
    assert!(t.iter().any(|c| c.2 == "IR"), "{t:#?}");
    // activity needs a hostile modifier; a victim is no agent; an act noun before an
    // actor noun is left to the origin rules
    assert!(claims("Analysts reviewed Russian economic activities in the region.").is_empty());
    assert!(claims("The group conducted attacks on Russian operations in Syria.").is_empty());
    assert!(claims("The report lists a self-proclaimed Moroccan hacking group.").is_empty());
}

#[test]
fn a_subject_claiming_an_act_claims_responsibility() {
    // wave 7c: "claim(ed)" with an act after it, no "responsibility"
    let c = claims("The group has claimed several DDoS attacks against Israeli banks.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    let c = claims("Later the group began to claim that it attacked a large number of victims.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    // a noun, another party's deed, or no act: no claim of responsibility
    assert!(claims("Researchers doubted their claims of attacks on banks.").is_empty());
    assert!(claims("The ministry claims that the hackers attacked its servers.").is_empty());
    // (wave 7c, from the fresh batch: a leak site's victims are a claim of the attacks
    // on them, "The group has claimed 17+ victims across France, …"; "announced
    // cyberattacks" likewise)
    let c = claims("The group has claimed 17+ victims across France and Egypt.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    let c = claims("They have also announced cyberattacks targeting the UAE.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    assert!(claims("The ministry announced new sanctions on the group.").is_empty());
    assert!(claims("The group announced the victims of the flood.").is_empty());
}

#[test]
fn a_joined_origin_compound_reaches_its_actor_noun_through_plain_words() {
    // wave 7c: "X-based" / "X-linked" then any plain words, then the actor noun
    let t = claims("H0lyGh0st is a North Korea-based ransomware-focused threat actor group.");
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
    let t = claims("The actor is a Russia-based private sector offensive actor.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
    // a function word ends the run: the noun after it is not described
    assert!(claims("An India-based technology company for threat actors was named.").is_empty());
}

/// The small vocabulary with one more actor (wave 8, claims16: a name holding a
/// disguise word).
fn claims16(text: &str) -> Vec<(Option<String>, Stance, String)> {
    let mut v = vocab();
    v.add_actor("G0029", "Scarlet Mimic");
    let doc = Document::from_text(None, text);
    extract(&doc, &v, &ExtractOptions::default())
        .claims
        .into_iter()
        .map(|c| {
            (
                c.source.map(|s| s.name),
                c.stance,
                c.target.ids.first().cloned().unwrap_or(c.target.surface),
            )
        })
        .collect()
}

#[test]
fn a_link_verb_names_the_party_after_its_to() {
    // wave 8 (claims16): "link X … to Y" holds Y, never the X between verb and "to";
    // an organisation the vocabulary lacks, named in apposition, with its origin
    let c =
        claims("We link APT29 with high confidence to a Russian company, Acme Netsec Services.");
    assert!(c.iter().any(|c| c.2 == "Acme Netsec Services"), "{c:#?}");
    assert!(c.iter().any(|c| c.2 == "RU"), "{c:#?}");
    assert!(!c.iter().any(|c| c.2 == "G0016"), "{c:#?}");
    // no name after the organisation noun: no party, and not X either
    let c = claims("We link APT29 with high confidence to a Russian company.");
    assert!(!c.iter().any(|c| c.2 == "G0016"), "{c:#?}");
    // a disguise word inside a group's name is no disguise ("Scarlet Mimic")
    let c = claims16("Evidence links Scarlet Mimic attacks to China.");
    assert!(c.iter().any(|c| c.2 == "CN"), "{c:#?}");
    assert!(claims("The attackers mimic Chinese hackers in their lures.").is_empty());
}

#[test]
fn a_repeated_subject_name_after_a_link_cue_stands_for_its_alias() {
    // wave 8 (claims16): "X has been associated with the syndicate X, also known as Y"
    let c = claims("APT29 has been associated with the crew APT29, also known as Quartz Owl.");
    assert!(c.iter().any(|c| c.2 == "Quartz Owl"), "{c:#?}");
    assert!(!c.iter().any(|c| c.2 == "G0016"), "{c:#?}");
    // another party after the cue is kept as it is
    let c = claims("APT29 has been associated with APT28, also known as Quartz Owl.");
    assert!(c.iter().any(|c| c.2 == "G0007"), "{c:#?}");
}

#[test]
fn collaboration_verbs_tie_an_actor_to_another() {
    // wave 8 (claims16): "joined forces with", "cooperating with", "linked by
    // association with" (and "groups like X": examples of parties, no victims)
    let c = claims("The crew joined forces with APT28 to launch attacks on banks.");
    assert!(c.iter().any(|c| c.2 == "G0007"), "{c:#?}");
    let c = claims("Its members have linked by association with other groups like Lazarus Group.");
    assert!(c.iter().any(|c| c.2 == "G0032"), "{c:#?}");
    // a victim's country after "like" stays a victim
    assert!(claims("The crew cooperated with insiders in countries like Russia.").is_empty());
    assert!(claims("The vendor partnered with Microsoft to fix the flaw.").is_empty());
}

#[test]
fn it_opening_a_clause_claims_its_own_act() {
    // wave 8 (claims16): "it has claimed … attacks" (the pronoun opens the clause)
    let c = claims("More recently, it has claimed several DDoS attacks against Israeli banks.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    assert_eq!(c[0].2, "it");
    // "it" inside a report of another party's words is no subject of its own claim
    assert!(claims("The ministry said it claimed several attacks on banks.").is_empty());
}

#[test]
fn part_of_cues_and_connections_with_need_a_party_right_after() {
    // wave 8 (claims16): "a sub-cluster of X", "a branch of X", "connections with X"
    let c = claims("Storm-9999 is a sub-cluster of APT29 that targets hotels.");
    assert!(c.iter().any(|c| c.2 == "G0016"), "{c:#?}");
    let c = claims("The crew has connections with the Lazarus Group.");
    assert!(c.iter().any(|c| c.2 == "G0032"), "{c:#?}");
    // no party right after: no claim
    assert!(claims("Phishing is a branch of social engineering used by many.").is_empty());
    assert!(claims("The group has a connection with the hotel sector in Russia.").is_empty());
}

#[test]
fn an_actor_in_apposition_to_a_countrys_actor_noun_is_the_party_linked() {
    // wave 8 (claims16): "linked to another China-linked actor, Earth Lusca"
    let c = claims("The crew has been linked to another Russia-linked actor, APT28, and others.");
    assert!(c.iter().any(|c| c.2 == "G0007"), "{c:#?}");
    assert!(c.iter().any(|c| c.2 == "RU"), "{c:#?}");
    // a state organisation's unit after its possessive and acronym
    let doc = Document::from_text(
        None,
        "The group is attributed to the Main Intelligence Directorate's (GU) Special Technology Centre.",
    );
    let x = extract(&doc, &vocab(), &ExtractOptions::default());
    assert!(
        x.claims
            .iter()
            .any(|c| c.target.surface.contains("Special Technology")),
        "{:#?}",
        x.claims
    );
}

#[test]
fn a_capitalised_name_ending_a_loose_link_is_the_party_linked() {
    // wave 8 (claims16): "believed to be connected to Lost Trust" (two to four
    // capitalised words the vocabulary lacks, ending the clause)
    let c = claims("This crew is believed to be connected to Silent Lantern.");
    assert!(
        c.iter()
            .any(|c| c.2 == "Silent Lantern" && c.1 == Stance::Suspects),
        "{c:#?}"
    );
    // a longer run, a product or a victim's place is not taken
    assert!(claims("The crew is connected to Microsoft Exchange servers.").is_empty());
    assert!(claims("The crew is associated with attacks in South Korea.").is_empty());
}

#[test]
fn more_verbs_of_a_subjects_own_claim_need_an_act_after_them() {
    // wave 8 (claims16): "assumed responsibility", "bragged about / boasted about /
    // admitted to" + an act
    let c = claims("The group assumed responsibility for the attack on the port.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    let c = claims("The group admitted to several DDoS attacks on banks.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
    assert!(claims("The suspect admitted to the charges.").is_empty());
    assert!(claims("The vendor bragged about its new firewall.").is_empty());
}

#[test]
fn an_activity_after_a_link_cue_is_read_within_its_clause() {
    // wave 8 (claims16): "linked to X ransomware, and while direct ransomware activity
    // has not been observed …": no activity is linked, so the subject is not held
    // responsible
    assert!(claims(
        "APT29 has been linked to Quartz ransomware, and while direct ransomware activity has not been observed, more may follow."
    )
    .is_empty());
    // an activity in the clause still is ("linked to 2,513 compromised credentials")
    let c = claims("APT29 has been linked to 2,513 compromised credentials on dark-web markets.");
    assert!(c.iter().any(|c| c.2 == "G0016"), "{c:#?}");
}

#[test]
fn an_unnamed_subject_of_a_verb_of_speech_is_the_claimant() {
    // wave 8 (claims17): a pronoun, an unnamed collective or a document as the subject
    // of a verb of speech or judgement, kept as written
    let src = |t: &str| one(t).0;
    assert_eq!(
        src("He set out the UK assessment that the Russian Intelligence Services were behind the compromise."),
        Some("He".into())
    );
    assert_eq!(
        src("\u{201c}The intrusions were almost certainly conducted by APT28,\u{201d} they said."),
        Some("they".into())
    );
    assert_eq!(
        src("On the global level, cybersecurity companies and governments reported cyberespionage operations by Chinese threat actors."),
        Some("cybersecurity companies and governments".into())
    );
    assert_eq!(
        src("In the report, agencies from four nations provide examples of Iranian cyber actors exploiting servers."),
        Some("agencies from four nations".into())
    );
    assert_eq!(
        src("CISA released Malware Analysis Report MAR-10292089-1.v1, which states that Chinese government actors are using malware variants."),
        Some("Malware Analysis Report MAR-10292089-1.v1".into())
    );
    assert_eq!(
        src("The advisory detailed how Iranian cyber actors compromised devices."),
        Some("the advisory".into())
    );
    // a document describing a topic, a pronoun claiming its own deed, and a collective
    // that is no speaker are not claimants
    assert_eq!(
        src("The advisory details PRC state-sponsored targeting of telecommunications companies."),
        None
    );
    let c = claims("They have claimed responsibility for the attack on the bank.");
    assert!(
        c.iter().all(|c| c.1 == Stance::ClaimsResponsibility),
        "{c:#?}"
    );
    assert_eq!(
        src("Several companies were breached by Chinese state-sponsored actors last year."),
        None
    );
}

#[test]
fn hedges_of_the_clause_and_of_the_origin_word() {
    // wave 8 (claims17)
    let doc = |t: &str| {
        extract(
            &Document::from_text(None, t),
            &vocab(),
            &ExtractOptions::default(),
        )
        .claims
    };
    // a reporting adverb on the clause's verb hedges the claim, which stays an assertion
    let c = doc("The defendants allegedly committed these crimes in association with APT28.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].stance, Stance::Asserts);
    assert!(c[0].hedges.iter().any(|h| h == "allegedly"), "{c:#?}");
    // "with the highest level of probability" is a confidence hedge of an assertion
    let c = doc("The NCSC assesses with the highest level of probability that APT28 is responsible for this campaign.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].stance, Stance::Asserts);
    assert!(!c[0].hedges.is_empty(), "{c:#?}");
    // a hedge before the origin word of the actor hedges the origin, not the deed
    let c = doc("In May the likely Russian APT28 was involved in a theft of documents.");
    let actor = c.iter().find(|c| c.target.ids.iter().any(|i| i == "G0007"));
    let origin = c.iter().find(|c| c.target.ids.iter().any(|i| i == "RU"));
    assert!(
        actor.is_some_and(|a| a.stance == Stance::Asserts && a.hedges.is_empty()),
        "{c:#?}"
    );
    assert!(
        origin.is_none_or(|o| o.stance == Stance::Suspects),
        "{c:#?}"
    );
    // coordinated that-clauses share the likelihood that governs them
    let c = doc("The assessment found it was highly likely APT28 was behind the campaigns and that the proxies are actors of the Russian state.");
    assert!(
        !c.is_empty() && c.iter().all(|c| c.stance == Stance::Suspects),
        "{c:#?}"
    );
}

#[test]
fn tools_attributed_sympathies_and_charged_names_are_no_claims() {
    // wave 8 (claims17): a software or artifact attributed to a group; a country named
    // bare after "in support of"; "indicted" as an adjective
    assert!(
        claims("In this channel attack tools attributed to the group APT28 were leaked.")
            .is_empty()
    );
    assert!(claims(
        "They launched DDoS attacks, asserting these actions are in support of Palestine."
    )
    .iter()
    .all(|c| c.2 != "PS"));
    assert!(claims("CISA released an advisory on the TTPs of Indicted APT28 Actors.").is_empty());
    // a state after the software stays a claim; a state's interests are no sympathy; the
    // verb states a charge
    let t = claims("The FBI described malware attributed to Iranian nation state actors.");
    assert!(t.iter().any(|c| c.2 == "IR"), "{t:#?}");
    let t = claims("The group conducts operations in support of Iranian interests.");
    assert!(t.iter().any(|c| c.2 == "IR"), "{t:#?}");
    let t = claims("The Department of Justice indicted APT28 officers for the intrusions.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
    // one party's own claim of responsibility absorbs an unsourced link on the same words
    let c = claims("They have claimed responsibility for the attack on the bank and have been linked to previous attacks.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].1, Stance::ClaimsResponsibility);
}

#[test]
fn impersonal_doubts_campaign_names_and_according_to() {
    // wave 8 (claims17), from the fresh batch of the wave
    let doc = |t: &str| {
        extract(
            &Document::from_text(None, t),
            &vocab(),
            &ExtractOptions::default(),
        )
        .claims
    };
    // "it remains unclear …" doubts what follows, not a party named before it
    let c = doc("Researchers tied the group to APT28, although it remains unclear what support is provided by Sandworm.");
    assert!(c.iter().all(|c| c.stance != Stance::Doubts), "{c:#?}");
    let c = doc("The attribution of their campaign to Russia is uncertain.");
    assert!(c.iter().any(|c| c.stance == Stance::Doubts), "{c:#?}");
    // the name of a campaign is the activity: the subject is held responsible
    let mut v = vocab();
    v.add_actor("misp:arcanedoor", "ArcaneDoor");
    v.add_actor("misp:uat4356", "UAT4356");
    let c = extract(
        &Document::from_text(
            None,
            "UAT4356 is an actor attributed to the ArcaneDoor campaign targeting network devices.",
        ),
        &v,
        &ExtractOptions::default(),
    )
    .claims;
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].target.surface, "UAT4356");
    // "according to X" names the claimant and hedges nothing
    let c = doc("According to ESET researchers, the group is a China-based threat actor.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(c[0].hedges.is_empty(), "{c:#?}");
}

#[test]
fn speakers_named_around_a_claim_and_modifiers_that_do_not_speak() {
    // wave 8 (claims17)
    let src = |t: &str| one(t).0;
    // a parenthetical "however" contrasts no clauses
    assert_eq!(
        src("We are, however, seeing activity that can be linked to Russian state actors."),
        Some("we".into())
    );
    // a company owning a product, a government qualifying its partners, are no speakers
    assert_eq!(
        src("Microsoft's Azure was affected by DDoS, and there were indications that the group may have links with the Russian state."),
        None
    );
    // a person named after the "said" that closes a quotation
    assert_eq!(
        src("\u{201c}We work with U.S. government partners against malicious cyber activity, including by Iranian cyber actors,\u{201d} said Eric Goldstein, Executive Assistant Director."),
        Some("Eric Goldstein".into())
    );
    // a country alleging speaks, and its verb hedges nothing
    let c = extract(
        &Document::from_text(
            None,
            "In the rest of the world, Russia alleged there is a US surveillance campaign.",
        ),
        &vocab(),
        &ExtractOptions::default(),
    )
    .claims;
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(
        c[0].source.as_ref().map(|s| s.name.as_str()),
        Some("Russia")
    );
    assert!(c[0].hedges.is_empty(), "{c:#?}");
    // a bare "assess" needs an act in its clause
    assert!(claims("We further assess Putin and the Russian Government developed a clear preference for a candidate.").is_empty());
    let t =
        claims("The FBI and DHS assess Russian cyber actors will continue to seek intelligence through cyber exploitation.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
    // a hedge on the description of the group that claims does not weigh its claim
    let c = extract(
        &Document::from_text(None, "X experienced DDoS attacks claimed by pro-Palestine supposed hacktivist group Dark Storm."),
        &vocab(),
        &ExtractOptions::default(),
    )
    .claims;
    assert!(
        c.iter()
            .any(|c| c.stance == Stance::ClaimsResponsibility && c.hedges.is_empty()),
        "{c:#?}"
    );
}

#[test]
fn a_whether_clause_under_a_predicate_of_doubt_is_a_doubt() {
    // wave 8 (claims17): "it is unclear / not known whether X was behind …"
    for t in [
        "It is unclear whether Russia was behind the attack.",
        "It is not known whether Russia was responsible for the attack.",
        "It remains uncertain if APT28 was behind the intrusion.",
    ] {
        let c = claims(t);
        assert!(
            !c.is_empty() && c.iter().all(|c| c.1 == Stance::Doubts),
            "{t}\n{c:#?}"
        );
    }
    // a whether-clause under no doubt, and doubt about another clause, change nothing
    let c = claims(
        "The NCSC found that Russia was behind the attack, whether or not it was disruptive.",
    );
    assert!(c.iter().all(|c| c.1 == Stance::Asserts), "{c:#?}");
}

#[test]
fn a_that_clause_under_scant_evidence_a_negated_finding_or_dismissed_claims_is_a_doubt() {
    // wave 8 (claims17)
    for t in [
        "There is little evidence that Iran was behind the attack.",
        "Researchers could not confirm that APT28 was behind the intrusion.",
        "Analysts dismissed claims that Russia was behind the outage.",
        "The attribution to Iran remains disputed.",
    ] {
        let c = claims(t);
        assert!(
            !c.is_empty() && c.iter().all(|c| c.1 == Stance::Doubts),
            "{t}\n{c:#?}"
        );
    }
    // assertions stay assertions
    for t in [
        "We have no doubt that Russia was behind the attack.",
        "The FBI confirmed that APT28 was behind the intrusion.",
        "The FBI has not only confirmed that APT28 was behind the intrusion but also charged officers.",
    ] {
        let c = claims(t);
        assert!(!c.is_empty() && c.iter().all(|c| c.1 == Stance::Asserts), "{t}\n{c:#?}");
    }
}

/// (target id or surface, stance, hedges) of each claim
fn hedged(text: &str) -> Vec<(String, Stance, Vec<String>)> {
    let doc = Document::from_text(None, text);
    extract(&doc, &vocab(), &ExtractOptions::default())
        .claims
        .into_iter()
        .map(|c| {
            (
                c.target.ids.first().cloned().unwrap_or(c.target.surface),
                c.stance,
                c.hedges,
            )
        })
        .collect()
}

#[test]
fn a_hedge_inside_another_claims_words_weighs_that_claim() {
    // wave 8 (claims18): the belief is the origin's, not the claim of responsibility's
    let c = hedged(
        "Sandworm is a ransomware group believed to be based in Moscow, Russia, that has taken credit for several attacks.",
    );
    let ru = c.iter().find(|x| x.0 == "RU").expect("origin");
    assert_eq!(ru.1, Stance::Suspects, "{c:#?}");
    let own = c
        .iter()
        .find(|x| x.0 == "misp:sandworm")
        .expect("self-claim");
    assert_eq!(own.1, Stance::ClaimsResponsibility, "{c:#?}");
    assert!(own.2.is_empty(), "{c:#?}");
    // the confidence of the attribution is the attributed party's, not its origin's
    let c = hedged(
        "Mandiant attributes this campaign with high confidence to APT28, a group assessed to be operating out of Russia.",
    );
    let g = c.iter().find(|x| x.0 == "G0007").expect("attribution");
    assert!(g.2.iter().any(|h| h == "high confidence"), "{c:#?}");
    let ru = c.iter().find(|x| x.0 == "RU").expect("origin");
    assert!(ru.2.is_empty(), "{c:#?}");
    // the likelihood of an origin word does not weigh the actor's own act
    let c = hedged(
        "Relating to cybercrime, the likely North Korean Lazarus Group was involved in a theft.",
    );
    let kp = c.iter().find(|x| x.0 == "KP").expect("origin");
    assert_eq!(kp.1, Stance::Suspects, "{c:#?}");
    let l = c.iter().find(|x| x.0 == "G0032").expect("act");
    assert_eq!(l.1, Stance::Asserts, "{c:#?}");
    assert!(l.2.is_empty(), "{c:#?}");
    // a hedge the claim's own words hold too stays ("supposedly Russia and China")
    let c = hedged("Supposedly Russia and China linked threat actors were active in Europe.");
    assert!(c.iter().all(|x| !x.2.is_empty()), "{c:#?}");
}

#[test]
fn motives_that_overlap_with_a_states_make_it_a_suspect() {
    // wave 8 (claims18): a motive noun, an alignment, then a state party
    let c = hedged(
        "This group has not been directly linked to a government source, but the group's motivations appear to overlap with those of the Chinese government.",
    );
    let cn = c.iter().find(|x| x.0 == "CN").expect("motive claim");
    assert_eq!(cn.1, Stance::Suspects, "{c:#?}");
    assert!(cn.2.iter().any(|h| h == "appear"), "{c:#?}");
    let t = claims(
        "The evidence supports an assessment that a group with motivations similar to the stated position of the Russian government is involved.",
    );
    assert!(
        t.iter().any(|c| c.2 == "RU" && c.1 == Stance::Suspects),
        "{t:#?}"
    );
    // not a victim's, not a non-state, not negated
    assert!(claims("Its goals are consistent with attacks on Russian banks.").is_empty());
    assert!(claims("The group's activities align with tensions in the region.").is_empty());
    assert!(claims("Its motives do not overlap with those of the Chinese government.").is_empty());
}

#[test]
fn the_party_a_judged_actor_is_said_to_be_is_the_party() {
    // wave 8 (claims18): "suspects … that X is Y" holds Y
    let c = claims("Mandiant suspects with medium confidence that APT28 is Sandworm.");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].2, "misp:sandworm");
    assert_eq!(c[0].1, Stance::Suspects);
    let c = claims("Researchers assess that Fancy Bear is in fact the GRU.");
    assert!(c.iter().any(|x| x.2 == "state-org:ru-gru"), "{c:#?}");
    assert!(c.iter().all(|x| x.2 != "G0007"), "{c:#?}");
    // not when the complement does not close the clause, nor a country
    let c = claims("Mandiant suspects that APT28 is Sandworm's partner in the attacks.");
    assert!(c.iter().all(|x| x.2 != "misp:sandworm"), "{c:#?}");
}

#[test]
fn cooperation_with_a_named_party_ties_the_actor_to_it() {
    // wave 8 (claims18): "joined forces with X", "cooperating with X"
    let t = claims("In May 2023, the group announced a campaign and joined forces with Sandworm to launch attacks against NATO.");
    assert!(
        t.iter()
            .any(|c| c.2 == "misp:sandworm" && c.1 == Stance::Asserts),
        "{t:#?}"
    );
    let t = claims("The hacktivists stated they would be cooperating with APT28.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
    // no named party after the cue: no claim
    assert!(claims("The group has collaborated with other hacktivist groups.").is_empty());
    assert!(claims("They collaborate with initial access brokers.").is_empty());
}

#[test]
fn a_cue_inside_too_to_is_negated() {
    // wave 8 (claims18): "too obvious to … conclude that they are responsible"
    let c = one(
        "The technical links to the Lazarus Group seem too obvious to immediately draw the conclusion that they are responsible for the attacks.",
    );
    assert_eq!(c.1, Stance::Doubts, "{c:#?}");
    // "too" elsewhere, or "too many to …", leaves the claim alone
    let c = one("The attacks, too, were carried out by the Lazarus Group.");
    assert_eq!(c.1, Stance::Asserts, "{c:#?}");
}

#[test]
fn the_object_of_a_transitive_act_is_a_victim() {
    // wave 8 (claims18): "the targeting of X", "the compromise of X" name the object
    assert!(claims(
        "The group is believed to be responsible for the targeting of South Korean actors."
    )
    .iter()
    .all(|c| c.2 != "KR"));
    assert!(claims("The report describes the compromise of Russian networks.").is_empty());
    // the agent of a campaign still counts
    let t = claims("It was the latest in a campaign of Russian malicious cyber activity.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
}

#[test]
fn the_activity_after_a_link_cue_is_read_in_its_clause() {
    // wave 8 (claims18): an activity word in a later clause does not make the subject
    // the party of a link to a family
    assert!(claims(
        "APT28 has been linked to Interlock ransomware, and while direct ransomware activity has not been observed, more may follow."
    )
    .is_empty());
    // a comma inside a number ends no clause
    let t =
        claims("APT28 has been linked to 2,513 compromised credentials sold on dark-web markets.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn a_cue_inside_a_comparison_names_no_party() {
    // wave 8 (claims18): "unlike …", "resembles one that was attributed to …"
    assert!(claims(
        "The targeting is unlike previously seen behavior in regional campaigns by APT28 or Sandworm."
    )
    .is_empty());
    assert!(claims("This spyware notably resembles one that was attributed to APT28.").is_empty());
    // no comparison: the claim stays
    assert_eq!(one("The campaign was attributed to APT28.").2, "G0007");
}

#[test]
fn a_military_operation_is_no_cyber_act() {
    // wave 8 (claims18): a war is not an attribution; a cyber word keeps the act
    assert!(claims(
        "They disrupt operations supporting the Russian military operation against Ukraine."
    )
    .is_empty());
    let t = claims("The report covers Russian military cyber operations against Ukraine.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
}

#[test]
fn an_elided_region_pair_is_one_origin() {
    // wave 8 (claims18): "South or Southeast Asia"
    let t = claims("Analysts suggest that APT28 may originate from South or Southeast Asia.");
    assert!(
        t.iter()
            .any(|c| c.2 == "South or Southeast Asia" && c.1 == Stance::Suspects),
        "{t:#?}"
    );
}

#[test]
fn a_name_before_a_singular_activity_noun_names_the_activity() {
    // wave 8 (claims18): "X is an actor attributed to the Sandworm campaign" holds X
    let t =
        claims("APT29 is an actor attributed to the Sandworm campaign targeting network devices.");
    assert!(t.iter().any(|x| x.2 == "G0016"), "{t:#?}");
    assert!(t.iter().all(|x| x.2 != "misp:sandworm"), "{t:#?}");
    // the group's (plural) operations name the group ("associated closely with APT28
    // operations"); a "to" after the activity names the party ("links APT28 attacks to
    // the GRU")
    let t = claims("The group is reportedly associated closely with APT28 operations.");
    assert!(t.iter().any(|x| x.2 == "G0007"), "{t:#?}");
}

#[test]
fn censure_of_a_state_party_for_an_act_holds_it_responsible() {
    // wave 9 (claims21): a verb of censure, the state party, its "for" and an act
    let t = claims("The UK today condemned the Iranian state for a cyber attack on a ministry.");
    assert!(
        t.iter().any(|c| c.2 == "IR" && c.1 == Stance::Asserts),
        "{t:#?}"
    );
    let t = claims("Britain sanctioned the GRU for its role in attacks on hospitals.");
    assert!(t.iter().any(|c| c.2 == "state-org:ru-gru"), "{t:#?}");
    // a nationality is no party: "sanctioned Russian nationals for …", and a censure
    // with no act after its "for" names none
    assert!(claims("The US sanctioned two Russian nationals for laundering funds.").is_empty());
    assert!(claims("The minister condemned the Iranian state for its silence.").is_empty());
}

#[test]
fn software_used_by_a_state_is_a_claim_on_the_state() {
    // wave 9 (claims21): SOURCES.md's rule since wave 7 (a group's tools are no claim)
    let t = claims(
        "FOOBAR is a backdoor that has reportedly been used by the North Korean government.",
    );
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
    // stolen information used by a state organisation is no tool of an attack
    assert!(claims("The stolen files were later used by the GRU or sold.").is_empty());
}

#[test]
fn a_state_characterised_without_an_act_is_no_claim() {
    // wave 9 (claims21): "X assesses that <state> is a capable cyber actor"
    assert!(
        claims("The NCSC assesses that Iran is an aggressive and capable cyber actor.").is_empty()
    );
    // an act in the clause keeps the claim
    let t = claims("The NCSC assesses that Iran conducted the attacks on the ministry.");
    assert!(t.iter().any(|c| c.2 == "IR"), "{t:#?}");
}

#[test]
fn a_state_genitive_with_hostile_or_participle_modifiers_is_an_act() {
    // wave 9 (claims21): "Iran's reckless actions", "Russia's destabilising activities",
    // "Russia's intensifying campaign of …"; not "Russia's recent activity"
    for s in [
        "Iran's reckless actions disrupted public services.",
        "The measures respond to Russia's destabilising activities in Europe.",
        "We condemn Russia's intensifying campaign of hybrid activities.",
    ] {
        let t = claims(s);
        assert!(t.iter().any(|c| c.2 == "IR" || c.2 == "RU"), "{s}\n{t:#?}");
    }
    assert!(claims("Russia's recent activity at the summit was noted.").is_empty());
}

#[test]
fn state_acts_in_the_progressive_and_after_continues_to() {
    // wave 9 (claims21)
    let t = claims("North Korea is conducting social engineering campaigns against exchanges.");
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
    let t = claims("Russia also continues to disrupt satellite communications.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
    // no act verb: no claim
    assert!(claims("Russia continues to invest in its space programme.").is_empty());
}

#[test]
fn an_origin_run_may_hold_an_acronym_in_parentheses_and_nationals_are_no_party() {
    // wave 9 (claims21)
    let t = claims(
        "The agencies described North Korean advanced persistent threat (APT) group Kimsuky.",
    );
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
    assert!(claims("Treasury designated two Russian nationals who ran the service.").is_empty());
}

#[test]
fn a_closing_speaker_and_an_indefinite_relative_clause() {
    // wave 9 (claims21): the person after a quotation's closing "said" speaks for it over
    // a source inside it that does not speak; a surname alone closes it too
    let t = claims(
        "“Two years ago, the FBI disrupted the North Korean group using ransomware against hospitals,” said Deputy Director Jane Roe.",
    );
    assert!(
        t.iter()
            .any(|c| c.0.as_deref() == Some("Jane Roe") && c.2 == "KP"),
        "{t:#?}"
    );
    let t = claims(
        "“Russian state-aligned groups carried out the attacks on our networks,” said Smithers.",
    );
    assert!(
        t.iter()
            .any(|c| c.0.as_deref() == Some("Smithers") && c.2 == "RU"),
        "{t:#?}"
    );
    // a reward offer's hypothetical person acting for a state holds nobody responsible
    assert!(claims(
        "A reward is offered for information on any person who, working at the direction of the North Korean government, accesses a computer to steal information."
    )
    .is_empty());
}

#[test]
fn an_origin_through_an_acronym_a_spaced_sponsor_and_a_list_of_parties() {
    // wave 9 (claims22): "(APT)" inside the origin's modifier run
    let t = claims("The crew is one of several Chinese advanced persistent threat (APT) groups.");
    assert!(t.iter().any(|c| c.2 == "CN"), "{t:#?}");
    // a country, a space, "state-sponsored" and a named actor: the country is its origin
    let t = claims("The loader was used by North Korea state-sponsored APT28 operators.");
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
    // "including" after a noun of parties lists parties, not victims
    let t = claims("It has been used by adversaries including Iranian state-sponsored groups.");
    assert!(t.iter().any(|c| c.2 == "IR"), "{t:#?}");
    // victims stay victims
    assert!(claims("The group attacked banks in several countries, including Iran.").is_empty());
}

#[test]
fn a_named_subject_claims_a_breach_or_responsibility() {
    // wave 9 (claims22): a name the vocabulary lacks opening the sentence
    let t = one("Glasswing Crew has claimed responsibility for attacks on two insurers.");
    assert_eq!(t.1, Stance::ClaimsResponsibility);
    assert_eq!(t.2, "Glasswing Crew");
    // a breach as the claimed act
    assert_eq!(
        one("Later, they claimed a breach of a retailer's customer database.").1,
        Stance::ClaimsResponsibility
    );
    // a country opening the sentence is not the claimer; "announced the breach" stays no claim
    assert!(claims("Russia has claimed responsibility for nothing.")
        .iter()
        .all(|c| c.1 != Stance::ClaimsResponsibility));
    assert!(claims("The group announced the breach on a leak forum.").is_empty());
}

#[test]
fn strategic_interests_and_an_overlap_of_activity() {
    // wave 9 (claims22): an adjective of a state's interests keeps the state the party
    let t = claims("The crew carries out cyber attacks in line with Russian strategic interests.");
    assert!(
        t.iter().any(|c| c.2 == "RU" && c.1 == Stance::Suspects),
        "{t:#?}"
    );
    // other obligations stay no party
    assert!(claims("Russia needs to act in line with its international obligations.").is_empty());
    // a link inside an overlap of activity is no claim
    assert!(claims(
        "The dropper was used in a campaign significantly overlapping with activity linked to APT29."
    )
    .is_empty());
    assert_eq!(one("The campaign was linked to APT29.").2, "G0016");
}

#[test]
fn a_pronoun_that_identified_speaks_and_a_rootkit_is_software() {
    // wave 9 (claims22): "They identified …" makes the pronoun the claimant
    let t = claims("They identified an intrusion by a threat group that they track as APT28.");
    assert!(
        t.iter()
            .any(|c| c.2 == "G0007" && c.0.as_deref() == Some("They")),
        "{t:#?}"
    );
}

#[test]
fn origins_had_by_an_actor_and_actors_in_a_country() {
    // wave 9 (claims22): "has origins in"
    let t = claims("APT28 has origins in Russia.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
    // an actor noun after an attribution cue, then "in" and a country: its origin
    let t = claims("The campaign has been attributed to actors in China.");
    assert!(t.iter().any(|c| c.2 == "CN"), "{t:#?}");
    // victims in a country stay victims
    assert!(claims("The campaign targeted organizations in China.").is_empty());
    assert!(claims("The group attacked telecom operators in Ukraine.").is_empty());
}

#[test]
fn a_state_organisation_as_the_subject_of_a_passive_link() {
    // wave 9 (claims22): "The GRU has been linked to APT28" ties APT28 to the GRU
    let t = one("The GRU has been linked to APT28.");
    assert_eq!(t.2, "state-org:ru-gru");
    // the other direction is unchanged
    assert_eq!(
        one("APT28 has been linked to the GRU.").2,
        "state-org:ru-gru"
    );
    // an actor subject keeps the actor after the cue
    assert_eq!(one("The campaign has been linked to APT28.").2, "G0007");
}

#[test]
fn a_network_connection_and_a_suspected_tool_link_name_no_party() {
    // wave 9 (claims22): "a VPN connection to" is networking, not a tie
    assert!(claims("They deploy a VPN connection to maintain persistence.").is_empty());
    // a suspicion whose clause links a tool (through a modal) names no party
    assert!(claims("We suspect the loader tool may be linked to APT28.").is_empty());
    // parties stay
    let t = claims("The researchers found connections to APT28.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
    let t = claims("We suspect the group may be linked to APT28.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn claimed_victims_without_a_number() {
    // wave 9 (claims22): "has claimed victims in …" is the subject's claim of its attacks
    let t = one("APT28 has claimed victims in multiple other industries.");
    assert_eq!(t.1, Stance::ClaimsResponsibility);
    // a noun phrase stays none
    assert!(claims("Its claimed victims include two hospitals.").is_empty());
}

#[test]
fn origins_after_an_apposed_place_an_ideology_and_an_unnamed_adversary() {
    // wave 9 (claims22): "Ghost actors, located in China, conduct …"
    let t = claims("Ghost actors, located in China, conduct ransomware attacks.");
    assert!(t.iter().any(|c| c.2 == "CN"), "{t:#?}");
    // an ideological modifier between the origin and the actor noun
    let t = claims("A Turkish nationalist hacktivist group that has been active for a year.");
    assert!(t.iter().any(|c| c.2 == "TR"), "{t:#?}");
    // the unnamed adversary behind an activity
    let t = one("The adversary behind these attacks lured the targets into opening the file.");
    assert_eq!(t.2, "The adversary");
    // a party after a semicolon belongs to another clause
    assert!(claims(
        "It is suspected that phishing is the main vector; however, APT28 actors use custom tools."
    )
    .is_empty());
}

#[test]
fn a_link_in_apposition_to_a_software_noun_names_no_party() {
    // wave 9 (claims22): "… overlaps with Apostle ransomware, also linked to Agrius"
    assert!(
        claims("This malware shares code with the Apostle ransomware, also linked to APT28.")
            .is_empty()
    );
    // a party in apposition keeps its link
    let t = claims("The intrusion was carried out by a new group, also linked to APT28.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn machines_belonging_to_someone_are_a_victims() {
    // wave 9 (claims22): "webservers belonging to … government organizations"
    assert!(claims(
        "The backdoor was deployed on webservers belonging to Iranian government organizations."
    )
    .is_empty());
    // a unit belonging to a state organisation stays a tie
    let t = claims("The unit belonging to the GRU conducted the attack.");
    assert!(t.iter().any(|c| c.2 == "state-org:ru-gru"), "{t:#?}");
}

/// The hedges of the first claim on `text`.
fn hedges_9(text: &str) -> Vec<String> {
    let doc = Document::from_text(None, text);
    extract(&doc, &vocab(), &ExtractOptions::default())
        .claims
        .into_iter()
        .next()
        .map(|c| c.hedges)
        .unwrap_or_default()
}

#[test]
fn nationals_and_places_are_no_origin() {
    // wave 9 (claims23): a person's nationality, plural; a country before a place head
    assert!(claims("The Treasury sanctioned three Iranian nationals for their role.").is_empty());
    assert!(claims("The kit is popular among members of a Russian hacking forum.").is_empty());
    assert!(claims("The tool can be downloaded from Chinese hacker websites.").is_empty());
    // an actor noun before the place keeps the origin
    let t = claims("APT28 is a Russian group that runs its own forum.");
    assert!(t.iter().any(|c| c.2 == "RU"), "{t:#?}");
}

#[test]
fn an_indefinite_party_is_no_doubt() {
    // wave 9 (claims23): "any state" is the doubted party, not the speaker's country
    assert!(claims(
        "No evidence links the campaign to any state, according to the Dutch intelligence service."
    )
    .is_empty());
    // a named party stays doubted
    let t = claims("There is no evidence that APT28 was behind the breach.");
    assert!(
        t.iter().any(|c| c.1 == Stance::Doubts && c.2 == "G0007"),
        "{t:#?}"
    );
}

#[test]
fn software_named_parties_and_artifact_links_are_no_claims() {
    // wave 9 (claims23)
    assert!(claims("We explained that this case is linked to the Sandworm rootkit.").is_empty());
    assert!(claims("The report covers the tools employed by APT28.").is_empty());
    assert!(
        claims("The malware shares code with the Apostle ransomware, also linked to APT29.")
            .is_empty()
    );
    // the group itself stays linked
    assert_eq!(one("The campaign was linked to APT29.").2, "G0016");
}

#[test]
fn a_trailing_confidence_phrase_hedges_the_claim() {
    // wave 9 (claims23)
    let h = hedges_9("ESET attributed the campaign to APT28 with high confidence.");
    assert_eq!(h, vec!["with high confidence".to_string()]);
    let t = claims("ESET attributed the campaign to APT28 with low confidence.");
    assert_eq!(t[0].1, Stance::Suspects, "{t:#?}");
}

#[test]
fn comparisons_forecasts_and_charged_members_are_no_claims() {
    // wave 9 (claims23)
    assert!(claims(
        "Analysts see similarities between the attack and earlier operations by Sandworm."
    )
    .is_empty());
    assert!(claims("Analysts expect Iranian groups to step up attacks on Israel.").is_empty());
    assert!(claims("Members of APT28 were indicted by a grand jury in 2018.").is_empty());
    // an act named with the charge keeps the claim
    let t = claims("Members of APT28 were indicted for hacking the election.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn the_agent_of_a_passive_link_is_the_claimant() {
    // wave 9 (claims23): an agent the claimant lexicon lacks
    let t = claims("APT28 has been linked by the Estonian intelligence service to the GRU.");
    assert!(
        t.iter().any(|c| c.2 == "state-org:ru-gru"
            && c.0.as_deref() == Some("Estonian intelligence service")),
        "{t:#?}"
    );
}

#[test]
fn reported_speech_and_confidence_between_commas_hedge_the_claim() {
    // wave 9 (claims23)
    let h = hedges_9("APT28 is said to be closely associated with the GRU.");
    assert_eq!(h, vec!["said".to_string()]);
    let h = hedges_9(
        "The activity was conducted, with high confidence, by a state-sponsored actor from China.",
    );
    assert_eq!(h, vec!["with high confidence".to_string()]);
    // no hedge word: none added
    assert!(hedges_9("The intrusion was conducted by APT29.").is_empty());
}

#[test]
fn a_naming_source_and_a_titled_official() {
    // wave 9 (claims23): "as Microsoft calls it" names the name's source only
    let t = claims("APT28, as Microsoft calls it, is closely associated with the GRU.");
    assert!(t.iter().all(|c| c.0.is_none()), "{t:#?}");
    // an official named by title as the subject of the cue
    let t = claims("The Minister blamed the GRU for the attack.");
    assert!(
        t.iter()
            .any(|c| c.2 == "state-org:ru-gru" && c.0.as_deref() == Some("The Minister")),
        "{t:#?}"
    );
}

#[test]
fn a_noun_of_suspicion_makes_a_suspicion() {
    // wave 9 (claims23)
    let t = claims(
        "While there is speculation about their connection to APT29, ESET tracks them apart.",
    );
    assert!(
        t.iter().any(|c| c.2 == "G0016" && c.1 == Stance::Suspects),
        "{t:#?}"
    );
    let t = claims("The actor has shown indications of working as a contractor for the GRU.");
    assert!(
        t.iter()
            .any(|c| c.2 == "state-org:ru-gru" && c.1 == Stance::Suspects),
        "{t:#?}"
    );
}

#[test]
fn software_linked_to_a_group_is_no_claim_9() {
    // wave 9 (claims23): the object of the link, an apposition's head, a function
    assert!(claims("Researchers have linked the malware to APT28 actors.").is_empty());
    assert!(claims("PitHook, linked to APT29, is a backdoor that hooks functions.").is_empty());
    assert!(
        claims("BoomBox is a downloader responsible for executing next stage components.")
            .is_empty()
    );
    // a state stays claimed; a group's act stays claimed
    let t = claims("Researchers have linked the malware to the GRU.");
    assert!(t.iter().any(|c| c.2 == "state-org:ru-gru"), "{t:#?}");
    let t = claims("Researchers have linked the intrusions to APT28.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn naming_clauses_genitive_services_and_plural_link_subjects() {
    // wave 9 (claims23): "which Microsoft calls …" names the name's source only
    let t = claims("APT28, which Microsoft calls Forest Blizzard, is a Russian group.");
    assert!(t.iter().all(|c| c.0.is_none()), "{t:#?}");
    // a country's service opening the clause speaks
    let t = claims("Norway's police security service said APT28 was probably responsible for it.");
    assert!(
        t.iter()
            .any(|c| c.2 == "G0007" && c.0.as_deref() == Some("Norway's police security service")),
        "{t:#?}"
    );
    // "link" the verb after a plural subject of reporters
    let t =
        claims("Researchers at Cisco Talos link the campaign to APT29 with moderate confidence.");
    assert!(t.iter().any(|c| c.2 == "G0016"), "{t:#?}");
    // the noun stays no cue
    assert!(claims("The researchers found a link to an attacker-controlled server.").is_empty());
    // software in apposition over a parenthetical
    assert!(
        claims("The tool, first reported by Palo Alto Networks, has been linked to APT28.")
            .is_empty()
    );
}

#[test]
fn a_group_claiming_an_act_in_a_that_clause() {
    // wave 9 (claims23): "X claimed that it had hacked …" is X's own claim
    let t = claims("APT28 claimed that it had hacked the agency.");
    assert_eq!(
        t,
        vec![(
            Some("APT28".into()),
            Stance::ClaimsResponsibility,
            "G0007".into()
        )]
    );
    // a claim about another party is not the subject's own
    assert!(claims("APT28 claimed that the agency had been careless.").is_empty());
}

#[test]
fn an_assessment_about_a_partys_artifacts_is_no_claim() {
    // wave 9 (claims23)
    assert!(claims(
        "Microsoft researchers assess that APT28's techniques could be used in attacks elsewhere."
    )
    .is_empty());
    let t = claims("Microsoft researchers assess that APT28 conducted the attacks.");
    assert!(t.iter().any(|c| c.2 == "G0007"), "{t:#?}");
}

#[test]
fn an_origin_in_a_clause_of_inference_is_a_suspicion() {
    // wave 9 (claims23): "…, suggesting a Chinese origin"
    let t = claims("The group works during Beijing business hours, suggesting a Chinese origin.");
    assert_eq!(t, vec![(None, Stance::Suspects, "CN".into())]);
    // a named reporter's finding stays an assertion
    let t = claims("An FBI investigation indicates Iranian state cyber actors acquired access.");
    assert!(
        t.iter().any(|c| c.2 == "IR" && c.1 == Stance::Asserts),
        "{t:#?}"
    );
}

#[test]
fn a_negated_link_verb_is_a_doubt() {
    // wave 9 (claims23): "Mandiant does not link UNC1151 to Russia"
    let t = claims("Mandiant does not link the activity to APT28.");
    assert_eq!(
        t,
        vec![(Some("Mandiant".into()), Stance::Doubts, "G0007".into())]
    );
}

#[test]
fn a_speakers_country_and_a_compared_partys_origin_are_no_claims() {
    // wave 9 (claims23)
    let t = claims("Chinese state media accused APT28 of hacking the ministry.");
    assert!(t.iter().all(|c| c.2 != "CN"), "{t:#?}");
    assert!(claims("The group's TTPs resemble those of North Korean actors.").is_empty());
    // an origin that is no comparison stays
    let t = claims("The group is a North Korean actor.");
    assert!(t.iter().any(|c| c.2 == "KP"), "{t:#?}");
}
