//! The draft AP notification against the worked scenarios of `docs/REGULATION.md` §9 and the draft
//! rules of `docs/REGULATION.md` §8. Every scenario's incident is built literally (fixed ids and
//! times), so the snapshots are stable; each is snapshotted as JSON and as text.

use chrono::{DateTime, Utc};
use insta::assert_snapshot;

use super::*;
use crate::domain::directory::{Client, ClientProfile};
use crate::domain::escalation::{Audience, EscalationPolicy, Milestones, Recipients};
use crate::domain::ids::{ClientId, IncidentId, UserId};
use crate::domain::incident::{ApNotification, Assessment, Facts, Incident, State, SubjectsDecision};
use crate::domain::locale::Locale;
use crate::domain::severity::{Ease, SeverityInput};
use crate::domain::vocabulary::{
    Channel, DataCategory, Encryption, IncidentKind, Nature, SpecialCategory, SubjectGroup, SubjectsGround,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const PROCESSOR: &str = "GX Software";

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("RFC 3339 in test").with_timezone(&Utc)
}

/// The `[escalation]` defaults of config/default.toml.
fn policy() -> EscalationPolicy {
    use Audience::*;
    EscalationPolicy {
        window_hours: 72,
        window_changes: Vec::new(),
        triage_hours: 24,
        unacknowledged_hours: 2,
        overdue_repeat_hours: 24,
        supplement_reminder_days: 14,
        management_emails: Vec::new(),
        milestones: Milestones { a1: 48, a2: 24, a3: 12, a4: 4, a5: 0 },
        recipients: Recipients {
            p0: vec![Officers, Dpo],
            p1: vec![Officers, Management],
            a0: vec![Dpo, ClientContacts, Officers],
            u0: vec![Dpo, ClientContacts, Officers],
            c0: vec![Dpo, Officers, Management],
            a1: vec![Dpo],
            a2: vec![Dpo, ClientContacts, Officers],
            a3: vec![Dpo, ClientContacts, Officers],
            a4: vec![Dpo, ClientContacts, Officers, Management],
            a5: vec![Dpo, ClientContacts, Officers, Management],
        },
    }
}

fn client(slug: &str, name: &str, dpo_name: Option<&str>) -> Client {
    Client {
        id: ClientId::from(format!("client-{slug}")),
        slug: slug.into(),
        name: name.into(),
        dpo_email: format!("fg@{slug}.example"),
        dpo_name: dpo_name.map(str::to_string),
        escalation_emails: Vec::new(),
        locale: Locale::Nl,
        policy: None,
        active: true,
        profile: ClientProfile {
            legal_name: Some(name.into()),
            address: Some("Voorbeeldstraat 1, 1234 AB Utrecht".into()),
            kvk_number: Some("12345678".into()),
            sector: Some(crate::domain::vocabulary::Sector::Trade),
            dpo_registration: Some("FG001234".into()),
            notifier_name: Some(dpo_name.unwrap_or("Alex de Melder").into()),
            notifier_position: Some("Functionaris gegevensbescherming".into()),
            notifier_phone: Some("+31 30 123 4567".into()),
            ..ClientProfile::empty(Locale::Nl)
        },
    }
}

/// Facts with only the required fields.
fn bare_facts(title: &str, summary: &str, discovered_at: &str) -> Facts {
    Facts::new(title, summary, t(discovered_at))
}

/// A confirmed incident: reported at `reported`, GX aware at `processor`, the client at `controller`.
/// No scenario told a supervisor under another reporting duty (AP 1.3), unless it says otherwise.
fn confirmed(
    number: u32,
    reference: &str,
    mut facts: Facts,
    reported: &str,
    processor: &str,
    controller: &str,
) -> Incident {
    facts.other_supervisors.get_or_insert_with(|| "Geen".into());
    let slug = reference.split('-').next().unwrap_or("x").to_ascii_lowercase();
    let reported = Incident::reported(
        IncidentId::from(format!("6f1c2d7e-0000-4000-8000-{number:012}")),
        (&ClientId::from(format!("client-{slug}")), &slug),
        reference,
        facts,
        t(reported),
        (&UserId::from("user-reporter"), "engineer@gx.example"),
    );
    Incident {
        state: State::Confirmed,
        version: 3,
        processor_aware_at: Some(t(processor)),
        controller_aware_at: Some(t(controller)),
        awareness_justification: Some(
            "Forensisch onderzoek bevestigde een inbreuk op persoonsgegevens".into(),
        ),
        acknowledged_at: Some(t(controller) + chrono::Duration::minutes(20)),
        acknowledged_by: Some(format!("fg@{slug}.example")),
        ..reported
    }
}

#[expect(clippy::too_many_arguments, reason = "a scenario is all of these")]
fn assessment(
    dpc: u8,
    ease: Ease,
    cia: [u8; 3],
    malicious: bool,
    unintelligible: bool,
    vulnerable: bool,
    rationale: &str,
    at: &str,
) -> Option<Assessment> {
    Some(Assessment {
        input: SeverityInput {
            dpc,
            ease_of_identification: ease,
            confidentiality: cia[0],
            integrity: cia[1],
            availability: cia[2],
            malicious,
            unintelligible,
            vulnerable_subjects: vulnerable,
        },
        rationale: rationale.into(),
        assessed_at: t(at),
        assessed_by: "officer@gx.example".into(),
    })
}

/// A scenario: the incident, its client and the "now" of `docs/REGULATION.md` §9.
struct Scenario {
    incident: Incident,
    client: Client,
    now: DateTime<Utc>,
}

impl Scenario {
    fn input<'a>(&'a self, policy: &'a EscalationPolicy, locale: Locale) -> DraftInput<'a> {
        DraftInput {
            incident: &self.incident,
            client: &self.client,
            processor_name: PROCESSOR,
            now: self.now,
            policy,
            locale,
        }
    }

    fn draft(&self, locale: Locale) -> ApDraft {
        build(&self.input(&policy(), locale))
    }

    fn letter(&self, locale: Locale) -> Option<SubjectLetter> {
        subject_letter(&self.input(&policy(), locale))
    }
}

// ---------------------------------------------------------------------------------------------
// The scenarios of docs/REGULATION.md §9
// ---------------------------------------------------------------------------------------------

/// S01: ransomware on data encrypted at rest, restored from backup, no exfiltration: not notifiable.
fn s01() -> Scenario {
    let mut facts = bare_facts(
        "Ransomware op de CMS-server",
        "Ransomware heeft de CMS-server versleuteld. De gegevens waren at rest versleuteld (AES-256, sleutels in een HSM, niet gecompromitteerd). Forensisch onderzoek en egress-logs tonen geen uitgaand verkeer. Hersteld uit back-up binnen 4 uur.",
        "2026-06-02T07:10:00Z",
    );
    facts.discovery_method = Some("Melding van het EDR-systeem".into());
    facts.occurred_from = Some(t("2026-06-02T03:00:00Z"));
    facts.occurred_until = Some(t("2026-06-02T11:00:00Z"));
    facts.incident_kind = Some(IncidentKind::HackingMalware);
    facts.nature = vec![Nature::Deleted];
    facts.data_categories = vec![DataCategory::NameAddress, DataCategory::Email, DataCategory::Phone];
    facts.records_approx = Some(45);
    facts.subject_groups = vec![SubjectGroup::Customers, SubjectGroup::Employees];
    facts.subjects_min = Some(30);
    facts.subjects_max = Some(45);
    facts.encryption = Some(Encryption::Encrypted);
    facts.consequences =
        Some("Beschikbaarheid 4 uur verloren; geen gevolgen voor de bedrijfsvoering.".into());
    facts.measures_taken = Some("Server opnieuw opgebouwd, gepatcht en teruggezet uit de back-up.".into());
    let mut incident = confirmed(
        1,
        "ALFA-2026-0003",
        facts,
        "2026-06-02T07:20:00Z",
        "2026-06-02T07:15:00Z",
        "2026-06-02T09:00:00Z",
    );
    incident.state = State::NotNotifiable;
    incident.assessment = assessment(
        1,
        Ease::Maximum,
        [0, 0, 0],
        true,
        true,
        false,
        "Alleen versleutelde gegevens; sleutel intact; geen exfiltratie.",
        "2026-06-03T07:30:00Z",
    );
    incident.not_notifiable_justification = Some(
        "Onwaarschijnlijk dat het een risico oplevert: alleen versleutelde gegevens, sleutel intact, geen exfiltratie, binnen enkele uren hersteld.".into(),
    );
    incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::Art34_3a,
        explanation: "Gegevens waren versleuteld met AES-256; de sleutel is niet gecompromitteerd.".into(),
    };
    Scenario {
        incident,
        client: client("alfa", "Alfa Media B.V.", Some("Anna de Vries")),
        now: t("2026-06-04T12:00:00Z"),
    }
}

/// S02: ransomware without usable backup over Christmas: notifiable, 4 h left.
fn s02() -> Scenario {
    let mut facts = bare_facts(
        "Ransomware op de webshop zonder bruikbare back-up",
        "Ransomware heeft de database van de webshop versleuteld; de back-up was ook getroffen. Volgens de logs geen exfiltratie. Klantaccounts en bestelhistorie worden in 5 dagen herbouwd uit exports van de betaalprovider.",
        "2026-12-24T15:05:00Z",
    );
    facts.discovery_method = Some("Klantenservice meldde dat de webshop onbereikbaar was".into());
    facts.occurred_from = Some(t("2026-12-24T13:30:00Z"));
    facts.occurred_until = Some(t("2026-12-24T15:00:00Z"));
    facts.incident_kind = Some(IncidentKind::HackingMalware);
    facts.nature = vec![Nature::Deleted];
    facts.data_categories = vec![DataCategory::NameAddress, DataCategory::Email, DataCategory::Other];
    facts.records_approx = Some(18_500);
    facts.subject_groups = vec![SubjectGroup::Customers];
    facts.subjects_min = Some(9_000);
    facts.subjects_max = Some(9_400);
    facts.encryption = Some(Encryption::None);
    facts.consequences =
        Some("Klanten kunnen tijdelijk niet inloggen of bestellingen inzien; vertraagde leveringen.".into());
    facts.measures_taken = Some("Systemen geïsoleerd en opnieuw opgebouwd; gegevens worden hersteld.".into());
    facts.measures_planned = Some("Offline back-ups met dagelijkse hersteltest.".into());
    let mut incident = confirmed(
        2,
        "BOEK-2026-0011",
        facts,
        "2026-12-24T15:20:00Z",
        "2026-12-24T15:10:00Z",
        "2026-12-24T16:00:00Z",
    );
    incident.assessment = assessment(
        2,
        Ease::Maximum,
        [0, 0, 1],
        true,
        false,
        false,
        "Klantaccounts en bestelhistorie; tijdelijk onbeschikbaar; opzet.",
        "2026-12-25T10:00:00Z",
    );
    incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::NoHighRisk,
        explanation: "Geen exfiltratie; alleen tijdelijke onbeschikbaarheid.".into(),
    };
    Scenario { incident, client: client("boek", "Boekhandel Bos B.V.", None), now: t("2026-12-27T12:00:00Z") }
}

/// S04: ransomware with exfiltration across the October 2026 DST change; very high, minors.
fn s04() -> Scenario {
    let mut facts = bare_facts(
        "Ransomware met exfiltratie van de ledenadministratie",
        "Criminelen hebben de ledenadministratie versleuteld en een kopie gepubliceerd op een leksite: namen, adressen, geboortedata en IBAN's van 48.000 leden, onder wie minderjarigen.",
        "2026-10-22T11:35:00Z",
    );
    facts.discovery_method = Some("Losgeldbericht op de server; daarna de leksite gevonden".into());
    facts.occurred_from = Some(t("2026-10-19T22:00:00Z"));
    facts.occurred_until = Some(t("2026-10-22T10:00:00Z"));
    facts.incident_kind = Some(IncidentKind::HackingMalware);
    facts.nature = vec![Nature::Read, Nature::Copied, Nature::Deleted];
    facts.data_categories =
        vec![DataCategory::NameAddress, DataCategory::Demographic, DataCategory::Financial];
    facts.records_approx = Some(48_000);
    facts.subject_groups = vec![SubjectGroup::Members, SubjectGroup::Minors];
    facts.subjects_min = Some(48_000);
    facts.subjects_max = Some(48_000);
    facts.encryption = Some(Encryption::None);
    facts.consequences = Some(
        "De gegevens staan openbaar op een leksite: risico op phishing en misbruik van IBAN's (valse incasso's). Minderjarige leden zijn extra kwetsbaar."
            .into(),
    );
    facts.measures_taken =
        Some("Systemen geïsoleerd, wachtwoorden gereset, aangifte gedaan bij de politie.".into());
    facts.measures_planned = Some("Leden informeren; de leksite blijven volgen.".into());
    let mut incident = confirmed(
        4,
        "SPORT-2026-0002",
        facts,
        "2026-10-22T11:50:00Z",
        "2026-10-22T11:40:00Z",
        "2026-10-22T12:30:00Z",
    );
    incident.assessment = assessment(
        4,
        Ease::Maximum,
        [2, 0, 1],
        true,
        false,
        true,
        "Financiële gegevens van leden, onder wie minderjarigen (DPC 3 + 1); gepubliceerd.",
        "2026-10-23T09:00:00Z",
    );
    Scenario {
        incident,
        client: client("sport", "Koninklijke Sportbond Centraal", Some("Pieter Jansen")),
        now: t("2026-10-25T09:00:00Z"),
    }
}

fn s06_facts() -> Facts {
    let mut facts = bare_facts(
        "SQL-injectie op het communityforum",
        "Via SQL-injectie is de gebruikerstabel van het forum gekopieerd: pseudonieme gebruikersnamen en wachtwoordhashes (Argon2id met salt). Geen e-mailadressen.",
        "2026-08-17T11:50:00Z",
    );
    facts.discovery_method = Some("WAF-melding van verdachte queries".into());
    facts.occurred_from = Some(t("2026-08-16T23:00:00Z"));
    facts.occurred_until = Some(t("2026-08-17T11:55:00Z"));
    facts.incident_kind = Some(IncidentKind::HackingMalware);
    facts.nature = vec![Nature::Copied];
    facts.data_categories = vec![DataCategory::Credentials];
    facts.records_approx = Some(20_000);
    facts.subject_groups = vec![SubjectGroup::Users];
    facts.subjects_min = Some(20_000);
    facts.subjects_max = Some(20_000);
    facts.encryption = Some(Encryption::Hashed);
    facts.consequences =
        Some("Geen: de hashes zijn met de huidige stand van de techniek niet te kraken.".into());
    facts.measures_taken = Some("Kwetsbaarheid gedicht; alle wachtwoorden uit voorzorg gereset.".into());
    facts
}

/// S06: hashed passwords only; not notifiable.
fn s06() -> Scenario {
    let mut incident = confirmed(
        6,
        "FORUM-2026-0004",
        s06_facts(),
        "2026-08-17T12:10:00Z",
        "2026-08-17T12:00:00Z",
        "2026-08-17T13:00:00Z",
    );
    incident.state = State::NotNotifiable;
    incident.assessment = assessment(
        1,
        Ease::Negligible,
        [2, 0, 0],
        true,
        true,
        false,
        "Pseudonieme gebruikersnamen en gezouten Argon2id-hashes.",
        "2026-08-18T09:00:00Z",
    );
    incident.not_notifiable_justification = Some(
        "Onwaarschijnlijk dat het een risico oplevert: alleen pseudonieme namen en gezouten Argon2id-hashes; wachtwoorden uit voorzorg gereset.".into(),
    );
    incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::NoHighRisk,
        explanation: "Laag risico; gebruikers is uit voorzorg gevraagd een nieuw wachtwoord te kiezen."
            .into(),
    };
    Scenario {
        incident,
        client: client("forum", "Stichting Diervriendenforum", Some("Sanne Bakker")),
        now: t("2026-08-18T15:00:00Z"),
    }
}

/// S06b: e-mail addresses were taken too, found on 25 Aug after the S06 decision: re-opened after
/// the deadline, medium, 4.5 required.
fn s06b() -> Scenario {
    let mut s = s06();
    let f = &mut s.incident.facts;
    f.summary = "Via SQL-injectie is de gebruikerstabel van het forum gekopieerd: pseudonieme gebruikersnamen, wachtwoordhashes (Argon2id met salt) en, zo bleek op 25-08-2026, ook e-mailadressen.".into();
    f.data_categories = vec![DataCategory::Email, DataCategory::Credentials];
    f.consequences = Some("Risico op gerichte phishing naar de e-mailadressen van forumgebruikers.".into());
    s.incident.state = State::Confirmed;
    s.incident.version = 7;
    s.incident.assessment = assessment(
        1,
        Ease::Maximum,
        [2, 0, 0],
        true,
        false,
        false,
        "E-mailadressen maken de gebruikers direct identificeerbaar.",
        "2026-08-25T09:30:00Z",
    );
    s.now = t("2026-08-25T10:00:00Z");
    s
}

/// S07: credential stuffing on a customer portal; very high (boundary 4.0).
fn s07() -> Scenario {
    let mut facts = bare_facts(
        "Credential stuffing op het klantportaal",
        "Met elders gelekte wachtwoorden is op 1.300 klantaccounts ingelogd. Zichtbaar waren naam, adres, bestelhistorie en het opgeslagen IBAN.",
        "2026-09-07T05:20:00Z",
    );
    facts.discovery_method = Some("Piek in mislukte inlogpogingen in de monitoring".into());
    facts.occurred_from = Some(t("2026-09-06T20:00:00Z"));
    facts.occurred_until = Some(t("2026-09-07T05:45:00Z"));
    facts.incident_kind = Some(IncidentKind::UnauthorisedAccess);
    facts.nature = vec![Nature::Read];
    facts.data_categories = vec![
        DataCategory::NameAddress,
        DataCategory::Credentials,
        DataCategory::Financial,
        DataCategory::Other,
    ];
    facts.records_approx = Some(1_300);
    facts.subject_groups = vec![SubjectGroup::Customers];
    facts.subjects_min = Some(1_300);
    facts.subjects_max = Some(1_300);
    facts.encryption = Some(Encryption::None);
    facts.consequences = Some("Risico op fraude met incasso's en op phishing.".into());
    facts.measures_taken = Some(
        "Getroffen accounts geblokkeerd en wachtwoorden gereset; rate limiting en tweestapsverificatie aangezet."
            .into(),
    );
    let mut incident = confirmed(
        7,
        "ELEK-2026-0009",
        facts,
        "2026-09-07T05:35:00Z",
        "2026-09-07T05:30:00Z",
        "2026-09-07T06:00:00Z",
    );
    incident.assessment = assessment(
        3,
        Ease::Maximum,
        [2, 0, 0],
        true,
        false,
        false,
        "Financiële gegevens (IBAN) van klanten; ingezien door aanvallers.",
        "2026-09-07T14:00:00Z",
    );
    Scenario {
        incident,
        client: client("elek", "Elektro Express B.V.", Some("Eva Smit")),
        now: t("2026-09-09T06:00:00Z"),
    }
}

/// S09: a CSV mailed to the client's accountant (trusted, professional secrecy): not notifiable.
fn s09() -> Scenario {
    let mut facts = bare_facts(
        "Klantexport naar de verkeerde ontvanger gemaild",
        "Een supportmedewerker van GX mailde een export van 250 klanten (naam, e-mail, klantnummer) naar de accountant van de klant in plaats van naar de klant. De accountant bevestigde binnen 2 uur schriftelijk de verwijdering.",
        "2026-04-14T12:02:00Z",
    );
    facts.discovery_method = Some("De accountant belde terug".into());
    facts.occurred_from = Some(t("2026-04-14T11:58:00Z"));
    facts.occurred_until = Some(t("2026-04-14T11:58:00Z"));
    facts.incident_kind = Some(IncidentKind::Misdirected);
    facts.nature = vec![Nature::Read];
    facts.data_categories = vec![DataCategory::NameAddress, DataCategory::Email, DataCategory::Other];
    facts.records_approx = Some(250);
    facts.subject_groups = vec![SubjectGroup::Customers];
    facts.subjects_min = Some(250);
    facts.subjects_max = Some(250);
    facts.encryption = Some(Encryption::None);
    facts.consequences =
        Some("Eén vertrouwde ontvanger met geheimhoudingsplicht kon de gegevens inzien.".into());
    facts.measures_taken = Some("Verwijdering schriftelijk bevestigd door de ontvanger.".into());
    facts.other_organisations =
        Some("Accountantskantoor van de klant (ontvanger, geheimhoudingsplicht)".into());
    let mut incident = confirmed(
        9,
        "FIETS-2026-0001",
        facts,
        "2026-04-14T12:08:00Z",
        "2026-04-14T12:05:00Z",
        "2026-04-14T12:10:00Z",
    );
    incident.state = State::NotNotifiable;
    incident.assessment = assessment(
        1,
        Ease::Maximum,
        [1, 0, 0],
        false,
        false,
        false,
        "Eenvoudige gegevens naar één bekende, vertrouwde ontvanger.",
        "2026-04-14T14:30:00Z",
    );
    incident.not_notifiable_justification = Some(
        "Onwaarschijnlijk dat het een risico oplevert: vertrouwde ontvanger met geheimhoudingsplicht, verwijdering schriftelijk bevestigd.".into(),
    );
    incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::NoHighRisk,
        explanation: "Laag risico; gegevens verwijderd door de ontvanger.".into(),
    };
    Scenario {
        incident,
        client: client("fiets", "Fietsenfabriek Fris B.V.", Some("Frank Visser")),
        now: t("2026-04-15T12:00:00Z"),
    }
}

/// S13: an open API exposed 12,000 customers; not yet notified 8 h after the deadline.
fn s13() -> Scenario {
    let mut facts = bare_facts(
        "Open API-endpoint met klantgegevens",
        "Een verkeerd geconfigureerd openbaar API-endpoint gaf drie weken lang namen, adressen, e-mailadressen en bestelhistorie van klanten prijs. De gateway-logs tonen downloads vanaf onbekende IP-adressen.",
        "2026-06-15T06:10:00Z",
    );
    facts.discovery_method = Some("Melding van een beveiligingsonderzoeker".into());
    facts.occurred_from = Some(t("2026-05-25T08:00:00Z"));
    facts.occurred_until = Some(t("2026-06-15T06:45:00Z"));
    facts.incident_kind = Some(IncidentKind::PublishedByMistake);
    facts.nature = vec![Nature::Read, Nature::Copied];
    facts.data_categories = vec![DataCategory::NameAddress, DataCategory::Email, DataCategory::Other];
    facts.records_approx = Some(12_000);
    facts.subject_groups = vec![SubjectGroup::Customers];
    facts.subjects_min = Some(12_000);
    facts.subjects_max = Some(12_000);
    facts.encryption = Some(Encryption::None);
    facts.consequences = Some("Risico op phishing met kennis van eerdere bestellingen.".into());
    facts.measures_taken = Some("Endpoint afgesloten; configuratie hersteld; logs veiliggesteld.".into());
    facts.measures_planned = Some("Klanten waarschuwen voor phishing via de website.".into());
    let mut incident = confirmed(
        13,
        "GROEN-2026-0005",
        facts,
        "2026-06-15T06:30:00Z",
        "2026-06-15T06:20:00Z",
        "2026-06-15T07:00:00Z",
    );
    incident.assessment = assessment(
        2,
        Ease::Maximum,
        [2, 0, 0],
        false,
        false,
        false,
        "Klantgegevens met bestelhistorie; door onbekenden gedownload.",
        "2026-06-16T10:00:00Z",
    );
    Scenario {
        incident,
        client: client("groen", "Groenhuis Tuinartikelen B.V.", Some("Gert Mulder")),
        now: t("2026-06-18T15:00:00Z"),
    }
}

const S13_DELAY: &str = "De omvang van het lek (welke records, welke periode) werd pas op 18-06-2026 na analyse van de API-gatewaylogs door een externe partij vastgesteld; de melding is daardoor 8 uur na het verstrijken van de termijn gedaan.";

/// S13 after the DPO notified the AP, 8 h late, with the reasons for delay.
fn s13_notified() -> Scenario {
    let mut s = s13();
    s.incident.state = State::ApNotified;
    s.incident.ap = Some(ApNotification {
        notified_at: t("2026-06-18T15:00:00Z"),
        reference: "AP-2026-061801".into(),
        preliminary: false,
        delay_reason: Some(S13_DELAY.into()),
    });
    s.incident.notified_snapshot = Some(s.incident.facts.clone());
    s.now = t("2026-06-18T15:30:00Z");
    s
}

fn s15_initial_facts() -> Facts {
    let mut facts = bare_facts(
        "Bulkdownload uit de stagingomgeving",
        "Het IDS meldde een bulkdownload uit de stagingomgeving. Mogelijk bevatte de set klantgegevens; onderzoek loopt.",
        "2026-11-02T20:35:00Z",
    );
    facts.discovery_method = Some("IDS-melding".into());
    facts.occurred_from = Some(t("2026-11-02T19:50:00Z"));
    facts.occurred_until = Some(t("2026-11-02T20:30:00Z"));
    facts.incident_kind = Some(IncidentKind::UnauthorisedAccess);
    facts.nature = vec![Nature::Copied];
    facts.data_categories = vec![DataCategory::NameAddress, DataCategory::Email];
    facts.subject_groups = vec![SubjectGroup::Customers];
    facts.subjects_min = Some(0);
    facts.subjects_max = Some(5_000);
    facts.encryption = Some(Encryption::Unknown);
    facts.consequences = Some("Nog onbekend; mogelijk phishing als het om echte klantgegevens gaat.".into());
    facts.measures_taken =
        Some("Toegang tot de stagingomgeving geblokkeerd; forensisch onderzoek gestart.".into());
    facts
}

fn s15_base() -> Scenario {
    let mut incident = confirmed(
        15,
        "HAVEN-2026-0008",
        s15_initial_facts(),
        "2026-11-02T20:45:00Z",
        "2026-11-02T20:40:00Z",
        "2026-11-02T21:00:00Z",
    );
    incident.state = State::ApNotified;
    incident.assessment = assessment(
        1,
        Ease::Maximum,
        [2, 0, 0],
        true,
        false,
        false,
        "Voorlopig: mogelijk klantgegevens, door een onbekende gedownload.",
        "2026-11-03T12:00:00Z",
    );
    incident.ap = Some(ApNotification {
        notified_at: t("2026-11-03T17:00:00Z"),
        reference: "AP-2026-110301".into(),
        preliminary: true,
        delay_reason: None,
    });
    incident.notified_snapshot = Some(incident.facts.clone());
    Scenario {
        incident,
        client: client("haven", "Havenstad Energie B.V.", Some("Hanna de Boer")),
        now: t("2026-11-06T10:00:00Z"),
    }
}

/// S15 between the preliminary notification and the withdrawal: a supplement with new facts.
fn s15_supplement() -> Scenario {
    let mut s = s15_base();
    let f = &mut s.incident.facts;
    f.summary = "Het IDS meldde een bulkdownload uit de stagingomgeving. De set bevatte 4.800 records; of het echte klantgegevens zijn, wordt nog onderzocht.".into();
    f.discovery_method = Some("IDS-melding, bevestigd door de firewall-logs".into());
    f.records_approx = Some(4_800);
    f.subjects_max = Some(4_800);
    f.measures_planned = Some("Stagingomgeving alleen nog met synthetische gegevens vullen.".into());
    s
}

/// S15: the preliminary notification withdrawn: the set held only synthetic test data.
fn s15() -> Scenario {
    let mut s = s15_supplement();
    s.incident.state = State::ApWithdrawn;
    s.incident.facts.summary = "Het IDS meldde een bulkdownload uit de stagingomgeving. Forensisch onderzoek (9-11-2026) toont aan dat de set uitsluitend synthetische testgegevens bevatte.".into();
    s.incident.withdrawn_at = Some(t("2026-11-09T15:00:00Z"));
    s.incident.withdraw_reason = Some(
        "Geen inbreuk op persoonsgegevens: de gedownloade set bevatte uitsluitend synthetische testgegevens (forensisch onderzoek 9-11-2026).".into(),
    );
    s.now = t("2026-11-10T09:00:00Z");
    s
}

fn all() -> Vec<(&'static str, Scenario)> {
    vec![
        ("s01", s01()),
        ("s02", s02()),
        ("s04", s04()),
        ("s06", s06()),
        ("s06b", s06b()),
        ("s07", s07()),
        ("s09", s09()),
        ("s13", s13()),
        ("s13_notified", s13_notified()),
        ("s15_supplement", s15_supplement()),
        ("s15", s15()),
    ]
}

fn json(draft: &ApDraft) -> String {
    serde_json::to_string_pretty(draft).expect("the draft serialises")
}

fn letter_text(letter: &SubjectLetter) -> String {
    format!("{}\n\nSubject: {}\n\n{}", letter.draft_note, letter.subject, letter.body)
}

fn numbers_of(labels: &[String]) -> Vec<&str> {
    labels.iter().map(|l| l.split(' ').next().unwrap_or_default()).collect()
}

// ---------------------------------------------------------------------------------------------
// Snapshots: JSON and text of every scenario
// ---------------------------------------------------------------------------------------------

macro_rules! snapshot_scenario {
    ($name:ident, $scenario:expr, $locale:expr) => {
        #[test]
        fn $name() {
            let draft = $scenario.draft($locale);
            assert_snapshot!(concat!(stringify!($name), "_json"), json(&draft));
            assert_snapshot!(concat!(stringify!($name), "_text"), render_text(&draft));
        }
    };
}

snapshot_scenario!(s01_nl, s01(), Locale::Nl);
snapshot_scenario!(s02_nl, s02(), Locale::Nl);
snapshot_scenario!(s04_nl, s04(), Locale::Nl);
snapshot_scenario!(s04_en, s04(), Locale::En);
snapshot_scenario!(s06_nl, s06(), Locale::Nl);
snapshot_scenario!(s06b_nl, s06b(), Locale::Nl);
snapshot_scenario!(s07_nl, s07(), Locale::Nl);
snapshot_scenario!(s09_nl, s09(), Locale::Nl);
snapshot_scenario!(s13_nl, s13(), Locale::Nl);
snapshot_scenario!(s13_en, s13(), Locale::En);
snapshot_scenario!(s13_notified_nl, s13_notified(), Locale::Nl);
snapshot_scenario!(s15_supplement_nl, s15_supplement(), Locale::Nl);
snapshot_scenario!(s15_nl, s15(), Locale::Nl);

#[test]
fn subject_letters_for_high_risk_scenarios() {
    for (name, scenario) in [("s04", s04()), ("s07", s07())] {
        for (lang, locale) in [("nl", Locale::Nl), ("en", Locale::En)] {
            let letter =
                scenario.letter(locale).unwrap_or_else(|| panic!("{name} proposes informing subjects"));
            assert_eq!(letter.locale, locale);
            assert_snapshot!(format!("letter_{name}_{lang}"), letter_text(&letter));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

/// The AP form's question numbers (`docs/REGULATION.md` §8), written out by hand, in form order (4.4 is
/// unknown and skipped).
const FORM_NUMBERS: [&str; 39] = [
    "1.1", "1.2", "1.3", "2.1.1", "2.2.1", "3.1.1a", "3.1.1b", "3.1.1c", "3.1.1d", "3.1.1e", "3.1.2",
    "3.2.1", "3.2.2", "3.3", "4.1.1", "4.1.2", "4.2", "4.3", "4.5", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2",
    "6.3.1", "7.1", "7.2", "7.3", "8.1", "9.1", "9.2", "9.3", "10.1.1", "10.1.x", "10.1.x", "10.1.3",
    "10.1.7", "10.2",
];

/// The acceptance check: for a confirmed breach with the S13 facts, the text draft carries every AP
/// question in order, says which are missing, and demands 4.5 after the deadline.
#[test]
fn acceptance_s13_text_has_every_question_in_order_and_demands_4_5() {
    let s = s13();
    assert_eq!(s.incident.state, State::Confirmed);
    let draft = s.draft(Locale::Nl);
    let text = render_text(&draft);

    assert!(text.starts_with("CONCEPT — niet ingediend bij de AP"), "{text}");

    // Every question, in form order, each as a block: number and label, then the value.
    let chapters_start = text.find("== 1 Introductie ==").expect("chapter 1");
    let mut at = chapters_start;
    for number in FORM_NUMBERS {
        let needle = format!("\n\n{number} ");
        let found = text[at..].find(&needle).unwrap_or_else(|| panic!("question {number} after byte {at}"));
        at += found + needle.len();
    }
    let labels: Vec<&str> =
        FORM.iter().flat_map(|c| c.questions.iter()).map(|q| q.label(Locale::Nl)).collect();
    for label in labels {
        assert!(text.contains(label), "label {label}");
    }

    // It says what is missing, 4.5 first.
    let missing_block = text.split("Ontbreekt (verplicht):\n").nth(1).expect("missing list");
    assert!(missing_block.starts_with("- 4.5 Indien later dan 72 uur gemeld: waarom?\n"), "{missing_block}");

    // And demands 4.5: missing and required.
    assert!(
        text.contains("\n\n4.5 Indien later dan 72 uur gemeld: waarom?\n[ONTBREEKT]\n[verplicht] [Verplicht: de termijn verstreek op do 18 jun 2026 09:00 CEST (UTC+02:00) = 2026-06-18 07:00 UTC (nu al 8 u 0 min te laat; art. 33 lid 1 AVG). Klaar om te plakken: De verwerker GX Software was op ma 15 jun 2026 08:20 CEST (UTC+02:00) op de hoogte van de inbreuk en informeerde de verwerkingsverantwoordelijke op ma 15 jun 2026 09:00 CEST (UTC+02:00), 40 minuten later.]\n"),
        "{text}"
    );
    assert!(draft.late);
    assert_eq!(draft.late_by.as_deref(), Some("8 u 0 min"));
    assert_eq!(draft.missing, ["4.5 Indien later dan 72 uur gemeld: waarom?"]);
}

#[test]
fn the_form_has_the_field_list_in_order_with_unique_keys() {
    let numbers: Vec<&str> =
        FORM.iter().flat_map(|c| c.questions.iter()).map(|q| q.number).filter(|n| !n.is_empty()).collect();
    assert_eq!(numbers, FORM_NUMBERS);
    let mut keys: Vec<&str> = FORM.iter().flat_map(|c| c.questions.iter()).map(|q| q.key.as_str()).collect();
    let count = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), count, "keys are unique");
    for (_, s) in all() {
        let draft = s.draft(Locale::Nl);
        let keys: Vec<QuestionKey> = draft.answers().map(|a| a.key).collect();
        let form: Vec<QuestionKey> = FORM.iter().flat_map(|c| c.questions.iter()).map(|q| q.key).collect();
        assert_eq!(keys, form, "every draft answers every question, in order");
    }
}

/// The keys are typed: each row of [`FORM`] has its own [`QuestionKey`], whose text and number are the
/// row's, and which the draft, its JSON and the mail list use.
#[test]
fn question_keys_are_the_rows_of_the_form() {
    let questions: Vec<&Question> = FORM.iter().flat_map(|c| c.questions.iter()).collect();
    for q in &questions {
        assert_eq!(q.key.number(), q.number, "{}", q.key);
        assert!(q.key.as_str().starts_with(q.number), "{}", q.key);
        assert_eq!(q.key.to_string(), q.key.as_str());
        assert_eq!(serde_json::to_value(q.key).ok(), Some(serde_json::json!(q.key.as_str())));
    }
    // Only the two 10.1.x questions and the closing remarks have a key other than their number.
    let named: Vec<&str> =
        questions.iter().filter(|q| q.key.as_str() != q.number).map(|q| q.key.as_str()).collect();
    assert_eq!(named, ["10.1.x-why-not", "10.1.x-public", "other"]);
    let draft = s13().draft(Locale::En);
    for q in &questions {
        let answer = draft.answer(q.key).expect("every key has its answer");
        assert_eq!((answer.key, answer.number), (q.key, q.number));
    }
    let json: serde_json::Value = serde_json::to_value(&draft).expect("serialises");
    assert_eq!(json["chapters"][3]["answers"][4]["key"], "4.5");
    assert_eq!(json["chapters"][9]["answers"][1]["key"], "10.1.x-why-not");
    let mut bare = s13();
    bare.incident.facts =
        bare_facts("Laptop kwijt", "Laptop in de trein laten liggen", "2026-06-15T06:10:00Z");
    bare.incident.assessment = None;
    for m in missing_answers(&bare.incident, true) {
        assert!(questions.iter().any(|q| q.key == m.key), "{}", m.key);
        assert_eq!(m.number, m.key.number());
    }
}

/// Every chapter, question and short label of a missing answer has its text in both languages
/// (`ap-form-chapter-…`, `ap-form-q-…`, `ap-missing-q-…` in `locales/*/art33.ftl`): the keys are
/// made at run time, so the test of the keys in code cannot see them.
#[test]
fn the_form_and_its_short_labels_have_their_texts_in_both_languages() {
    let mut bare = s13();
    bare.incident.facts =
        bare_facts("Laptop kwijt", "Laptop in de trein laten liggen", "2026-06-15T06:10:00Z");
    bare.incident.assessment = None;
    let missing = missing_answers(&bare.incident, true);
    assert!(missing.len() > 5, "{missing:?}");
    for locale in [Locale::Nl, Locale::En] {
        for chapter in FORM {
            let title = chapter.title(locale);
            assert!(!title.is_empty() && title != chapter.number, "chapter {} in {locale:?}", chapter.number);
            for question in chapter.questions {
                assert_ne!(
                    question.label(locale),
                    question.key.as_str(),
                    "question {} in {locale:?}",
                    question.key
                );
            }
        }
        for m in &missing {
            assert!(!m.label(locale).contains("ap-missing-q-"), "{}", m.label(locale));
        }
    }
}

/// The filling logic answers every question of the form with an arm of its own: `fill` is an
/// exhaustive `match` over [`QuestionKey`] without a catch-all (the compiler checks that), and no
/// question comes out as the old catch-all's silent answer (missing, optional, not for the AP form,
/// without a note), in any case, locale, or with the instants left out as [`standing`] does.
#[test]
fn every_question_of_the_form_is_filled_by_its_own_arm() {
    let policy = policy();
    for (name, s) in completeness_cases() {
        for locale in [Locale::Nl, Locale::En] {
            let input = s.input(&policy, locale);
            for instants in [true, false] {
                let ctx = context::Ctx::new(&input, instants);
                for question in FORM.iter().flat_map(|c| c.questions.iter()) {
                    let filled = fill::fill(&ctx, &s.incident.facts, question.key);
                    let silent = filled.value.is_none()
                        && filled.provenance == Provenance::Missing
                        && !filled.required
                        && !filled.on_form_only
                        && filled.note.is_none();
                    assert!(!silent, "{name} ({locale:?}): {} is not answered", question.key);
                }
            }
            let draft = build(&input);
            let answered: Vec<QuestionKey> = draft.answers().map(|a| a.key).collect();
            let form: Vec<QuestionKey> =
                FORM.iter().flat_map(|c| c.questions.iter()).map(|q| q.key).collect();
            assert_eq!(answered, form, "{name}");
        }
    }
}

#[test]
fn late_demands_4_5_listed_first() {
    // S13 before notify_ap, and S06b re-opened after the deadline.
    for (name, s) in [("s13", s13()), ("s06b", s06b())] {
        for locale in [Locale::Nl, Locale::En] {
            let draft = s.draft(locale);
            assert!(draft.late, "{name}");
            let a45 = draft.answer(QuestionKey::Q4_5).expect("4.5");
            assert!(a45.required, "{name}");
            assert_eq!(a45.provenance, Provenance::Missing, "{name}");
            assert_eq!(a45.value, None);
            assert!(draft.missing[0].starts_with("4.5 "), "{name}: {:?}", draft.missing);
        }
    }
    // S06b's other missing answers follow 4.5 in form order.
    let draft = s06b().draft(Locale::Nl);
    assert_eq!(numbers_of(&draft.missing), ["4.5"]);
}

#[test]
fn on_time_4_5_is_not_applicable() {
    // S13 one hour before the deadline: not late, 4.5 not required.
    let mut s = s13();
    s.now = t("2026-06-18T06:00:00Z");
    let draft = s.draft(Locale::Nl);
    assert!(!draft.late);
    assert_eq!(draft.late_by, None);
    let a45 = draft.answer(QuestionKey::Q4_5).expect("4.5");
    assert!(!a45.required);
    assert_eq!(a45.provenance, Provenance::Derived);
    assert!(a45.value.as_deref().is_some_and(|v| v.starts_with("n.v.t.")), "{a45:?}");
    assert!(draft.missing.is_empty(), "{:?}", draft.missing);
    // Exactly at the deadline is still on time.
    s.now = t("2026-06-18T07:00:00Z");
    assert!(!s.draft(Locale::Nl).late);
    s.now = t("2026-06-18T07:00:01Z");
    assert!(s.draft(Locale::Nl).late);

    // Notified on time (S02 notified at 15:30Z, deadline 16:00Z): recorded "n.v.t.".
    let mut s = s02();
    s.incident.state = State::ApNotified;
    s.incident.ap = Some(ApNotification {
        notified_at: t("2026-12-27T15:30:00Z"),
        reference: "AP-2026-122701".into(),
        preliminary: false,
        delay_reason: None,
    });
    s.incident.notified_snapshot = Some(s.incident.facts.clone());
    s.now = t("2026-12-28T09:00:00Z");
    let draft = s.draft(Locale::Nl);
    assert!(!draft.late);
    let a45 = draft.answer(QuestionKey::Q4_5).expect("4.5");
    assert_eq!(a45.provenance, Provenance::Recorded);
    assert_eq!(a45.value.as_deref(), Some("n.v.t. (gemeld binnen 72 uur)"));
    // GX knew 50 minutes before the client: notifying after GX's own 72 hours (15:10Z) gets a
    // recommendation.
    assert!(a45.note.as_deref().is_some_and(|n| n.starts_with("Aanbevolen:")), "{a45:?}");
}

#[test]
fn notified_late_with_reasons_records_4_5() {
    let draft = s13_notified().draft(Locale::Nl);
    assert_eq!(draft.kind, DraftKind::Supplement);
    assert!(draft.late);
    assert_eq!(draft.late_by.as_deref(), Some("8 u 0 min"));
    let a45 = draft.answer(QuestionKey::Q4_5).expect("4.5");
    assert_eq!((a45.provenance, a45.required), (Provenance::Recorded, true));
    assert_eq!(a45.value.as_deref(), Some(S13_DELAY));
    assert!(draft.missing.is_empty());
    assert!(draft.changes.is_empty(), "nothing changed since the notification");
}

#[test]
fn not_notifiable_yields_a_draft_marked_not_required() {
    for (name, s) in [("s01", s01()), ("s06", s06()), ("s09", s09())] {
        let draft = s.draft(Locale::Nl);
        assert!(!draft.required, "{name}");
        assert_eq!(draft.kind, DraftKind::Initial, "{name}");
        let note = draft.required_note.as_deref().unwrap_or_default();
        assert!(note.starts_with("Niet meldplichtig: Onwaarschijnlijk"), "{name}: {note}");
        assert!(
            render_text(&draft).contains("Melding vereist: NIET VEREIST — Niet meldplichtig: "),
            "{name}"
        );
        assert!(!draft.late, "{name}");
        assert!(!draft.chapters.is_empty(), "{name}: still a full draft for the register");
    }
    // In English.
    let draft = s01().draft(Locale::En);
    assert!(draft.required_note.as_deref().is_some_and(|n| n.starts_with("Not notifiable: ")));

    // Closed after the decision: still not required.
    let mut s = s09();
    s.incident.state = State::Closed;
    s.incident.closed_at = Some(t("2026-04-20T10:00:00Z"));
    let draft = s.draft(Locale::Nl);
    assert!(!draft.required);
    assert!(draft.required_note.as_deref().is_some_and(|n| n.starts_with("Niet meldplichtig: ")));
}

#[test]
fn dismissed_and_unconfirmed_incidents() {
    let mut s = s13();
    s.incident.state = State::Dismissed;
    s.incident.dismiss_reason = Some("Testgegevens, geen persoonsgegevens".into());
    let draft = s.draft(Locale::Nl);
    assert!(!draft.required);
    assert_eq!(draft.required_note.as_deref(), Some("Geen datalek: Testgegevens, geen persoonsgegevens"));
    assert!(!draft.late);
    assert!(s.letter(Locale::Nl).is_none());

    // Reported, not yet confirmed: no clock, 4.5 not applicable.
    let mut s = s13();
    s.incident.state = State::Reported;
    s.incident.processor_aware_at = None;
    s.incident.controller_aware_at = None;
    let draft = s.draft(Locale::Nl);
    assert!(draft.required);
    assert_eq!(draft.deadline_at, None);
    assert!(!draft.late);
    assert!(draft.required_note.as_deref().is_some_and(|n| n.starts_with("Nog niet bevestigd")));
    assert!(render_text(&draft).contains("Termijn AP-melding: nog niet vastgelegd (begint zodra de verwerkingsverantwoordelijke op de hoogte is)\n"));
    assert_eq!(draft.answer(QuestionKey::Q4_5).map(|a| a.required), Some(false));
}

#[test]
fn a_confirmed_breach_the_severity_does_not_propose_to_notify_says_so() {
    let mut s = s09();
    s.incident.state = State::Confirmed;
    let draft = s.draft(Locale::Nl);
    assert!(draft.required, "the DPO decides");
    assert!(
        draft
            .required_note
            .as_deref()
            .is_some_and(|n| n.starts_with("Voorstel op basis van de ernstinschatting"))
    );
}

#[test]
fn withdrawal_carries_its_reason() {
    let draft = s15().draft(Locale::Nl);
    assert_eq!(draft.kind, DraftKind::Withdrawal);
    assert_eq!(draft.kind_label, "Intrekking van een melding");
    assert!(
        draft.withdrawal_reason.as_deref().is_some_and(|r| r.starts_with("Geen inbreuk op persoonsgegevens"))
    );
    assert!(!draft.required);
    assert_eq!(draft.required_note.as_deref(), Some("De melding is ingetrokken."));
    let previous = draft.previous.as_ref().expect("the notification on record");
    assert_eq!(previous.ap_reference, "AP-2026-110301");
    assert!(previous.preliminary);
    assert_eq!(previous.withdrawn_at, Some(t("2026-11-09T15:00:00Z")));
    assert!(draft.changes.is_empty(), "a withdrawal lists no changes");
    let text = render_text(&draft);
    assert!(text.contains("Soort: Intrekking van een melding\n"));
    assert!(text.contains("Ingetrokken op: ma 9 nov 2026 16:00 CET (UTC+01:00) = 2026-11-09 15:00 UTC\n"));
    assert!(text.contains("Reden van intrekking: Geen inbreuk op persoonsgegevens"));
    assert!(s15().letter(Locale::Nl).is_none());

    // Closed after the withdrawal: still a withdrawal.
    let mut s = s15();
    s.incident.state = State::Closed;
    assert_eq!(s.draft(Locale::Nl).kind, DraftKind::Withdrawal);
    // Re-opened after the withdrawal: a new initial notification.
    s.incident.state = State::Confirmed;
    let draft = s.draft(Locale::Nl);
    assert_eq!(draft.kind, DraftKind::Initial);
    assert!(draft.late, "the deadline of 5 Nov has long passed");
}

#[test]
fn supplement_lists_what_changed_since_the_last_notified_version() {
    let draft = s15_supplement().draft(Locale::Nl);
    assert_eq!(draft.kind, DraftKind::Supplement);
    let changed: Vec<&str> = draft.changes.iter().map(|c| c.number).collect();
    assert_eq!(changed, ["4.3", "5.3", "6.3.1", "7.3", "10.2"]);
    let c73 = draft.changes.iter().find(|c| c.number == "7.3").expect("7.3 changed");
    assert_eq!(c73.before.as_deref(), Some("0 – 5.000"));
    assert_eq!(c73.after.as_deref(), Some("0 – 4.800"));
    let c631 = draft.changes.iter().find(|c| c.number == "6.3.1").expect("6.3.1 changed");
    assert_eq!((c631.before.as_deref(), c631.after.as_deref()), (None, Some("ca. 4.800")));
    let text = render_text(&draft);
    assert!(
        text.contains(
            "- 7.3 Aantal betrokkenen (exact, of minimum en maximum)\n  was: 0 – 5.000\n  nu:  0 – 4.800\n"
        ),
        "{text}"
    );
    assert_eq!(
        draft.answer(QuestionKey::Other).and_then(|a| a.value.as_deref()),
        Some(
            "Aanvulling op de voorlopige melding met AP-kenmerk AP-2026-110301 van di 3 nov 2026 18:00 CET (UTC+01:00) = 2026-11-03 17:00 UTC."
        )
    );

    // A second supplement compares with the facts as last supplemented.
    let mut s = s15_supplement();
    s.incident.supplements.push(crate::domain::incident::Supplement {
        at: t("2026-11-06T09:00:00Z"),
        note: "Aantallen bijgewerkt".into(),
        ap_reference: None,
        complete: false,
    });
    s.incident.notified_snapshot = Some(s.incident.facts.clone());
    s.incident.facts.subjects_min = Some(4_800);
    let draft = s.draft(Locale::Nl);
    assert_eq!(draft.changes.len(), 1);
    assert_eq!(draft.changes[0].after.as_deref(), Some("4.800"));
    assert_eq!(draft.previous.as_ref().map(|p| p.supplements), Some(1));
    assert_eq!(draft.previous.as_ref().map(|p| p.last_version_at), Some(t("2026-11-06T09:00:00Z")));
}

#[test]
fn processor_is_named_under_3_3() {
    for (name, s) in all() {
        let nl = s.draft(Locale::Nl);
        let a = nl.answer(QuestionKey::Q3_3).expect("3.3");
        assert!(
            a.value.as_deref().is_some_and(|v| v.starts_with("GX Software (verwerker)")),
            "{name}: {a:?}"
        );
        assert_eq!(a.provenance, Provenance::Derived);
        let en = s.draft(Locale::En);
        assert!(
            en.answer(QuestionKey::Q3_3)
                .and_then(|a| a.value.as_deref())
                .is_some_and(|v| v.starts_with("GX Software (processor)"))
        );
    }
    // Other organisations follow the processor.
    let draft = s09().draft(Locale::Nl);
    assert_eq!(
        draft.answer(QuestionKey::Q3_3).and_then(|a| a.value.as_deref()),
        Some("GX Software (verwerker); Accountantskantoor van de klant (ontvanger, geheimhoudingsplicht)")
    );
}

#[test]
fn subjects_count_is_exact_a_range_or_incomplete() {
    /// Minimum, maximum, the expected 7.3 value and provenance.
    type Case = (Option<u64>, Option<u64>, Option<&'static str>, Provenance);
    let cases: [Case; 5] = [
        (Some(12_000), Some(12_000), Some("12.000"), Provenance::Recorded),
        (Some(0), Some(5_000), Some("0 – 5.000"), Provenance::Recorded),
        (Some(10), None, Some("10 – ?"), Provenance::Missing),
        (None, Some(300), Some("? – 300"), Provenance::Missing),
        (None, None, None, Provenance::Missing),
    ];
    let complete = s13().draft(Locale::Nl).completeness;
    for (min, max, value, provenance) in cases {
        let mut s = s13();
        s.incident.facts.subjects_min = min;
        s.incident.facts.subjects_max = max;
        let draft = s.draft(Locale::Nl);
        let a = draft.answer(QuestionKey::Q7_3).expect("7.3");
        assert_eq!((a.value.as_deref(), a.provenance), (value, provenance), "{min:?}–{max:?}");
        assert!(a.required);
        if provenance == Provenance::Missing {
            assert!(numbers_of(&draft.missing).contains(&"7.3"), "{min:?}–{max:?}");
            assert_eq!(draft.completeness.answered, complete.answered - 1);
            assert_eq!(draft.completeness.total, complete.total);
        }
        if value.is_some_and(|v| v.contains('?')) {
            assert!(a.note.as_deref().is_some_and(|n| n.starts_with("Open einde")), "{a:?}");
            let text = render_text(&draft);
            assert!(
                text.contains(&format!(
                    "{}\n[onvolledig] [verplicht] [Open einde",
                    value.unwrap_or_default()
                ))
            );
        }
    }
    // English grouping.
    let mut s = s13();
    s.incident.facts.subjects_min = Some(10);
    s.incident.facts.subjects_max = Some(48_000);
    assert_eq!(
        s.draft(Locale::En).answer(QuestionKey::Q7_3).and_then(|a| a.value.as_deref()),
        Some("10 – 48,000")
    );
}

#[test]
fn completeness_counts_the_required_answers() {
    for (name, s) in all() {
        for locale in [Locale::Nl, Locale::En] {
            let draft = s.draft(locale);
            let required: Vec<&Answer> = draft.answers().filter(|a| a.required).collect();
            let answered = required.iter().filter(|a| a.provenance != Provenance::Missing).count();
            let c = draft.completeness;
            assert_eq!((c.answered, c.total), (answered, required.len()), "{name}");
            assert_eq!(c.answered + draft.missing.len(), c.total, "{name}: missing = required − answered");
            assert_eq!(usize::from(c.percent), c.answered * 100 / c.total, "{name}");
            let derived =
                draft.answers().filter(|a| a.required && a.provenance == Provenance::Derived).count();
            assert_eq!(draft.to_confirm.len(), derived, "{name}");
            for a in draft.answers().filter(|a| a.on_form_only) {
                assert_eq!((a.provenance, a.required), (Provenance::Missing, false), "{name} {}", a.key);
            }
        }
    }
    // An incident with only the required facts.
    let mut s = s13();
    s.incident.facts = bare_facts("Laptop kwijt", "Laptop in de trein laten liggen", "2026-06-15T06:10:00Z");
    s.incident.assessment = None;
    s.now = t("2026-06-16T07:00:00Z");
    let draft = s.draft(Locale::Nl);
    assert_eq!(
        numbers_of(&draft.missing),
        [
            "1.3", "4.1.1", "4.3", "5.1", "5.2", "6.1", "6.3.1", "7.1", "7.3", "8.1", "9.1", "9.2", "9.3",
            "10.1.1", "10.2"
        ]
    );
    // Answered: 1.1, 1.2, 2.1.1, 2.2.1, 3.2.2, 3.3 and 6.2 derived; 3.1.1a–e, 3.1.2 and 3.2.1 from
    // the client profile, 4.2 and 5.3 recorded; 1.3 missing from the facts; 5.4 only the AP form
    // takes; 7.2 optional.
    assert_eq!(
        draft.completeness,
        Completeness { answered: 16, total: 31, percent: 51, asked: 32, on_form_only: 1 }
    );
    // Without a client profile chapter 3 is missing too.
    let draft = with_profile(s, ClientProfile::empty(Locale::Nl)).draft(Locale::Nl);
    assert_eq!(
        numbers_of(&draft.missing)[..8],
        ["1.3", "3.1.1a", "3.1.1b", "3.1.1c", "3.1.1d", "3.1.1e", "3.1.2", "3.2.1"]
    );
    assert_eq!(
        draft.completeness,
        Completeness { answered: 9, total: 31, percent: 29, asked: 32, on_form_only: 1 }
    );
}

/// Every scenario, and each at a few more instants and states: before confirmation, on time, late
/// without reasons, notified late with and without reasons, supplement, withdrawal.
fn completeness_cases() -> Vec<(String, Scenario)> {
    let mut cases: Vec<(String, Scenario)> = all().into_iter().map(|(n, s)| (n.to_string(), s)).collect();
    for (name, s) in all() {
        for (when, now) in
            [("early", s.now - chrono::Duration::days(2)), ("later", s.now + chrono::Duration::days(5))]
        {
            cases.push((
                format!("{name} {when}"),
                Scenario { incident: s.incident.clone(), client: s.client.clone(), now },
            ));
        }
    }
    // S13 late without reasons (before notify_ap), then on time.
    let mut on_time = s13();
    on_time.now = t("2026-06-18T06:00:00Z");
    cases.push(("s13 on time".into(), on_time));
    // S13 notified late, with and without reasons.
    let mut no_reason = s13_notified();
    if let Some(ap) = &mut no_reason.incident.ap {
        ap.delay_reason = None;
    }
    cases.push(("s13 notified late without reasons".into(), no_reason));
    // Not yet confirmed, and with only the required facts.
    let mut reported = s13();
    reported.incident.state = State::Reported;
    reported.incident.controller_aware_at = None;
    reported.incident.assessment = None;
    cases.push(("s13 reported".into(), reported));
    let mut bare = s13();
    bare.incident.facts =
        bare_facts("Laptop kwijt", "Laptop in de trein laten liggen", "2026-06-15T06:10:00Z");
    bare.incident.assessment = None;
    cases.push(("bare".into(), bare));
    cases
}

#[test]
fn the_standing_alone_equals_the_drafts() {
    let policy = policy();
    let mut some_unanswered = false;
    for (name, s) in completeness_cases() {
        for locale in [Locale::Nl, Locale::En] {
            let input = s.input(&policy, locale);
            let draft = build(&input);
            let alone = standing(&input);
            assert_eq!(alone.completeness, draft.completeness, "{name} ({locale:?})");
            assert_eq!(alone.unanswered, draft.unanswered(), "{name} ({locale:?})");
            let labels: Vec<String> = alone.unanswered.iter().map(|q| q.numbered_label(locale)).collect();
            let drafts: Vec<String> =
                draft.answers().filter(|a| a.required && !a.is_answered()).map(|a| a.label()).collect();
            assert_eq!(labels, drafts, "{name} ({locale:?})");
            some_unanswered |= !alone.unanswered.is_empty();
        }
    }
    assert!(some_unanswered, "the cases leave some questions unanswered");
    // The cases cover late drafts with 4.5 missing and with 4.5 recorded.
    let late: Vec<(bool, Option<Provenance>)> = completeness_cases()
        .iter()
        .map(|(_, s)| {
            let draft = s.draft(Locale::Nl);
            (draft.late, draft.answer(QuestionKey::Q4_5).map(|a| a.provenance))
        })
        .collect();
    assert!(late.contains(&(true, Some(Provenance::Missing))));
    assert!(late.contains(&(true, Some(Provenance::Recorded))));
}

/// Where a draft stands (what the completeness counts, which questions are unanswered) depends on
/// `now` only through the lateness of the notification (`Clock::late`): the web remembers it per
/// incident version, client, language and lateness (`web::drafts::StandingMemo`). Every case,
/// at instants from a month before to two months after its own, stands the same at every instant
/// of the same lateness.
#[test]
fn the_standing_depends_on_now_only_through_lateness() {
    let policy = policy();
    let mut both = (false, false);
    for (name, s) in completeness_cases() {
        for locale in [Locale::Nl, Locale::En] {
            let mut seen: [Option<Standing>; 2] = [None, None];
            for hours in (-24 * 30..=24 * 60).step_by(13) {
                let now = s.now + chrono::Duration::hours(hours);
                let at = Scenario { incident: s.incident.clone(), client: s.client.clone(), now };
                let late = crate::domain::deadline::Clock::of(&at.incident, now, &policy).late;
                let counted = standing(&at.input(&policy, locale));
                let slot = &mut seen[usize::from(late)];
                match slot {
                    Some(first) => assert_eq!(*first, counted, "{name} ({locale:?}) at {now}, late: {late}"),
                    None => *slot = Some(counted),
                }
            }
            both.0 |= seen[0].is_some();
            both.1 |= seen[1].is_some();
        }
    }
    assert!(both.0 && both.1, "the cases are seen both on time and late");
}

#[test]
fn severity_gives_9_3() {
    let level = |s: Scenario, locale| {
        s.draft(locale).answer(QuestionKey::Q9_3).and_then(|a| a.value.clone()).unwrap_or_default()
    };
    assert!(level(s04(), Locale::Nl).starts_with("zeer groot\n"));
    assert!(level(s04(), Locale::En).starts_with("very high\n"));
    assert!(
        level(s13(), Locale::Nl)
            .starts_with("beperkt\nToelichting: ENISA-methode, ernstscore 2,50 (gemiddeld).")
    );
    assert!(level(s13(), Locale::En).starts_with("limited\n"));
    assert!(level(s06b(), Locale::Nl).starts_with("beperkt\n"));
    assert!(level(s07(), Locale::Nl).starts_with("zeer groot\n"));
    assert!(level(s01(), Locale::Nl).starts_with("verwaarloosbaar\n"));
    let mut s = s13();
    s.incident.assessment = None;
    let draft = s.draft(Locale::Nl);
    let a = draft.answer(QuestionKey::Q9_3).expect("9.3");
    assert_eq!((a.value.as_deref(), a.provenance, a.required), (None, Provenance::Missing, true));
}

#[test]
fn subjects_decision_fills_10_1() {
    let value = |d: &ApDraft, key: QuestionKey| d.answer(key).and_then(|a| a.value.clone());
    // Proposed by the severity, not decided: planned, derived.
    let d = s04().draft(Locale::Nl);
    assert_eq!(value(&d, QuestionKey::Q10_1_1).as_deref(), Some("Van plan"));
    assert_eq!(d.answer(QuestionKey::Q10_1_1).map(|a| a.provenance), Some(Provenance::Derived));
    // Not required, recorded.
    let d = s02().draft(Locale::Nl);
    assert_eq!(value(&d, QuestionKey::Q10_1_1).as_deref(), Some("Nee"));
    assert_eq!(
        value(&d, QuestionKey::Q10_1xWhyNot).as_deref(),
        Some("Geen hoog risico\nGeen exfiltratie; alleen tijdelijke onbeschikbaarheid.")
    );
    // Informed by letter.
    let mut s = s07();
    s.incident.subjects = SubjectsDecision::Informed {
        informed_at: t("2026-09-09T12:00:00Z"),
        channel: Channel::Letter,
        count: 1_300,
    };
    let d = s.draft(Locale::Nl);
    assert_eq!(
        value(&d, QuestionKey::Q10_1_1).as_deref(),
        Some("Ja (op wo 9 sep 2026 14:00 CEST (UTC+02:00) = 2026-09-09 12:00 UTC)")
    );
    assert_eq!(value(&d, QuestionKey::Q10_1_3).as_deref(), Some("1.300"));
    assert!(value(&d, QuestionKey::Q10_1_7).is_some_and(|v| v.starts_with("Per brief (op wo 9 sep 2026")));
    assert_eq!(value(&d, QuestionKey::Q10_1xWhyNot).as_deref(), Some("n.v.t."));
    // Public communication instead (art. 34(3)(c)).
    s.incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::Art34_3cPublic,
        explanation: "Mededeling op de website en in de nieuwsbrief".into(),
    };
    let d = s.draft(Locale::Nl);
    assert_eq!(
        value(&d, QuestionKey::Q10_1xPublic).as_deref(),
        Some("Mededeling op de website en in de nieuwsbrief")
    );
}

#[test]
fn special_categories_alone_answer_6_1() {
    let mut s = s13();
    s.incident.facts.data_categories = Vec::new();
    s.incident.facts.special_categories = vec![SpecialCategory::Health];
    let d = s.draft(Locale::Nl);
    assert_eq!(d.answer(QuestionKey::Q6_1).map(|a| a.provenance), Some(Provenance::Derived));
    assert_eq!(
        d.answer(QuestionKey::Q6_2).and_then(|a| a.value.as_deref()),
        Some("Gegevens over iemands gezondheid")
    );
}

#[test]
fn header_marks_the_draft_in_both_locales() {
    for (_, s) in all() {
        for locale in [Locale::Nl, Locale::En] {
            let draft = s.draft(locale);
            assert!(draft.header.starts_with("CONCEPT — niet ingediend bij de AP"));
            assert!(draft.header.contains("https://datalekken.autoriteitpersoonsgegevens.nl"));
            assert!(render_text(&draft).starts_with(&draft.header));
        }
    }
    assert_eq!(
        s13().draft(Locale::Nl).header,
        "CONCEPT — niet ingediend bij de AP. Indienen uitsluitend via https://datalekken.autoriteitpersoonsgegevens.nl"
    );
}

#[test]
fn json_uses_the_wire_names() {
    let value = serde_json::to_value(s13().draft(Locale::Nl)).expect("serialises");
    assert_eq!(value["kind"], "initial");
    assert_eq!(value["locale"], "nl");
    assert_eq!(value["generated_at"], "2026-06-18T15:00:00Z");
    assert_eq!(value["deadline_at"], "2026-06-18T07:00:00Z");
    let a45 = &value["chapters"][3]["answers"][4];
    assert_eq!(a45["number"], "4.5");
    assert_eq!(a45["provenance"], "missing");
    assert_eq!(value["chapters"][0]["answers"][0]["provenance"], "derived");
    assert_eq!(value["chapters"][4]["answers"][0]["provenance"], "recorded");
    assert_eq!(serde_json::to_value(DraftKind::Supplement).ok(), Some(serde_json::json!("supplement")));
    assert_eq!(serde_json::to_value(DraftKind::Withdrawal).ok(), Some(serde_json::json!("withdrawal")));
}

#[test]
fn the_mail_list_agrees_with_the_draft() {
    for (name, s) in all() {
        let draft = s.draft(Locale::Nl);
        let in_draft = numbers_of(&draft.missing);
        for m in missing_answers(&s.incident, draft.late) {
            assert!(
                in_draft.contains(&m.number),
                "{name}: {} missing in mails but not in the draft",
                m.number
            );
        }
    }
    let s = s13();
    let numbers: Vec<&str> = missing_answers(&s.incident, true).iter().map(|m| m.number).collect();
    assert_eq!(numbers, ["4.5"]);
    assert_eq!(
        missing_answers(&s.incident, true)[0].label(Locale::Nl),
        "4.5 Reden van de vertraging (na de termijn gemeld)"
    );
}

#[test]
fn subject_letter_only_when_the_severity_proposes_it() {
    assert!(s04().letter(Locale::Nl).is_some());
    assert!(s07().letter(Locale::En).is_some());
    for (name, s) in
        [("s01", s01()), ("s02", s02()), ("s06", s06()), ("s06b", s06b()), ("s09", s09()), ("s13", s13())]
    {
        assert!(s.letter(Locale::Nl).is_none(), "{name}");
    }
    let mut s = s04();
    s.incident.assessment = None;
    assert!(s.letter(Locale::Nl).is_none(), "not assessed: no proposal");

    // The art. 34(2) content.
    let letter = s04().letter(Locale::Nl).expect("S04");
    for heading in [
        "Wat is er gebeurd?",
        "Om welke gegevens gaat het?",
        "Wat kunnen de gevolgen voor u zijn?",
        "Wat hebben wij gedaan?",
        "Wat kunt u zelf doen?",
        "Vragen?",
    ] {
        assert!(letter.body.contains(heading), "{heading}");
    }
    assert!(letter.body.contains("fg@sport.example"));
    assert!(letter.body.contains("Pieter Jansen"));
}

#[test]
fn the_draft_is_pure_in_now() {
    let s = s04();
    assert_eq!(s.draft(Locale::Nl), s.draft(Locale::Nl));
    assert_eq!(render_text(&s.draft(Locale::En)), render_text(&s.draft(Locale::En)));
}

// ---------------------------------------------------------------------------------------------
// The letter in every language of the data subjects, dated from the controller's awareness
// (issue 18, item 10)
// ---------------------------------------------------------------------------------------------

#[test]
fn letters_come_in_every_language_the_clients_first() {
    assert_eq!(letter_locales(&[Locale::Nl]), [Locale::Nl, Locale::En]);
    assert_eq!(letter_locales(&[Locale::En]), [Locale::En, Locale::Nl]);
    assert_eq!(letter_locales(&[Locale::En, Locale::Nl]), [Locale::En, Locale::Nl], "the subjects' order");
    assert_eq!(letter_locales(&[]), Locale::ALL, "never none");
    let s = s04();
    let p = policy();
    let letters = subject_letters(&s.input(&p, Locale::En), &letter_locales(&[Locale::Nl]));
    let locales: Vec<Locale> = letters.iter().map(|l| l.locale).collect();
    assert_eq!(locales, [Locale::Nl, Locale::En], "the list decides, not the draft's language");
    assert_eq!(letters[0], s.letter(Locale::Nl).expect("S04"));
    assert_eq!(letters[1], s.letter(Locale::En).expect("S04"));
    assert!(letters[0].body.contains("Wat is er gebeurd?") && letters[1].body.contains("What happened?"));
    let only_english = subject_letters(&s.input(&p, Locale::Nl), &[Locale::En]);
    assert_eq!(only_english.len(), 1);
    assert_eq!(only_english[0].locale, Locale::En);
    // No proposal to inform data subjects: no letter in any language (the rule of subject_letter).
    let s13 = s13();
    assert!(subject_letters(&s13.input(&p, Locale::Nl), &letter_locales(&[Locale::Nl])).is_empty());

    // As text: one block per language, headed in the draft's language.
    let text = render_letters_text(&letters, Locale::Nl);
    assert!(
        text.starts_with("== Concept van de brief aan betrokkenen (art. 34) — Nederlands ==\n\n"),
        "{text}"
    );
    assert!(text.contains("\n== Concept van de brief aan betrokkenen (art. 34) — Engels ==\n"), "{text}");
    assert!(text.contains("Onderwerp: Datalek bij Koninklijke Sportbond Centraal"), "{text}");
    assert!(text.contains("Subject: Data breach at Koninklijke Sportbond Centraal"), "{text}");
    let document = render_document(&s.draft(Locale::Nl), &letters);
    assert!(document.starts_with(&render_text(&s.draft(Locale::Nl))));
    assert!(document.ends_with(&text));
    assert_eq!(render_document(&s13.draft(Locale::Nl), &[]), render_text(&s13.draft(Locale::Nl)));
}

#[test]
fn the_letter_dates_the_breach_from_the_controllers_awareness() {
    // GX discovered the breach on 19 October, was certain on 20 October and told the client on
    // 22 October: the client's letter says 22 October.
    let mut s = s04();
    s.incident.facts.discovered_at = t("2026-10-19T08:00:00Z");
    s.incident.processor_aware_at = Some(t("2026-10-20T08:00:00Z"));
    s.incident.controller_aware_at = Some(t("2026-10-22T12:30:00Z"));
    let nl = s.letter(Locale::Nl).expect("S04");
    assert!(nl.body.contains("Op 22 oktober 2026 hebben wij ontdekt dat"), "{}", nl.body);
    let en = s.letter(Locale::En).expect("S04");
    assert!(en.body.contains("On 22 October 2026 we discovered that"), "{}", en.body);
    for letter in [&nl, &en] {
        for day in ["19 oktober", "20 oktober", "19 October", "20 October"] {
            assert!(!letter.body.contains(day), "{}", letter.body);
        }
    }
    // In Amsterdam time: 23:30 UTC on 22 October is already the 23rd there.
    s.incident.controller_aware_at = Some(t("2026-10-22T22:30:00Z"));
    assert!(s.letter(Locale::Nl).expect("S04").body.contains("Op 23 oktober 2026"));
    // Not yet known (assessed before confirmation): no date rather than GX's.
    s.incident.controller_aware_at = None;
    s.incident.processor_aware_at = None;
    s.incident.state = State::Reported;
    let undated = s.letter(Locale::Nl).expect("the proposal stands");
    assert!(undated.body.contains("Onlangs hebben wij ontdekt dat"), "{}", undated.body);
    assert!(!undated.body.contains("oktober"), "{}", undated.body);
    assert!(s.letter(Locale::En).expect("S04").body.contains("Recently we discovered that"));
}

#[test]
fn a_client_name_ending_in_a_full_stop_is_not_doubled_in_the_letter_or_the_draft() {
    let mut s = s04();
    s.client.name = "Acme B.V.".into();
    for locale in [Locale::Nl, Locale::En] {
        let letter = s.letter(locale).expect("S04");
        let draft = render_text(&s.draft(locale));
        for text in [&letter.subject, &letter.body, &draft] {
            assert!(text.contains("Acme B.V.") && !text.contains("B.V.."), "{text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The client profile: chapter 3, cross-border (2.1.1, 2.2.1), completeness, the processor's delay
// ---------------------------------------------------------------------------------------------

/// A profile with every answer of chapter 3.
fn full_profile() -> ClientProfile {
    ClientProfile {
        legal_name: Some("Groenhuis Tuinartikelen B.V.".into()),
        address: Some("Tuinstraat 1, 3511 AA Utrecht".into()),
        kvk_number: Some("12345678".into()),
        sector: Some(crate::domain::vocabulary::Sector::Trade),
        dpo_registration: Some("FG004321".into()),
        notifier_name: Some("Gert Mulder".into()),
        notifier_position: Some("Functionaris gegevensbescherming".into()),
        notifier_phone: Some("+31 30 123 4567".into()),
        ..ClientProfile::empty(Locale::Nl)
    }
}

fn with_profile(mut s: Scenario, profile: ClientProfile) -> Scenario {
    s.client.profile = profile;
    s
}

fn answer_of(draft: &ApDraft, key: QuestionKey) -> &Answer {
    draft.answer(key).expect("every question is answered")
}

#[test]
fn chapter_3_comes_from_the_profile_and_is_missing_without_it() {
    let draft = with_profile(s13(), full_profile()).draft(Locale::Nl);
    let value = |key| answer_of(&draft, key).value.clone().unwrap_or_default();
    for key in [
        QuestionKey::Q3_1_1a,
        QuestionKey::Q3_1_1b,
        QuestionKey::Q3_1_1c,
        QuestionKey::Q3_1_1d,
        QuestionKey::Q3_1_1e,
        QuestionKey::Q3_1_2,
        QuestionKey::Q3_2_1,
    ] {
        let a = answer_of(&draft, key);
        assert_eq!((a.provenance, a.required, a.on_form_only), (Provenance::Recorded, true, false), "{key}");
    }
    assert_eq!(value(QuestionKey::Q3_1_1b), "Groenhuis Tuinartikelen B.V. (verwerkingsverantwoordelijke)");
    assert_eq!(value(QuestionKey::Q3_1_1e), "12345678");
    assert_eq!(value(QuestionKey::Q3_1_2), "Handel en detailhandel");
    // The notifier's e-mail address is the DPO's unless the profile gives one.
    assert_eq!(
        value(QuestionKey::Q3_2_1),
        "Gert Mulder, Functionaris gegevensbescherming, fg@groen.example, +31 30 123 4567"
    );
    // 3.2.2: the DPO (derived) unless a contact point is given (recorded).
    assert_eq!(answer_of(&draft, QuestionKey::Q3_2_2).provenance, Provenance::Derived);
    let contact = ClientProfile {
        contact_name: Some("Piet Post".into()),
        contact_email: Some("piet@groen.example".into()),
        contact_phone: Some("030 765 4321".into()),
        ..full_profile()
    };
    let draft = with_profile(s13(), contact).draft(Locale::Nl);
    let a = answer_of(&draft, QuestionKey::Q3_2_2);
    assert_eq!(a.provenance, Provenance::Recorded);
    assert_eq!(a.value.as_deref(), Some("Piet Post, piet@groen.example, 030 765 4321"));

    // Without a profile every one of them is missing, required, and listed.
    let draft = with_profile(s13(), ClientProfile::empty(Locale::Nl)).draft(Locale::Nl);
    for number in ["3.1.1a", "3.1.1b", "3.1.1c", "3.1.1d", "3.1.1e", "3.1.2", "3.2.1"] {
        assert!(numbers_of(&draft.missing).contains(&number), "{number} in {:?}", draft.missing);
    }
    // A notifier without a telephone number: what is known is shown, and the answer is missing.
    let partial = ClientProfile { notifier_phone: None, ..full_profile() };
    let draft = with_profile(s13(), partial).draft(Locale::En);
    let a = answer_of(&draft, QuestionKey::Q3_2_1);
    assert_eq!((a.provenance, a.required), (Provenance::Missing, true));
    assert_eq!(a.value.as_deref(), Some("Gert Mulder, Functionaris gegevensbescherming, fg@groen.example"));
    assert!(a.note.as_deref().unwrap_or_default().contains("client profile"), "{:?}", a.note);
}

#[test]
fn cross_border_follows_the_lead_authority() {
    struct Case {
        lead: &'static str,
        outside_eea: bool,
        states: &'static [&'static str],
        q2_1_1: &'static str,
        q2_2_1: Option<&'static str>,
        note_has: &'static [&'static str],
    }
    let cases = [
        Case {
            lead: "NL",
            outside_eea: false,
            states: &[],
            q2_1_1: "Nee (geen andere lidstaten vastgelegd)",
            q2_2_1: Some("Nee"),
            note_has: &[],
        },
        Case {
            lead: "NL",
            outside_eea: false,
            states: &["NL"],
            q2_1_1: "Nee (betrokkenen alleen in NL)",
            q2_2_1: Some("Nee"),
            note_has: &[],
        },
        Case {
            lead: "NL",
            outside_eea: false,
            states: &["NL", "BE"],
            q2_1_1: "Ja: BE",
            q2_2_1: Some("Nee — one-stop-shop: de AP is leidende toezichthouder"),
            note_has: &["BE", "art. 56"],
        },
        Case {
            lead: "BE",
            outside_eea: false,
            states: &["NL", "BE"],
            q2_1_1: "Ja: NL",
            q2_2_1: None,
            note_has: &["van BE", "one-stop-shop"],
        },
        Case {
            lead: "NL",
            outside_eea: true,
            states: &["NL", "DE"],
            q2_1_1: "Ja: DE",
            q2_2_1: None,
            note_has: &["buiten de EER", "9/2022", "73"],
        },
    ];
    for c in cases {
        let mut s = with_profile(
            s13(),
            ClientProfile { lead_authority: c.lead.into(), outside_eea: c.outside_eea, ..full_profile() },
        );
        s.incident.facts.cross_border_states = c.states.iter().map(|s| s.to_string()).collect();
        let draft = s.draft(Locale::Nl);
        let what = format!("lead {} outside {} states {:?}", c.lead, c.outside_eea, c.states);
        assert_eq!(answer_of(&draft, QuestionKey::Q2_1_1).value.as_deref(), Some(c.q2_1_1), "{what}");
        let a = answer_of(&draft, QuestionKey::Q2_2_1);
        assert_eq!(a.value.as_deref(), c.q2_2_1, "{what}");
        let note = a.note.clone().unwrap_or_default();
        for part in c.note_has {
            assert!(note.contains(part), "{what}: {part:?} in {note:?}");
        }
        // Never the old hint to notify other authorities besides the lead.
        assert!(!note.contains("welke andere toezichthouders een melding kregen"), "{what}: {note}");
        assert!(a.is_answered() || a.on_form_only, "{what}");
    }
}

#[test]
fn a_kvk_number_is_asked_only_of_a_controller_established_in_the_netherlands() {
    let without_kvk = |lead: &str, outside_eea: bool| {
        let profile =
            ClientProfile { kvk_number: None, lead_authority: lead.into(), outside_eea, ..full_profile() };
        answer_of(&with_profile(s13(), profile).draft(Locale::Nl), QuestionKey::Q3_1_1e).clone()
    };
    let dutch = without_kvk("NL", false);
    assert!(dutch.required && !dutch.is_answered(), "{dutch:?}");
    for (lead, outside_eea) in [("BE", false), ("NL", true)] {
        let abroad = without_kvk(lead, outside_eea);
        assert!(!abroad.required, "{lead} {outside_eea}: {abroad:?}");
        assert!(abroad.note.as_deref().is_some_and(|n| n.contains("Kamer van Koophandel")), "{abroad:?}");
    }
    // A number given is reported whatever the establishment.
    let profile = ClientProfile { lead_authority: "BE".into(), ..full_profile() };
    let given = answer_of(&with_profile(s13(), profile).draft(Locale::Nl), QuestionKey::Q3_1_1e).clone();
    assert_eq!(given.value.as_deref(), Some("12345678"));
}

#[test]
fn a_hundred_percent_never_hides_an_unanswered_mandatory_question() {
    // Every case, with and without a full profile: 100 % only when nothing required is missing,
    // and the AP's mandatory questions of chapter 3 are among the counted ones.
    for (name, s) in completeness_cases() {
        for profile in [ClientProfile::empty(Locale::Nl), full_profile()] {
            let s = with_profile(
                Scenario { incident: s.incident.clone(), client: s.client.clone(), now: s.now },
                profile,
            );
            let draft = s.draft(Locale::Nl);
            let c = draft.completeness;
            for key in [
                QuestionKey::Q3_1_1c,
                QuestionKey::Q3_1_1d,
                QuestionKey::Q3_1_1e,
                QuestionKey::Q3_1_2,
                QuestionKey::Q3_2_1,
            ] {
                assert!(answer_of(&draft, key).required, "{name}: {key} counts");
            }
            let unanswered = draft.answers().filter(|a| a.required && !a.is_answered()).count();
            assert_eq!(c.percent == 100, unanswered == 0, "{name}: {c:?}");
            assert_eq!(c.is_complete(), unanswered == 0, "{name}");
            assert_eq!(c.on_form_only, draft.fill_in_on_form.len(), "{name}");
            assert_eq!(c.asked, c.total + c.on_form_only, "{name}");
        }
    }
    // The incident of the issue: every fact and assessment there, no profile → not 100 %.
    let mut s = with_profile(s13(), ClientProfile::empty(Locale::Nl));
    s.now = t("2026-06-18T06:00:00Z");
    s.incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::NoHighRisk,
        explanation: "Geen hoog risico volgens de ernstinschatting.".into(),
    };
    let draft = s.draft(Locale::Nl);
    assert!(draft.completeness.percent < 100, "{:?}", draft.completeness);
    assert!(numbers_of(&draft.missing).contains(&"3.2.1"));
}

#[test]
fn a_full_profile_and_a_fully_assessed_incident_reach_a_hundred_percent() {
    let mut s = with_profile(s13(), full_profile());
    s.now = t("2026-06-18T06:00:00Z");
    s.incident.subjects = SubjectsDecision::NotRequired {
        ground: SubjectsGround::NoHighRisk,
        explanation: "Geen hoog risico volgens de ernstinschatting.".into(),
    };
    let draft = s.draft(Locale::Nl);
    assert!(draft.missing.is_empty(), "{:?}", draft.missing);
    let c = draft.completeness;
    assert_eq!((c.answered, c.percent), (c.total, 100));
    assert!(c.is_complete());
    // What is left is only what the AP form itself takes.
    assert_eq!(numbers_of(&draft.fill_in_on_form), ["5.4"], "only the attachments");
    assert_eq!(c.on_form_only, 1);
    assert_eq!(c.asked, c.total + 1);
    let text = render_text(&draft);
    assert!(
        text.contains(&format!(
            "Volledigheid: {0} van {0} verplichte vragen beantwoord (100%); nog 1 alleen in het AP-formulier in te vullen; {1} vragen in totaal",
            c.total, c.asked
        )),
        "{text}"
    );
}

#[test]
fn the_processor_s_delay_is_a_sentence_in_5_3_and_in_4_5_when_late() {
    let mut s = with_profile(s13(), full_profile());
    // GX aware on Monday 08:30 CEST, the client told on Wednesday 10:00 CEST: 49.5 hours later.
    s.incident.processor_aware_at = Some(t("2026-06-15T06:30:00Z"));
    s.incident.controller_aware_at = Some(t("2026-06-17T08:00:00Z"));
    s.now = t("2026-06-20T12:00:00Z");
    let nl = s.draft(Locale::Nl);
    let sentence = "De verwerker GX Software was op ma 15 jun 2026 08:30 CEST (UTC+02:00) op de hoogte van de inbreuk en informeerde de verwerkingsverantwoordelijke op wo 17 jun 2026 10:00 CEST (UTC+02:00), 49,5 uur later.";
    let q5_3 = answer_of(&nl, QuestionKey::Q5_3).value.clone().unwrap_or_default();
    assert!(q5_3.ends_with(sentence), "{q5_3}");
    assert!(nl.late);
    let q4_5 = answer_of(&nl, QuestionKey::Q4_5).note.clone().unwrap_or_default();
    assert!(q4_5.contains(&format!("Klaar om te plakken: {sentence}")), "{q4_5}");
    let en = s.draft(Locale::En);
    let q5_3 = answer_of(&en, QuestionKey::Q5_3).value.clone().unwrap_or_default();
    assert!(
        q5_3.contains(
            "and informed the controller on Wed 17 Jun 2026 10:00 CEST (UTC+02:00), 49.5 hours later."
        ),
        "{q5_3}"
    );
    // On time: 4.5 does not apply and carries no sentence; 5.3 still states the delay.
    s.now = t("2026-06-18T12:00:00Z");
    let on_time = s.draft(Locale::Nl);
    assert!(!on_time.late);
    assert!(
        !answer_of(&on_time, QuestionKey::Q4_5)
            .note
            .clone()
            .unwrap_or_default()
            .contains("Klaar om te plakken")
    );
    assert!(answer_of(&on_time, QuestionKey::Q5_3).value.clone().unwrap_or_default().ends_with(sentence));
    // Both aware at once: no sentence.
    s.incident.processor_aware_at = s.incident.controller_aware_at;
    let same = s.draft(Locale::Nl);
    assert_eq!(answer_of(&same, QuestionKey::Q5_3).value.as_deref(), Some(s.incident.facts.summary.as_str()));
}
