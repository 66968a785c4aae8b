//! Dutch and English for every page: the user's choice, else the client's locale, else the
//! browser's Accept-Language. Texts live in one table; a test checks that every key a template uses
//! exists.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

use crate::domain::incident::State;
use crate::domain::lifecycle::EventKind;
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::vocabulary::CodeList;

macro_rules! texts {
    ($($key:literal => $nl:literal, $en:literal;)*) => {
        /// Every text key with its Dutch and English text.
        pub const TEXTS: &[(&str, &str, &str)] = &[$(($key, $nl, $en)),*];
    };
}

texts! {
    "nav.skip" => "Naar de inhoud", "Skip to content";
    "nav.label" => "Hoofdmenu", "Main menu";
    "nav.dashboard" => "Overzicht", "Dashboard";
    "nav.report" => "Datalek melden", "Report a leak";
    "nav.admin" => "Beheer", "Admin";
    "nav.register" => "Register", "Register";
    "register.title" => "Datalekregister (art. 33 lid 5 AVG)", "Breach register (art. 33(5) GDPR)";
    "register.intro" => "Elk datalek, gemeld of niet: de feiten, de gevolgen, de genomen maatregelen en de besluiten. Elke download wordt vastgelegd in het auditspoor.", "Every breach, notified or not: the facts, the effects, the remedial action and the decisions. Every download is recorded in the audit trail.";
    "register.empty" => "Nog geen incidenten.", "No incidents yet.";
    "register.facts" => "Feiten", "Facts";
    "register.effects" => "Gevolgen", "Effects";
    "register.remedial" => "Maatregelen", "Remedial action";
    "register.decision" => "Besluit art. 33", "Art. 33 decision";
    "register.subjects" => "Besluit art. 34", "Art. 34 decision";
    "nav.logout" => "Uitloggen", "Log out";
    "nav.language" => "Taal", "Language";
    "role.reporter" => "medewerker", "staff";
    "role.dpo" => "FG", "DPO";
    "role.officer" => "privacy officer", "privacy officer";
    "role.admin" => "beheerder", "admin";

    "login.title" => "Inloggen", "Log in";
    "login.intro" => "Log in om datalekken te melden en te volgen.", "Log in to report and follow data breaches.";
    "login.email" => "E-mailadres", "E-mail address";
    "login.password" => "Wachtwoord", "Password";
    "login.submit" => "Inloggen", "Log in";
    "login.failed" => "Onbekend e-mailadres of onjuist wachtwoord.", "Unknown e-mail address or wrong password.";
    "login.too_many" => "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.", "Too many failed attempts. Try again in a quarter of an hour.";
    "logout.title" => "Uitloggen", "Log out";
    "logout.confirm" => "Wilt u uitloggen?", "Do you want to log out?";

    "dash.title" => "Overzicht", "Dashboard";
    "dash.running" => "Lopende termijnen", "Running clocks";
    "dash.running_none" => "Geen lopende termijnen.", "No running clocks.";
    "dash.untriaged" => "Nog te beoordelen meldingen", "Reports awaiting triage";
    "dash.untriaged_none" => "Geen meldingen die wachten op beoordeling.", "No reports awaiting triage.";
    "dash.mine" => "Mijn meldingen", "My reports";
    "dash.mine_none" => "U hebt nog niets gemeld.", "You have not reported anything yet.";
    "dash.decided" => "Besloten en afgesloten", "Decided and closed";
    "dash.failed" => "Niet afgeleverde e-mails", "Mails not delivered";
    "dash.by_client" => "Per klant", "By client";
    "dash.more" => "meer: zie het register", "more: see the register";
    "dash.reference" => "Referentie", "Reference";
    "dash.client" => "Klant", "Client";
    "dash.incident" => "Incident", "Incident";
    "dash.deadline" => "Termijn AP-melding", "AP deadline";
    "dash.left" => "Resterende tijd", "Time left";
    "dash.urgency" => "Urgentie", "Urgency";
    "dash.state" => "Status", "State";
    "dash.age" => "Gemeld", "Reported";
    "dash.age_suffix" => "geleden", "ago";
    "dash.ack" => "Ontvangst FG", "DPO receipt";
    "dash.acked" => "bevestigd", "acknowledged";
    "dash.not_acked" => "nog niet bevestigd", "not acknowledged";
    "dash.open" => "open", "open";
    "dash.overdue_count" => "termijn verstreken", "overdue";
    "dash.to" => "Aan", "To";
    "dash.kind" => "Soort", "Kind";
    "dash.error" => "Fout", "Error";
    "dash.retrying" => "E-mails die opnieuw worden geprobeerd", "Mails being retried";
    "dash.attempts" => "Pogingen", "Attempts";
    "dash.last_error" => "Laatste fout", "Last error";
    "dash.next_attempt" => "Volgende poging", "Next attempt";
    "dash.requeue" => "Niet afgeleverde e-mails opnieuw versturen", "Send undelivered mails again";
    "dash.requeue_hint" => "Alle niet afgeleverde e-mails gaan terug in de wachtrij, met hun oorspronkelijke Message-ID. Elke e-mail wordt vastgelegd in het auditspoor.", "Every undelivered mail goes back in the queue, with its original Message-ID. Each one is recorded in the audit trail.";
    "dash.requeued" => "Opnieuw in de wachtrij gezet (e-mails):", "Put back in the queue (mails):";
    "dash.report_now" => "Vermoedt u een datalek? Meld het meteen.", "Do you suspect a data breach? Report it now.";
    "urgency.overdue" => "Termijn verstreken", "Deadline passed";
    "urgency.within_4h" => "Nog hooguit 4 uur", "4 hours or less";
    "urgency.within_12h" => "Nog hooguit 12 uur", "12 hours or less";
    "urgency.within_24h" => "Nog hooguit 24 uur", "24 hours or less";
    "urgency.more_than_24h" => "Meer dan 24 uur", "More than 24 hours";

    "report.title" => "Datalek melden", "Report a data leak";
    "report.intro" => "Vertel wat u weet; dat is genoeg. Noem geen namen, e-mailadressen of andere gegevens van de mensen om wie het gaat.", "Tell us what you know; that is enough. Do not name the people concerned or give their e-mail addresses or other details.";
    "report.client" => "Voor welke klant?", "For which client?";
    "report.choose" => "Kies…", "Choose…";
    "report.what" => "Wat is er gebeurd?", "What happened?";
    "report.title_field" => "Korte omschrijving", "Short description";
    "report.title_hint" => "Bijvoorbeeld: laptop gestolen, e-mail naar verkeerde ontvanger.", "For example: laptop stolen, e-mail sent to the wrong person.";
    "report.summary" => "Wat is er gebeurd, en wat weet u nog meer?", "What happened, and what else do you know?";
    "report.when" => "Wanneer merkte u het? (Nederlandse tijd)", "When did you notice? (Dutch time)";
    "report.data" => "Welke soorten gegevens?", "Which kinds of data?";
    "report.people" => "Om hoeveel mensen gaat het ongeveer?", "Roughly how many people are concerned?";
    "report.people_unknown" => "Weet ik niet", "I don't know";
    "report.ongoing" => "Is het nog gaande?", "Is it still going on?";
    "report.ongoing_yes" => "Ja, het is nog gaande", "Yes, it is still going on";
    "report.ongoing_no" => "Nee, het is gestopt", "No, it has stopped";
    "report.ongoing_unknown" => "Weet ik niet", "I don't know";
    "report.submit" => "Melding versturen", "Send report";
    "report.pii_warning" => "Uw tekst lijkt persoonsgegevens te bevatten:", "Your text seems to contain personal data:";
    "report.pii_advice" => "Haal die gegevens weg en verstuur opnieuw. Alleen als ze echt nodig zijn, vinkt u hieronder aan dat u ze bewust meestuurt.", "Remove that data and send again. Only if it is really needed, tick below that you send it on purpose.";
    "report.pii_allow" => "Ik stuur deze gegevens bewust mee", "I am sending this data on purpose";
    "report.errors" => "Controleer het formulier:", "Please check the form:";
    "report.received_title" => "Uw melding is ontvangen", "Your report was received";
    "report.received_reference" => "Referentie", "Reference";
    "report.received_next" => "Wat er nu gebeurt", "What happens next";
    "report.received_step1" => "De privacy officers beoordelen uw melding, meestal binnen enkele uren.", "The privacy officers triage your report, usually within hours.";
    "report.received_step2" => "De functionaris gegevensbescherming (FG) van de klant is al geïnformeerd.", "The client's data protection officer (DPO) has already been told.";
    "report.received_step3" => "U krijgt een ontvangstbevestiging per e-mail. U hoeft verder niets te doen; weet u meer, vul de melding dan aan.", "You get a receipt by e-mail. You need not do anything else; if you learn more, add it to the report.";
    "report.received_warning" => "Stuur nooit persoonsgegevens door, ook niet als bewijs.", "Never forward personal data, not even as evidence.";
    "report.view" => "Bekijk de melding", "View the report";
    "report.another" => "Nog een melding doen", "Report another";

    "inc.facts" => "Feiten", "Facts";
    "inc.clocks" => "Termijnen", "Deadlines";
    "inc.clock_not_started" => "De 72-uurstermijn loopt nog niet: het datalek is nog niet bevestigd.", "The 72-hour clock has not started: the breach is not confirmed yet.";
    "inc.clock_stopped" => "De termijn loopt niet meer: er is besloten.", "The clock has stopped: a decision was made.";
    "inc.processor_aware" => "GX (verwerker) op de hoogte", "GX (processor) aware";
    "inc.controller_aware" => "Klant (verwerkingsverantwoordelijke) geïnformeerd", "Client (controller) informed";
    "inc.deadline" => "Termijn AP-melding", "AP deadline";
    "inc.conservative" => "Let op: gerekend vanaf het moment dat GX het wist, verloopt de termijn al op", "Note: counted from when GX knew, the window already ends at";
    "inc.reported" => "Gemeld", "Reported";
    "inc.reported_by" => "Gemeld door", "Reported by";
    "inc.discovered" => "Ontdekt", "Discovered";
    "inc.summary" => "Wat er gebeurde", "What happened";
    "inc.decisions" => "Besluiten", "Decisions";
    "inc.severity" => "Ernst (ENISA)", "Severity (ENISA)";
    "inc.not_assessed" => "nog niet beoordeeld", "not assessed yet";
    "inc.proposal_ap" => "voorstel: melden bij de AP", "proposal: notify the AP";
    "inc.proposal_subjects" => "betrokkenen informeren", "inform data subjects";
    "inc.yes" => "ja", "yes";
    "inc.no" => "nee", "no";
    "inc.ap" => "Melding AP", "AP notification";
    "inc.ap_none" => "nog niet gemeld", "not notified yet";
    "inc.on_time" => "op tijd", "on time";
    "inc.late" => "te laat", "late";
    "inc.subjects" => "Betrokkenen (art. 34)", "Data subjects (art. 34)";
    "inc.acknowledged" => "Ontvangst bevestigd door de FG", "Receipt acknowledged by the DPO";
    "inc.actions" => "Volgende stap", "Next step";
    "inc.no_actions" => "U kunt hier nu niets aan veranderen.", "There is nothing you can change here now.";
    "inc.edit" => "Gegevens aanvullen", "Add or correct details";
    "inc.save" => "Opslaan", "Save";
    "inc.alerts" => "Waarschuwingen", "Alerts";
    "inc.alert_code" => "Code", "Code";
    "inc.alert_due" => "Gepland", "Due";
    "inc.alert_status" => "Status", "Status";
    "inc.alert_to" => "Ontvangers en aflevering", "Recipients and delivery";
    "inc.timeline" => "Tijdlijn", "Timeline";
    "inc.ap_draft" => "Concept AP-melding", "Draft AP notification";
    "inc.errors" => "Dit kon niet worden vastgelegd:", "This could not be recorded:";
    "inc.fold_hint" => "Deze tijd bestaat twee keer (einde zomertijd): kies CEST (zomertijd) of CET (wintertijd).", "This time occurs twice (end of summer time): choose CEST (summer time) or CET (winter time).";
    "inc.not_set" => "—", "—";
    "inc.utc" => "UTC", "UTC";

    "ap.title" => "Concept AP-melding", "Draft AP notification";
    "ap.not_final" => "Dit is een concept. Meld uitsluitend via het formulier van de Autoriteit Persoonsgegevens.", "This is a draft. Notify only through the Dutch DPA's own form.";
    "ap.kind" => "Soort melding", "Kind of notification";
    "ap.completeness" => "Beantwoord", "Answered";
    "ap.missing_title" => "Ontbreekt nog", "Still missing";
    "ap.confirm_title" => "Afgeleid: controleer en bevestig", "Derived: check and confirm";
    "ap.on_form_title" => "Alleen in het AP-formulier in te vullen", "Fill in on the AP form only";
    "ap.changes_title" => "Gewijzigd sinds de laatste melding", "Changed since the last notification";
    "ap.before" => "Was", "Was";
    "ap.after" => "Nu", "Now";
    "ap.withdrawal_reason" => "Reden van intrekking", "Reason for withdrawal";
    "ap.deadline" => "Termijn", "Deadline";
    "ap.late_by" => "Te laat met", "Late by";
    "ap.copy" => "Kopiëren", "Copy";
    "ap.copied" => "Gekopieerd", "Copied";
    "ap.recorded" => "vastgelegd", "recorded";
    "ap.derived" => "afgeleid, bevestigen", "derived, confirm";
    "ap.missing" => "ontbreekt", "missing";
    "ap.download_text" => "Als tekst (om te plakken)", "As text (to paste)";
    "ap.download_pdf" => "Als PDF", "As PDF";
    "ap.print" => "Afdrukken", "Print";
    "ap.letter" => "Concept van de brief aan betrokkenen (art. 34)", "Draft letter to data subjects (art. 34)";
    "ap.not_required" => "Niet vereist", "Not required";

    "admin.title" => "Beheer", "Admin";
    "admin.clients" => "Klanten", "Clients";
    "admin.users" => "Gebruikers", "Users";
    "admin.tokens" => "API-tokens", "API tokens";
    "admin.slug" => "Korte naam (slug)", "Short name (slug)";
    "admin.name" => "Naam", "Name";
    "admin.dpo_email" => "E-mailadres FG", "DPO e-mail address";
    "admin.dpo_name" => "Naam FG", "DPO name";
    "admin.escalation" => "Escalatie-adressen (één per regel)", "Escalation addresses (one per line)";
    "admin.locale" => "Taal van e-mails", "Language of mails";
    "admin.add_client" => "Klant toevoegen", "Add client";
    "admin.email" => "E-mailadres", "E-mail address";
    "admin.role" => "Rol", "Role";
    "admin.client" => "Klant", "Client";
    "admin.no_client" => "geen", "none";
    "admin.password" => "Wachtwoord (minstens 12 tekens; leeg: alleen API-tokens)", "Password (at least 12 characters; empty: API tokens only)";
    "admin.add_user" => "Gebruiker toevoegen", "Add user";
    "admin.label" => "Waarvoor", "Label";
    "admin.create_token" => "Token aanmaken", "Create token";
    "admin.token_once" => "Nieuw token — kopieer het nu, het wordt niet nogmaals getoond:", "New token — copy it now, it will not be shown again:";
    "admin.prefix" => "Begin", "Prefix";
    "admin.user" => "Gebruiker", "User";
    "admin.created" => "Aangemaakt", "Created";
    "admin.last_used" => "Laatst gebruikt", "Last used";
    "admin.revoked" => "Ingetrokken", "Revoked";
    "admin.revoke" => "Intrekken", "Revoke";
    "admin.active" => "actief", "active";
    "admin.saved" => "Opgeslagen.", "Saved.";
    "admin.errors" => "Niet opgeslagen:", "Not saved:";

    "field.title" => "Titel", "Title";
    "field.summary" => "Wat er gebeurde", "What happened";
    "field.discovered_at" => "Ontdekt op", "Discovered at";
    "field.discovery_method" => "Hoe ontdekt", "How discovered";
    "field.occurred_from" => "Begin van de inbreuk", "Start of the breach";
    "field.occurred_until" => "Einde van de inbreuk", "End of the breach";
    "field.ongoing" => "Duurt nog voort", "Still ongoing";
    "field.incident_kind" => "Aard van het incident", "Kind of incident";
    "field.nature" => "Aard van de inbreuk", "Nature of the breach";
    "field.data_categories" => "Persoonsgegevens", "Personal data";
    "field.special_categories" => "Bijzondere persoonsgegevens", "Special categories";
    "field.records_approx" => "Aantal records (ongeveer)", "Number of records (approx.)";
    "field.subject_groups" => "Groepen betrokkenen", "Groups of data subjects";
    "field.subjects_min" => "Aantal betrokkenen, minimaal", "People affected, at least";
    "field.subjects_max" => "Aantal betrokkenen, maximaal", "People affected, at most";
    "field.encryption" => "Versleuteling", "Encryption";
    "field.consequences" => "Gevolgen", "Consequences";
    "field.measures_taken" => "Getroffen maatregelen", "Measures taken";
    "field.measures_planned" => "Geplande maatregelen", "Measures planned";
    "field.cross_border_states" => "Andere EU-landen (landcodes, komma's)", "Other EU states (country codes, commas)";
    "field.other_organisations" => "Andere betrokken organisaties", "Other organisations involved";
    "field.processor_aware_at" => "GX op de hoogte sinds (leeg: nu)", "GX aware since (empty: now)";
    "field.controller_aware_at" => "Klant geïnformeerd op (leeg: nu)", "Client informed at (empty: now)";
    "field.justification" => "Onderbouwing", "Justification";
    "field.reason" => "Reden", "Reason";
    "field.dpc" => "Gegevenscontext (DPC 1–4)", "Data processing context (DPC 1–4)";
    "field.ease_of_identification" => "Identificeerbaarheid", "Ease of identification";
    "field.confidentiality" => "Verlies van vertrouwelijkheid", "Loss of confidentiality";
    "field.integrity" => "Verlies van integriteit", "Loss of integrity";
    "field.availability" => "Verlies van beschikbaarheid", "Loss of availability";
    "field.malicious" => "Kwade opzet", "Malicious intent";
    "field.unintelligible" => "Gegevens onbegrijpelijk (versleuteld, sleutel veilig)", "Data unintelligible (encrypted, key safe)";
    "field.vulnerable_subjects" => "Kwetsbare betrokkenen (kinderen, patiënten…)", "Vulnerable subjects (children, patients…)";
    "field.rationale" => "Onderbouwing van de beoordeling", "Rationale of the assessment";
    "field.notified_at" => "Gemeld op (leeg: nu)", "Notified at (empty: now)";
    "field.ap_reference" => "Kenmerk van de AP", "AP reference";
    "field.preliminary" => "Voorlopige melding", "Preliminary notification";
    "field.delay_reason" => "Reden van de vertraging (vraag 4.5)", "Reasons for the delay (question 4.5)";
    "field.note" => "Wat is aangevuld", "What was added";
    "field.informed_at" => "Geïnformeerd op (leeg: nu)", "Informed at (empty: now)";
    "field.channel" => "Hoe", "How";
    "field.count" => "Aantal personen", "Number of people";
    "field.ground" => "Grond", "Ground";
    "field.explanation" => "Toelichting", "Explanation";
    "field.subjects" => "Besluit over betrokkenen", "Decision on data subjects";
    "field.type" => "Stap", "Step";
    "field.client" => "Klant", "Client";
    "field.allow_personal_data" => "Ik stuur persoonsgegevens bewust mee", "I am sending personal data on purpose";
    "choice.yes" => "ja", "yes";
    "choice.no" => "nee", "no";
    "choice.choose" => "Kies…", "Choose…";
}

/// The texts and formats of one page in one language.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// The language.
    pub locale: Locale,
    /// Dutch (else English).
    pub nl: bool,
}

/// The Dutch and English text of `key`. A page looks up thousands of texts (a dashboard row has a
/// label per cell), so [`TEXTS`] is indexed once instead of searched each time.
fn text(key: &str) -> Option<(&'static str, &'static str)> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, (&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| TEXTS.iter().map(|(k, nl, en)| (*k, (*nl, *en))).collect()).get(key).copied()
}

impl Ui {
    /// The UI in `locale`.
    pub fn new(locale: Locale) -> Self {
        Self { locale, nl: locale == Locale::Nl }
    }

    /// `nl` or `en`, for the `lang` attribute.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// The text of `key` (a test checks that every key a template uses exists).
    pub fn t(&self, key: &str) -> &'static str {
        match text(key) {
            Some((nl, en)) => {
                if self.nl {
                    nl
                } else {
                    en
                }
            }
            None => "[missing text]",
        }
    }

    /// A role's name.
    pub fn role(&self, role: &str) -> &'static str {
        let key = match role {
            "reporter" => "role.reporter",
            "dpo" => "role.dpo",
            "officer" => "role.officer",
            _ => "role.admin",
        };
        text(key).map_or("", |(nl, en)| if self.nl { nl } else { en })
    }

    /// A state's name.
    pub fn state(&self, state: State) -> &'static str {
        match (state, self.nl) {
            (State::Reported, true) => "gemeld, in beoordeling",
            (State::Reported, false) => "reported, in triage",
            (State::Dismissed, true) => "afgewezen (geen datalek)",
            (State::Dismissed, false) => "dismissed (no breach)",
            (State::Confirmed, true) => "bevestigd datalek, termijn loopt",
            (State::Confirmed, false) => "confirmed breach, clock running",
            (State::NotNotifiable, true) => "niet meldplichtig",
            (State::NotNotifiable, false) => "not notifiable",
            (State::ApNotified, true) => "gemeld bij de AP",
            (State::ApNotified, false) => "notified to the AP",
            (State::ApWithdrawn, true) => "melding ingetrokken",
            (State::ApWithdrawn, false) => "notification withdrawn",
            (State::Closed, true) => "afgesloten",
            (State::Closed, false) => "closed",
        }
    }

    /// An event's name, as a button.
    pub fn event(&self, kind: EventKind) -> &'static str {
        match (kind, self.nl) {
            (EventKind::Confirm, true) => "Bevestigen: dit is een datalek",
            (EventKind::Confirm, false) => "Confirm: this is a data breach",
            (EventKind::Dismiss, true) => "Afwijzen: geen datalek",
            (EventKind::Dismiss, false) => "Dismiss: no data breach",
            (EventKind::Acknowledge, true) => "Ontvangst bevestigen",
            (EventKind::Acknowledge, false) => "Acknowledge receipt",
            (EventKind::Assess, true) => "Ernst beoordelen (ENISA)",
            (EventKind::Assess, false) => "Assess severity (ENISA)",
            (EventKind::DecideNotNotifiable, true) => "Besluiten: niet meldplichtig",
            (EventKind::DecideNotNotifiable, false) => "Decide: not notifiable",
            (EventKind::NotifyAp, true) => "Gemeld bij de AP",
            (EventKind::NotifyAp, false) => "Notified to the AP",
            (EventKind::Supplement, true) => "Melding aangevuld",
            (EventKind::Supplement, false) => "Notification supplemented",
            (EventKind::Withdraw, true) => "Melding ingetrokken",
            (EventKind::Withdraw, false) => "Notification withdrawn",
            (EventKind::InformSubjects, true) => "Betrokkenen geïnformeerd",
            (EventKind::InformSubjects, false) => "Data subjects informed",
            (EventKind::SubjectsNotRequired, true) => "Betrokkenen informeren niet nodig",
            (EventKind::SubjectsNotRequired, false) => "Informing data subjects not required",
            (EventKind::CorrectAwareness, true) => "Tijdstippen corrigeren",
            (EventKind::CorrectAwareness, false) => "Correct the instants",
            (EventKind::Close, true) => "Afsluiten",
            (EventKind::Close, false) => "Close",
            (EventKind::Reopen, true) => "Heropenen",
            (EventKind::Reopen, false) => "Reopen",
        }
    }

    /// A code's label in this language.
    pub fn code<T: CodeList>(&self, value: T) -> &'static str {
        value.label(self.locale)
    }

    /// "zo 25 okt 2026 13:30 CET".
    pub fn time(&self, t: DateTime<Utc>) -> String {
        local_time::format_local(t, self.locale)
    }

    /// "zo 25 okt 2026 13:30 CET (UTC+01:00)".
    pub fn time_offset(&self, t: DateTime<Utc>) -> String {
        local_time::format_local_with_offset(t, self.locale)
    }

    /// A duration in words.
    pub fn duration(&self, seconds: i64) -> String {
        local_time::format_duration(seconds, self.locale)
    }
}

/// The language a browser prefers among ours (Dutch when it says nothing we speak).
pub fn from_accept_language(req: &HttpRequest) -> Locale {
    let header = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Locale)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let locale = if tag == "nl" || tag.starts_with("nl-") {
            Some(Locale::Nl)
        } else if tag == "en" || tag.starts_with("en-") {
            Some(Locale::En)
        } else {
            None
        };
        if let Some(locale) = locale
            && best.is_none_or(|(b, _)| q > b)
        {
            best = Some((q, locale));
        }
    }
    best.map_or(Locale::Nl, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_a_template_exists_in_both_languages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(path) = stack.pop() {
            for entry in std::fs::read_dir(&path).unwrap() {
                let entry = entry.unwrap().path();
                if entry.is_dir() {
                    stack.push(entry);
                    continue;
                }
                let text = std::fs::read_to_string(&entry).unwrap();
                for (i, _) in text.match_indices("ui.t(\"") {
                    let rest = &text[i + 6..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if !TEXTS.iter().any(|(k, _, _)| *k == key) {
                        missing.push(format!("{}: {key}", entry.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "unknown text keys: {missing:?}");
        let mut keys: Vec<&str> = TEXTS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a key is defined twice");
    }

    #[test]
    fn texts_follow_the_language() {
        assert_eq!(Ui::new(Locale::Nl).t("nav.report"), "Datalek melden");
        assert_eq!(Ui::new(Locale::En).t("nav.report"), "Report a leak");
        assert_eq!(Ui::new(Locale::En).t("no.such.key"), "[missing text]");
    }
}
