# art33: every text in Dutch. One file per language; locales/en/art33.ftl holds the same keys.
# Keys are lowercase words joined by hyphens, the area first. Loaded by src/domain/texts.rs.
# Fluent trims the space around a value: a space that matters is written {" "}.

### Pages (templates/pages/, src/web/pages/)

## Navigation

nav-skip = Naar de inhoud
nav-label = Hoofdmenu
nav-dashboard = Overzicht
nav-report = Datalek melden
nav-admin = Beheer
nav-register = Register

## The register page

register-title = Datalekregister (art. 33 lid 5 AVG)
register-intro = Elk datalek, gemeld of niet: de feiten, de gevolgen, de genomen maatregelen en de besluiten. Elke download wordt vastgelegd in het auditspoor.
register-empty = Nog geen incidenten.
register-facts = Feiten
register-effects = Gevolgen
register-remedial = Maatregelen
register-decision = Besluit art. 33
register-subjects = Besluit art. 34

## The register page: filters, dates, severity and decisions

register-filter-client = Klant
register-filter-year = Jaar
register-filter-notified = Gemeld bij de AP
register-filter-late = Te laat
register-filter-any = alle
register-filter-apply = Filteren
register-no-match = Geen incidenten met deze filters.
register-dates = Tijdstippen
register-processor-delay = GX informeerde de klant na (art. 33 lid 2)
register-hours = { $hours } uur
register-enisa-inputs = DPC { $dpc }, herleidbaarheid { $ease }, V { $c }, I { $i }, B { $a }; kwaadwillig: { $malicious }; onbegrijpelijk: { $unintelligible }; kwetsbare betrokkenen: { $vulnerable }
register-override = wijkt af van het voorstel
register-supplements = Aanvullingen
register-supplement-complete = voltooit de voorlopige melding
register-withdrawn = Ingetrokken
register-art33-pending = nog niet besloten
register-art33-no-breach = geen datalek met persoonsgegevens
register-art33-not-notifiable = niet meldplichtig (alleen register)
register-art33-notified = gemeld bij de AP
register-art33-withdrawn = melding ingetrokken
register-art34-undecided = nog niet besloten
register-art34-informed = geïnformeerd
register-art34-not-required = niet vereist

## Navigation

nav-logout = Uitloggen
nav-language = Taal

## Roles

role-reporter = melder
role-dpo = FG
role-officer = privacy officer
role-admin = beheerder

## Languages, by name

language-nl = Nederlands
language-en = Engels

## Logging in

login-title = Inloggen
login-intro = Log in om datalekken te melden en te volgen.
login-email = E-mailadres
login-password = Wachtwoord
login-submit = Inloggen
login-failed = Onbekend e-mailadres of onjuist wachtwoord.
password-too-short = Het wachtwoord moet minstens { $min } tekens hebben.
password-too-weak = Het wachtwoord is te makkelijk te raden: het is een veelgebruikt wachtwoord of patroon, of het is gemaakt van uw e-mailadres, uw naam of de naam van de organisatie. Kies een langere zin van losse woorden.
login-too-many = Te veel mislukte pogingen. Wacht enkele minuten en probeer het dan opnieuw; de wachttijd groeit met elk onjuist wachtwoord.
login-sso = Inloggen met single sign-on
login-or-password = Of log in met uw e-mailadres en wachtwoord:
login-break-glass = Noodtoegang: inloggen met een wachtwoord staat uit, en hier werkt alleen het wachtwoord van een beheerder.
login-password-off = Inloggen met een wachtwoord staat uit: log in met single sign-on.
sso-error-state = De single sign-on kon niet worden afgerond: het duurde te lang, of hij is niet hier begonnen. Probeer het opnieuw.
sso-error-provider = De identiteitsprovider heeft u niet ingelogd. Probeer het opnieuw.
sso-error-token = Het antwoord van de identiteitsprovider kon niet worden gecontroleerd. Probeer het opnieuw; blijft het mislukken, meld het dan aan uw beheerder.
sso-error-unavailable = Single sign-on is nu niet beschikbaar: de identiteitsprovider antwoordt niet. Probeer het over een paar minuten opnieuw.
sso-error-unverified = Uw identiteitsprovider heeft uw e-mailadres niet bevestigd, dus het kan niet aan een account worden gekoppeld.
sso-error-domain = Adressen van uw e-maildomein mogen hier niet inloggen.
sso-error-unknown-user = Er is geen account voor uw e-mailadres. Vraag een beheerder u toe te voegen.
sso-error-deactivated = Uw account is gedeactiveerd. Vraag een beheerder.

## Logging out

logout-title = Uitloggen
logout-confirm = Wilt u uitloggen?

## The dashboard

dash-title = Overzicht
dash-running = Lopende termijnen
dash-untriaged = Nog te beoordelen meldingen
dash-mine = Mijn meldingen
dash-mine-none = U hebt nog niets gemeld.
dash-decided = Besloten en afgesloten
dash-failed = Niet afgeleverde e-mails
dash-by-client = Per klant
dash-more = meer: zie het register
dash-reference = Referentie
dash-client = Klant
dash-incident = Incident
dash-deadline = Termijn AP-melding
dash-urgency = Urgentie
dash-state = Status
dash-age = Gemeld
dash-ack = Ontvangst FG
dash-acked = bevestigd
dash-not-acked = nog niet bevestigd
dash-open = open
dash-overdue-count = termijn verstreken
dash-to = Aan
dash-kind = Soort
dash-error = Fout
dash-retrying = E-mails die opnieuw worden geprobeerd
dash-attempts = Pogingen
dash-last-error = Laatste fout
dash-next-attempt = Volgende poging
dash-requeue = Niet afgeleverde e-mails opnieuw versturen
dash-requeue-hint = Alle niet afgeleverde e-mails gaan terug in de wachtrij, met hun oorspronkelijke Message-ID. Elke e-mail wordt vastgelegd in het auditspoor.
dash-requeued = Opnieuw in de wachtrij gezet (e-mails):
dash-report-now = Vermoedt u een datalek? Meld het meteen.

## The dashboard: rows like an on-call tool, filters, and the empty state

dash-due-in = Nog { $left }
dash-overdue-by = { $left } te laat
dash-ago = { $age } geleden
dash-just-now = zojuist
dash-ap-draft = AP-concept: { $answered } van { $total } beantwoord
dash-severity = Ernst
dash-severity-none = niet beoordeeld
dash-next = Volgende stap
dash-filter = Filteren
dash-filter-any = alle
dash-filter-no-clock = Geen lopende termijn
dash-filter-clear = Alles tonen
dash-no-match = Geen incidenten die aan dit filter voldoen.
dash-empty-title = Niets te doen
dash-empty-dpo = Er zijn geen incidenten voor uw organisatie. U krijgt een e-mail zodra er een wordt gemeld.
dash-empty-officer = Er zijn nog geen incidenten gemeld.
dash-steps-intro = Nog geen incidenten. Zo begint u:
dash-step-client = Voeg een klant toe (de verwerkingsverantwoordelijke voor wie u gegevens verwerkt)
dash-step-dpo = Voeg de functionaris gegevensbescherming van de klant toe als gebruiker (rol FG)
dash-step-report = Meld een testlek om de meldingen en het aftellen te zien
dash-step-done = gedaan

## The next action on an incident

next-confirm-or-dismiss = Bevestigen of afwijzen
next-assess = Ernst beoordelen
next-notify-ap = Melden bij de AP
next-decide-ap = Besluiten: wel of niet melden bij de AP
next-supplement = AP-melding aanvullen
next-inform-subjects = Besluiten over informeren van betrokkenen
next-close = Afsluiten

## The dashboard: kinds of mail

mail-kind-p0 = P0 vermoedelijk datalek
mail-kind-p0-receipt = P0 ontvangstbevestiging
mail-kind-p1 = P1 niet beoordeeld
mail-kind-a0 = A0 datalek bevestigd
mail-kind-u0 = U0 ontvangst niet bevestigd
mail-kind-milestone = A1–A4 resterende tijd
mail-kind-a5 = A5 termijn verstreken
mail-kind-s1 = S1 aanvulling ontbreekt
mail-kind-test = testmail
mail-kind-login-locked = inloggen gepauzeerd

## Urgency

urgency-overdue = Termijn verstreken
urgency-within-4h = Nog hooguit 4 uur
urgency-within-12h = Nog hooguit 12 uur
urgency-within-24h = Nog hooguit 24 uur
urgency-more-than-24h = Meer dan 24 uur

## Urgency: the conservative deadline (processor awareness + the window) has passed

urgency-conservative-passed = Strikte termijn verstreken

## The report form

report-title = Datalek melden
report-intro = Vertel wat u weet; dat is genoeg. Noem geen namen, e-mailadressen of andere gegevens van de mensen om wie het gaat.
report-client = Voor welke klant?
report-choose = Kies…
report-what = Wat is er gebeurd?
report-title-field = Korte omschrijving
report-title-hint = Bijvoorbeeld: laptop gestolen, e-mail naar verkeerde ontvanger.
report-summary = Wat is er gebeurd, en wat weet u nog meer?
report-when = Wanneer merkte u het? (Nederlandse tijd)
report-data = Welke soorten gegevens?
report-people = Om hoeveel mensen gaat het ongeveer?
report-people-unknown = Weet ik niet
report-ongoing = Is het nog gaande?
report-ongoing-yes = Ja, het is nog gaande
report-ongoing-no = Nee, het is gestopt
report-ongoing-unknown = Weet ik niet
report-submit = Melding versturen
report-pii-warning = Uw tekst lijkt persoonsgegevens te bevatten:
report-pii-advice = Haal die gegevens weg en verstuur opnieuw. Alleen als ze echt nodig zijn, vinkt u hieronder aan dat u ze bewust meestuurt.
report-pii-allow = Ik stuur deze gegevens bewust mee
report-too-many = U hebt in de afgelopen minuut te vaak gemeld. Probeer het over { $seconds } seconden opnieuw; wat u hebt ingevuld staat er nog.
report-received-title = Uw melding is ontvangen
report-received-reference = Referentie
report-received-next = Wat er nu gebeurt
report-received-step1 = De privacy officers beoordelen uw melding, meestal binnen enkele uren.
report-received-step2 = De functionaris gegevensbescherming (FG) van de klant is al geïnformeerd.
report-received-step3 = U krijgt een ontvangstbevestiging per e-mail. U hoeft verder niets te doen; weet u meer, vul de melding dan aan.
report-received-warning = Stuur nooit persoonsgegevens door, ook niet als bewijs.
report-view = Bekijk de melding
report-another = Nog een melding doen

## Forms: the error summary and errors named by their field's label (src/web/pages/i18n.rs)

form-error-prefix = Fout:
form-error-summary = Er is een probleem
form-error-required = Vul „{ $label }” in.
form-error-choose = Kies „{ $label }”.
form-error-number = „{ $label }” moet een heel getal zijn.
form-error-future = „{ $label }” mag niet in de toekomst liggen.
form-error-control = „{ $label }” bevat tekens die niet kunnen worden opgeslagen.
form-error-email = „{ $label }” is geen geldig e-mailadres.
form-error-too-long = „{ $label }” mag hoogstens { $max } tekens lang zijn.
form-error-other = { $label }: { $message }
form-error-time-malformed = „{ $label }” is geen datum en tijd (JJJJ-MM-DD UU:MM).
form-error-time-gap = „{ $label }”: die tijd bestaat niet in Amsterdam, de klok gaat dan een uur vooruit; kies een tijd na de sprong.
form-error-time-fold = „{ $label }”: die tijd komt twee keer voor in Amsterdam, de klok gaat dan een uur terug; kies CEST of CET.
form-error-time-zone = „{ $label }”: u typte { $typed }, maar Amsterdam heeft dan { $actual }; verbeter de zone of laat hem weg.

## The incident page

inc-facts = Feiten
inc-clocks = Termijnen
inc-clock-not-started = De termijn van { $hours } uur begint zodra de verwerkingsverantwoordelijke op de hoogte is van de inbreuk; art33 legt dat moment vast, en start de klok, bij de bevestiging.
inc-clock-stopped = De termijn loopt niet meer: er is besloten.
inc-processor-aware = GX (verwerker) op de hoogte
inc-controller-aware = Klant (verwerkingsverantwoordelijke) geïnformeerd
inc-deadline = Termijn AP-melding
inc-conservative = Let op: gerekend vanaf het moment dat GX het wist, verloopt de termijn al op
inc-conservative-passed = Let op: gerekend vanaf het moment dat GX het wist, is de termijn al verstreken op
inc-reported = Gemeld
inc-reported-by = Gemeld door
inc-discovered = Ontdekt
inc-summary = Wat er gebeurde
inc-decisions = Besluiten
inc-severity = Ernst (ENISA)
inc-not-assessed = nog niet beoordeeld
inc-proposal-ap = voorstel: melden bij de AP
inc-proposal-subjects = betrokkenen informeren
inc-yes = ja
inc-no = nee
inc-ap = Melding AP
inc-ap-none = nog niet gemeld
inc-on-time = op tijd
inc-late = te laat
inc-subjects = Betrokkenen (art. 34)
inc-acknowledged = Ontvangst bevestigd door de FG
inc-actions = Volgende stap
inc-no-actions = U kunt hier nu niets aan veranderen.
inc-edit = Gegevens aanvullen
inc-save = Opslaan
inc-alerts = Waarschuwingen
inc-alert-code = Code
inc-alert-due = Gepland
inc-alert-status = Status
inc-alert-to = Ontvangers en aflevering
inc-timeline = Tijdlijn
inc-ap-draft = Concept AP-melding
inc-errors = Dit kon niet worden vastgelegd:
inc-fold-hint = Deze tijd bestaat twee keer (einde zomertijd): kies CEST (zomertijd) of CET (wintertijd).
inc-not-set = —
inc-utc = UTC

## The incident page: the cockpit (next step, checklist)

inc-severity-short = Ernst
inc-next-confirm = Datalek bevestigen
inc-next-dismiss = Afwijzen
inc-next-acknowledge = Ontvangst bevestigen
inc-next-assess = Ernst beoordelen
inc-next-decide-not-notifiable = Besluiten: niet meldplichtig
inc-next-notify-ap = Melding bij de AP vastleggen
inc-next-supplement = Melding aanvullen
inc-next-withdraw = Melding intrekken
inc-next-inform-subjects = Betrokkenen informeren
inc-next-subjects-not-required = Besluiten over betrokkenen
inc-next-correct-awareness = Tijdstippen corrigeren
inc-next-close = Afsluiten
inc-next-reopen = Heropenen
inc-open-draft = Concept-melding openen
inc-more-actions = Meer acties
inc-check-title = Klaar om te melden bij de AP
inc-check-title-notified = Nog nodig voor de AP (aanvullingen)
inc-check-facts = Feiten voor de kernvragen van de AP
inc-check-assessment = Beoordeling van de ernst
inc-check-profile = Profiel van de klant (hoofdstuk 3)
inc-check-subjects = Besluit over betrokkenen (art. 34)
inc-check-delay = Redenen voor de vertraging (4.5)
inc-check-done = gedaan
inc-check-todo = ontbreekt
inc-check-fill-in = invullen
inc-check-ready = Alles wat art33 moet beantwoorden is er; alleen wat u in het formulier van de AP zelf invult, blijft over.

## The incident page: statuses and timeline entries in words

inc-subjects-undecided = nog niet besloten
alert-status-planned = gepland
alert-status-sent = verstuurd
alert-status-superseded = vervangen door een nieuwere waarschuwing
alert-status-suppressed = vervallen (niet meer van toepassing)
delivery-status-pending = in de wachtrij
delivery-status-sent = afgeleverd
delivery-status-failed = niet afgeleverd
timeline-report = Gemeld
timeline-patch = Gegevens aangevuld
timeline-alert-sent = Waarschuwing verstuurd
timeline-alert-superseded = Waarschuwing vervangen
timeline-alert-suppressed = Waarschuwing vervallen
timeline-mail-sent = Mail afgeleverd
timeline-mail-failed = Mail niet afgeleverd
timeline-mail-requeued = Mail opnieuw in de wachtrij
timeline-register-export = Register geëxporteerd
timeline-retention-purge = Vrije tekst verwijderd (bewaartermijn)
timeline-yes = ja
timeline-no = nee
timeline-field-deadline-at = termijn
timeline-field-first = eerste bevestiging
timeline-field-on-time = op tijd
timeline-field-late-by-seconds = te laat met
timeline-field-deadline-moved-seconds = termijn verschoven met
timeline-field-code = code
timeline-field-due-at = gepland op
timeline-field-recipients = ontvangers
timeline-field-kind = soort mail
timeline-field-to = aan
timeline-field-attempts = pogingen
timeline-field-error = fout
timeline-field-via = via
timeline-field-reference = kenmerk
timeline-field-changed = gewijzigd
timeline-field-deliveries = aflevering
timeline-field-processor-aware-at = GX op de hoogte
timeline-field-controller-aware-at = klant geïnformeerd
timeline-field-notified-at = gemeld op
timeline-field-informed-at = geïnformeerd op
timeline-via-link = de link in de mail
timeline-actor-system = art33 (automatisch)
timeline-actor-cli = beheerder (opdrachtregel)

## The incident page: the timeline in words

timeline-line-by = { $what }, door { $actor }
timeline-line-report = Gemeld door { $actor }
timeline-line-confirm = Datalek bevestigd door { $actor }; termijn AP tot { $deadline }
timeline-line-assess = Ernst beoordeeld: { $severity } door { $actor }
timeline-line-notify-ap = Gemeld bij de AP (kenmerk { $reference }) door { $actor }
timeline-line-alert-sent = Waarschuwing verstuurd: { $alert }; ontvangers: { $count }
timeline-line-alert-superseded = Waarschuwing { $alert } vervangen door een nieuwere
timeline-line-alert-suppressed = Waarschuwing { $alert } vervallen: niet meer van toepassing
timeline-line-mail-sent = Mail { $alert } afgeleverd bij { $to }
timeline-line-mail-failed = Mail { $alert } niet afgeleverd bij { $to }
timeline-to-dpo = de FG van { $client }
timeline-to-contact = een contactpersoon van { $client }
timeline-to-reporter = de melder ({ $address })
timeline-alert-hours-left = { $code } (nog { $hours } uur)
timeline-alert-about = { $code } ({ $about })
timeline-about-p0 = vermoedelijk datalek
timeline-about-p1 = nog niet beoordeeld
timeline-about-a0 = datalek bevestigd
timeline-about-u0 = ontvangst niet bevestigd
timeline-about-c0 = strikte termijn verstreken
timeline-about-milestone = resterende tijd
timeline-about-a5 = termijn verstreken
timeline-about-s1 = aanvulling ontbreekt
timeline-particulars = Bijzonderheden
timeline-message-id = Message-ID

## The AP draft page

ap-title = Concept AP-melding
ap-not-final = Dit is een concept. Meld uitsluitend via het formulier van de Autoriteit Persoonsgegevens.
ap-kind = Soort melding
ap-completeness = Beantwoord
ap-missing-title = Ontbreekt nog
ap-confirm-title = Afgeleid: controleer en bevestig
ap-on-form-title = Alleen in het AP-formulier in te vullen
ap-changes-title = Gewijzigd sinds de laatste melding
ap-before = Was
ap-after = Nu
ap-withdrawal-reason = Reden van intrekking
ap-deadline = Termijn
ap-late-by = Te laat met
ap-copy = Kopiëren
ap-copied = Gekopieerd
ap-recorded = vastgelegd
ap-derived = afgeleid, bevestigen
ap-missing = ontbreekt
ap-download-text = Als tekst (om te plakken)
ap-download-pdf = Als PDF
ap-print = Afdrukken
ap-letter = Concept van de brief aan betrokkenen (art. 34)
ap-not-required = Niet vereist

## The AP draft page: what is left, and where to fill it in

ap-summary-asked = Het AP-formulier vraagt voor dit datalek { $asked } vragen: art33 beantwoordt er { $total }, { $on_form } kunnen alleen in het AP-formulier zelf.
ap-summary-complete = Alles wat art33 kan beantwoorden is beantwoord. In het AP-formulier zelf blijft nog in te vullen:
ap-summary-fill-in = invullen

## Administration

admin-title = Beheer
admin-clients = Klanten
admin-users = Gebruikers
admin-tokens = API-tokens
admin-slug = Korte naam (slug)
admin-name = Naam
admin-dpo-email = E-mailadres FG
admin-dpo-name = Naam FG
admin-escalation = Escalatie-adressen (één per regel)
admin-locale = Taal van e-mails
admin-add-client = Klant toevoegen
admin-email = E-mailadres
admin-role = Rol
admin-client = Klant
admin-no-client = geen
admin-password = Wachtwoord (minstens 12 tekens; leeg: alleen API-tokens)
admin-add-user = Gebruiker toevoegen
admin-label = Waarvoor
admin-create-token = Token aanmaken
admin-token-once = Nieuw token — kopieer het nu, het wordt niet nogmaals getoond:
admin-prefix = Begin
admin-user = Gebruiker
admin-created = Aangemaakt
admin-last-used = Laatst gebruikt
admin-revoke = Intrekken
admin-active = actief
admin-saved = Opgeslagen.

## Administration: editing clients and users, revoked tokens

admin-dpo = FG
admin-escalation-short = Escalatieadressen
admin-edit = Wijzigen
admin-save = Opslaan
admin-status = Status
admin-deactivated = gedeactiveerd
admin-user-active = Actief (mag inloggen; vink uit om te deactiveren)
admin-revoked-on = Ingetrokken op
admin-not-revoked = in gebruik

## A client's profile (templates/pages/client_profile.html)

admin-profile = Profiel
profile-title = Klantprofiel
profile-intro = Wat het AP-meldformulier over de verwerkingsverantwoordelijke vraagt (hoofdstuk 3), de leidende toezichthouder en de talen van de betrokkenen. Geen persoonsgegevens van betrokkenen.
profile-legal-name = Statutaire naam (3.1.1a)
profile-address = Adres, postcode en plaats (3.1.1c)
profile-kvk-number = KvK-nummer, 8 cijfers (3.1.1e)
profile-dpo-registration = Registratienummer van de FG bij de AP (3.1.1d)
profile-lead-authority = Land van de hoofdvestiging (leidende toezichthouder, bijv. NL)
profile-notifier-name = Melder: naam (3.2.1)
profile-notifier-position = Melder: functie
profile-notifier-phone = Melder: telefoonnummer
profile-notifier-email = Melder: e-mailadres (leeg: dat van de FG)
profile-contact-name = Contactpersoon voor de AP als die afwijkt: naam (3.2.2)
profile-contact-position = Contactpersoon: functie
profile-contact-email = Contactpersoon: e-mailadres
profile-contact-phone = Contactpersoon: telefoonnummer
profile-sector = Sector (3.1.2)
profile-outside-eea = Gevestigd buiten de EER (geen one-stop-shop)
profile-subject-locales = Talen van de betrokkenen (leeg: de taal van de klant)
profile-locale-nl = Nederlands
profile-locale-en = Engels
profile-save = Profiel opslaan
profile-yes = ja
profile-no = nee
profile-read-only = Alleen een beheerder wijzigt het klantprofiel.

## Form fields (labels)

field-title = Titel
field-summary = Wat er gebeurde
field-discovered-at = Ontdekt op
field-discovery-method = Hoe ontdekt
field-occurred-from = Begin van de inbreuk
field-occurred-until = Einde van de inbreuk
field-ongoing = Duurt nog voort
field-incident-kind = Aard van het incident
field-nature = Aard van de inbreuk
field-data-categories = Persoonsgegevens
field-special-categories = Bijzondere persoonsgegevens
field-records-approx = Aantal records (ongeveer)
field-subject-groups = Groepen betrokkenen
field-subjects-min = Aantal betrokkenen, minimaal
field-subjects-max = Aantal betrokkenen, maximaal
field-encryption = Versleuteling
field-consequences = Gevolgen
field-measures-taken = Getroffen maatregelen
field-measures-planned = Geplande maatregelen
field-cross-border-states = Andere EU-landen (landcodes, komma's)
field-other-organisations = Andere betrokken organisaties
field-other-supervisors = Andere toezichthouders ingelicht (DNB, AFM, …), of "geen"
field-processor-aware-at = GX op de hoogte sinds (leeg: nu)
field-controller-aware-at = Klant geïnformeerd op (leeg: nu)
field-justification = Onderbouwing
field-reason = Reden
field-dpc = Gegevenscontext (DPC 1–4)
field-ease-of-identification = Identificeerbaarheid
field-confidentiality = Verlies van vertrouwelijkheid
field-integrity = Verlies van integriteit
field-availability = Verlies van beschikbaarheid
field-malicious = Kwade opzet
field-unintelligible = Gegevens onbegrijpelijk (versleuteld, sleutel veilig)
field-vulnerable-subjects = Kwetsbare betrokkenen (kinderen, patiënten…)
field-rationale = Onderbouwing van de beoordeling
field-notified-at = Gemeld op (leeg: nu)
field-ap-reference = Kenmerk van de AP
field-preliminary = Voorlopige melding
field-delay-reason = Reden van de vertraging (vraag 4.5)
field-note = Wat is aangevuld
field-informed-at = Geïnformeerd op (leeg: nu)
field-channel = Hoe
field-count = Aantal personen
field-ground = Grond
field-explanation = Toelichting
field-subjects = Besluit over betrokkenen
field-type = Stap
field-client = Klant
field-allow-personal-data = Ik stuur persoonsgegevens bewust mee

## Form fields of a supplement and a withdrawal

field-at = Ingediend bij de AP op (leeg: nu)
field-complete = Deze aanvulling voltooit de voorlopige melding

## Choices in forms

choice-yes = ja
choice-no = nee
choice-choose = Kies…

## States of an incident

state-reported = gemeld, in beoordeling
state-dismissed = afgewezen (geen datalek)
state-confirmed = bevestigd datalek, termijn loopt
state-not-notifiable = niet meldplichtig
state-ap-notified = gemeld bij de AP
state-ap-withdrawn = melding ingetrokken
state-closed = afgesloten

## Events, as buttons

event-confirm = Bevestigen: dit is een datalek
event-dismiss = Afwijzen: geen datalek
event-acknowledge = Ontvangst bevestigen
event-assess = Ernst beoordelen (ENISA)
event-decide-not-notifiable = Besluiten: niet meldplichtig
event-notify-ap = Gemeld bij de AP
event-supplement = Melding aangevuld
event-withdraw = Melding ingetrokken
event-inform-subjects = Betrokkenen geïnformeerd
event-subjects-not-required = Betrokkenen informeren niet nodig
event-correct-awareness = Tijdstippen corrigeren
event-close = Afsluiten
event-reopen = Heropenen

### Mails (templates/email/, src/notify/messages.rs)

## Shared parts

mail-footer = Dit bericht bevat geen persoonsgegevens van betrokkenen. Stuur geen persoonsgegevens door.
mail-reference = Referentie
mail-reported-by = Gemeld door
mail-reported-at = Gemeld op
mail-known = Wat bekend is
mail-incident = Incident
mail-incident-kind = Aard van het incident
mail-nature = Aard van de inbreuk
mail-data-categories = Persoonsgegevens
mail-special-categories = Bijzondere persoonsgegevens
mail-subjects-count = Aantal betrokkenen
mail-ongoing = De inbreuk duurt nog voort.
mail-deadline = Termijn AP-melding
mail-time-left = Resterende tijd
mail-late-by = Termijn verstreken sinds
mail-late-by-value = { $late }
mail-conservative = Let op: GX wist het eerder; gerekend vanaf dat moment verloopt de termijn al op { $deadline }.
mail-conservative-passed = Let op: GX wist het eerder; gerekend vanaf dat moment is de termijn al verstreken op { $deadline }.
mail-open-incident = Open het incident
mail-ap-draft = Concept AP-melding
mail-acknowledge = Ontvangst bevestigen
mail-acknowledge-one-click = Ontvangst bevestigen (één klik)
mail-missing = Nog niet beantwoord in het concept van de AP-melding
mail-reporter-for-dpo = een medewerker van GX (verwerker)
mail-severity = ENISA-ernst { $band } ({ $score }); voorstel: melden bij de AP { $ap }, betrokkenen informeren { $subjects }
mail-yes = ja
mail-no = nee

## Shared parts: a word joining the duty officer's telephone number and address

mail-or = of

## P0: suspected breach reported

mail-p0-subject = Vermoedelijk datalek gemeld
mail-p0-lead = Er is een vermoedelijk datalek gemeld bij { $client }. De privacy officers beoordelen het nu (triage); u hoort het zodra het is bevestigd of afgewezen.
mail-p0-lead-html = Vermoedelijk datalek gemeld bij { $client }.
mail-p0-triage-html = De privacy officers beoordelen het nu; u hoort het zodra het is bevestigd of afgewezen.
mail-p0-clock = De termijn van { $hours } uur om bij de AP te melden begint wanneer uw organisatie als verwerkingsverantwoordelijke op de hoogte raakt van het datalek. Dit bericht kan dat moment zijn; art33 legt het vast wanneer het datalek wordt bevestigd of u dit bericht bevestigt.

## P0: the officers' copy, and a report triaged before its P0 went out (a catch-up tick)

mail-p0-lead-officer = Er is een vermoedelijk datalek gemeld bij { $client }. Beoordeel het nu: bevestigen of afwijzen. De FG van de klant is ook ingelicht en hoort de uitkomst.
mail-p0-triage-html-officer = Beoordeel het nu: bevestigen of afwijzen. De FG van de klant is ook ingelicht en hoort de uitkomst.
mail-p0-clock-officer = De termijn van { $hours } uur om bij de AP te melden begint wanneer de klant, de verwerkingsverantwoordelijke, op de hoogte raakt van het datalek; art33 legt dat moment vast wanneer het datalek wordt bevestigd of de FG van de klant het bericht bevestigt.
mail-p0-since-confirmed = Het is inmiddels bevestigd als datalek en de termijn voor de AP-melding loopt: een apart bericht zegt wat er moet gebeuren.
mail-p0-since-dismissed = Het is inmiddels beoordeeld en afgewezen: het is geen inbreuk op persoonsgegevens.

## P0-receipt: the reporter's receipt

mail-locked-subject = Inloggen op uw art33-account is gepauzeerd
mail-locked-what = Er zijn meerdere onjuiste wachtwoorden ingevoerd voor uw art33-account; het laatste op { $at }.
mail-locked-pair = Geen ervan is geaccepteerd. Nieuwe pogingen vanaf het netwerkadres waar ze vandaan kwamen wachten { $minutes } minuten, en langer na elk nieuw onjuist wachtwoord. Pogingen van elders merken hier niets van.
mail-locked-account = Geen ervan is geaccepteerd. Ze kwamen van meerdere netwerkadressen, dus pauzeert art33 al het inloggen op uw account, hoogstens { $minutes } minuten.
mail-locked-if-you = Was u het? Wacht even en log dan in met het juiste wachtwoord.
mail-locked-if-not-you = Was u het niet? Uw wachtwoord is niet geraden. Meld het bij de privacy officers, en kies een nieuw wachtwoord als u het ook ergens anders gebruikt.
mail-locked-login = Inloggen
mail-locked-footer = U krijgt dit bericht omdat iemand probeerde in te loggen op uw account. Er staat geen wachtwoord in.
mail-receipt-subject = Uw melding is ontvangen
mail-receipt-thanks = Dank u: uw melding van een vermoedelijk datalek is ontvangen onder referentie { $reference }.
mail-receipt-thanks-html = Dank u: uw melding is ontvangen onder referentie { $reference }.
mail-receipt-next = Wat er nu gebeurt: de privacy officers beoordelen de melding en informeren de functionaris gegevensbescherming van { $client }. U hoeft verder niets te doen. Weet u meer, vul de melding dan aan via de link hieronder.
mail-receipt-next-html = Wat er nu gebeurt: de privacy officers beoordelen de melding en informeren de functionaris gegevensbescherming van { $client }. U hoeft verder niets te doen. Weet u meer, vul de melding dan aan.
mail-receipt-urgent = Spoed of vragen? Neem contact op met de privacy officer van dienst: { $contact }.
mail-receipt-never-forward = Stuur nooit persoonsgegevens door
mail-receipt-not-as-evidence = ook niet als bewijs: beschrijf alleen wat er is gebeurd.
mail-receipt-your-report = Uw melding

## P1: not triaged after 24 hours

mail-p1-subject = Na 24 uur nog niet beoordeeld
mail-p1-decide = Beslis nu: bevestig of wijs af.
mail-p1-age = Deze melding bij { $client } is { $age } oud en nog niet beoordeeld.
mail-p1-aware = Een onderzoek mag kort duren; daarna bent u zich redelijkerwijs bewust van een datalek en moet de klant binnen { $hours } uur melden. Overweeg of dat moment al is aangebroken.

## A0: breach confirmed

mail-a0-subject = Datalek bevestigd — meld bij de AP vóór { $deadline }
mail-a0-lead = Meld dit datalek bij de Autoriteit Persoonsgegevens vóór { $deadline }, of leg vast waarom dat niet hoeft. GX (verwerker) heeft een inbreuk bevestigd bij { $client }; uw organisatie is als verwerkingsverantwoordelijke de melder.
mail-a0-lead-html = Meld dit datalek bij de AP vóór { $deadline }, of leg vast waarom dat niet hoeft.
mail-a0-controller-html = GX (verwerker) heeft een inbreuk bevestigd bij { $client }; uw organisatie is als verwerkingsverantwoordelijke de melder.

## A0: the officers' copy

mail-a0-lead-officer = { $client } moet dit datalek vóór { $deadline } melden bij de Autoriteit Persoonsgegevens, of vastleggen waarom dat niet hoeft. GX (verwerker) heeft de inbreuk bevestigd; de klant is als verwerkingsverantwoordelijke de melder, via zijn FG.
mail-a0-lead-html-officer = { $client } moet dit datalek vóór { $deadline } melden bij de AP, of vastleggen waarom dat niet hoeft.
mail-a0-controller-html-officer = GX (verwerker) heeft de inbreuk bevestigd; de klant is als verwerkingsverantwoordelijke de melder, via zijn FG.

## U0: A0 not acknowledged

mail-u0-subject = Nog niet bevestigd — termijn { $deadline }
mail-u0-lead = Bevestig de ontvangst: de melding van dit datalek is nog niet bevestigd.
mail-u0-lead-sent = Bevestig de ontvangst: de melding van dit datalek ({ $sent }) is nog niet bevestigd.
mail-u0-running = De termijn voor de AP-melding loopt.

## U0: the officers' copy

mail-u0-lead-officer = Volg dit op: de FG van de klant heeft het bericht over dit datalek niet bevestigd.
mail-u0-lead-sent-officer = Volg dit op: de FG van de klant heeft het bericht over dit datalek, verzonden op { $sent }, niet bevestigd.

## C0: the conservative deadline passed

mail-c0-subject = Strikte termijn verstreken — meld nu bij de AP
mail-c0-lead = Meld nu bij de AP. In de strikte lezing (een verwerkingsverantwoordelijke is op de hoogte zodra zijn verwerker het was) is de termijn van { $hours } uur verstreken op { $deadline }.
mail-c0-lead-html = Meld nu bij de AP: in de strikte lezing is de termijn van { $hours } uur verstreken op { $deadline }.
mail-c0-delay = GX (verwerker) was op de hoogte op { $processor }; uw organisatie is als verwerkingsverantwoordelijke geïnformeerd op { $controller }. Licht deze vertraging van de verwerker toe bij de reden van de vertraging (vraag 4.5).

## C0: the officers' copy

mail-c0-delay-officer = GX (verwerker) was op de hoogte op { $processor }; de klant is als verwerkingsverantwoordelijke geïnformeerd op { $controller }. De FG van de klant licht deze vertraging van de verwerker toe bij de reden van de vertraging (vraag 4.5).

## A1–A4: hours left

mail-milestone-subject = Nog { $hours } uur om bij de AP te melden
mail-milestone-decide = Beslis: meld bij de AP, of leg vast dat het datalek niet meldplichtig is.
mail-milestone-left = Er is nog { $left }.

## A5: deadline passed

mail-a5-subject = Termijn AP verstreken — reden van vertraging vereist
mail-a5-lead = Meld nu bij de AP, zonder onnodige vertraging: de termijn is verstreken.
mail-a5-lead-late = Meld nu bij de AP, zonder onnodige vertraging: de termijn is verstreken ({ $late } geleden).
mail-a5-question = Bij een late melding is vraag 4.5 (reden van de vertraging) verplicht.
mail-a5-subject-now = Termijn AP bereikt — meld nu
mail-a5-lead-now = Meld nu bij de AP: de termijn verstrijkt op dit moment.

## S1: preliminary notification not supplemented

mail-s1-subject = Voorlopige AP-melding nog niet aangevuld
mail-s1-lead = Vul de voorlopige melding bij de AP aan, zonder onnodige vertraging (art. 33 lid 4 AVG).
mail-s1-lead-at = Vul de voorlopige melding bij de AP aan (gedaan op { $at }), zonder onnodige vertraging (art. 33 lid 4 AVG).
mail-s1-lead-html = Vul de voorlopige melding bij de AP aan.
mail-s1-lead-html-at = Vul de voorlopige melding bij de AP aan (gedaan op { $at }).

### The AP draft and the letter to data subjects (src/domain/ap_report/)

## The draft: its head and lists

ap-draft-not-notifiable = Niet meldplichtig
ap-draft-no-personal-data-breach = Geen datalek
ap-draft-the-notification-was-withdrawn = De melding is ingetrokken.
ap-draft-not-yet-confirmed-as-a = Nog niet bevestigd als datalek. De termijn van { $hours } uur begint zodra de verwerkingsverantwoordelijke op de hoogte is van de inbreuk; art33 legt dat moment vast bij de bevestiging.
ap-draft-proposal-from-the-severity-assessment = Voorstel op basis van de ernstinschatting: niet meldplichtig (alleen register). De FG beslist.

## The answers of chapters 1 to 9

ap-fill-fill-in-on-the-ap = Vul in in het AP-formulier
ap-fill-i-want-to-notify-one = Ik wil één inbreuk melden (reguliere melding)
ap-fill-gdpr-avg-the-general-data = AVG (Algemene verordening gegevensbescherming)
ap-fill-record-other-supervisors = Leg bij de feiten vast welke toezichthouders met een andere meldplicht (zoals DNB, AFM of het NCSC) van de inbreuk op de hoogte zijn gebracht, of dat dat niet is gebeurd.
ap-fill-no-no-other-member-states = Nee (geen andere lidstaten vastgelegd)
ap-fill-yes = Ja
ap-fill-no = Nee
ap-fill-controller = verwerkingsverantwoordelijke
ap-fill-the-notifier-s-name-position = naam, functie, e-mailadres en telefoonnummer van wie meldt zijn alle verplicht.
ap-fill-data-protection-officer = functionaris voor gegevensbescherming
ap-fill-of = van
ap-fill-the-controller-s-dpo-art = De FG van de verwerkingsverantwoordelijke (art. 33 lid 3 sub b AVG); vul telefoonnummer aan.
ap-fill-processor = verwerker
ap-fill-the-breach-is-still-ongoing = De inbreuk duurt nog voort
ap-fill-unknown-fill-in-once-known = Onbekend; vul in zodra bekend.
ap-fill-processor-aware = (verwerker) op de hoogte
ap-fill-controller-aware-the-clock-starts = verwerkingsverantwoordelijke op de hoogte (start van de termijn)
ap-fill-attach-only-documents-without-the = voeg alleen documenten toe zonder persoonsgegevens van betrokkenen.
ap-fill-none-see-6-2 = Geen; zie 6.2
ap-fill-no-special-categories-recorded = Geen bijzondere persoonsgegevens vastgelegd
ap-fill-approx = ca.
ap-fill-groups-described-in-7-1-and-7-3 = Optioneel: 7.1 en 7.3 beschrijven de groepen en hun aantal al.
ap-fill-according-to-the-severity-assessment = Volgens de ernstinschatting waren de gegevens onbegrijpelijk voor onbevoegden; licht toe (bijv. algoritme, sleutelbeheer).
ap-fill-derived-from-5-1 = Afgeleid uit 5.1.
ap-fill-explanation-enisa-method-severity-score = Toelichting: ENISA-methode, ernstscore
ap-fill-raised-to-at-least-limited = Verhoogd tot ten minste beperkt vanwege kwetsbare betrokkenen.
ap-fill-derived-from-the-enisa-band = Afgeleid uit de ENISA-band (projectconventie: laag → verwaarloosbaar, gemiddeld → beperkt, hoog → aanzienlijk, zeer hoog → zeer groot).
ap-fill-planned = Gepland:
ap-fill-loss-of-confidentiality-data-possibly = Verlies van vertrouwelijkheid: gegevens (mogelijk) ingezien of gekopieerd door onbevoegden
ap-fill-loss-of-integrity-data-possibly = Verlies van integriteit: gegevens (mogelijk) gewijzigd
ap-fill-loss-of-availability-data-temporarily = Verlies van beschikbaarheid: gegevens (tijdelijk) niet beschikbaar, verstoring van de dienstverlening
ap-fill-not-applicable = n.v.t.
ap-fill-the-clock-has-not-started = Nog geen termijn vastgelegd: de termijn begint zodra de verwerkingsverantwoordelijke op de hoogte is van de inbreuk; art33 legt dat vast bij de bevestiging.
ap-fill-required-the-deadline-passed-on = Verplicht: de termijn verstreek op
ap-fill-art-33-1-gdpr = art. 33 lid 1 AVG
ap-fill-not-applicable-notified-within = n.v.t. (gemeld binnen
ap-fill-hours = uur
ap-fill-not-applicable-when-notified-before = n.v.t. bij melding vóór
ap-fill-becomes-required-once-the-deadline = Wordt verplicht zodra de termijn verstrijkt.
ap-fill-recommended-explain-the-processor-controller = Aanbevolen: licht de tijdlijn verwerker → verwerkingsverantwoordelijke toe; gerekend vanaf de bekendheid van
ap-fill-deadline = termijn
ap-fill-open-end-the-maximum-is = Open einde: het maximum is onbekend.
ap-fill-open-end-the-minimum-is = Open einde: het minimum is onbekend.

## The answers of chapters 2 and 3 from the client profile, and the processor's delay

ap-fill-no-only-in-the-lead-state = Nee (betrokkenen alleen in { $lead })
ap-fill-no-one-stop-shop-the-ap-leads = Nee — one-stop-shop: de AP is leidende toezichthouder
ap-fill-one-stop-shop-the-ap-leads-note = Betrokkenen ook in { $states }: als leidende toezichthouder (art. 56 AVG) betrekt de AP de andere betrokken toezichthouders; een aparte melding bij hen is niet nodig.
ap-fill-one-stop-shop-lead-elsewhere = de leidende toezichthouder is die van { $lead } (hoofdvestiging van de verwerkingsverantwoordelijke): meld de inbreuk bij die toezichthouder (one-stop-shop, art. 56 AVG) en vul hier in of en wanneer dat is gebeurd.
ap-fill-outside-eea-check = controleer: de verwerkingsverantwoordelijke is buiten de EER gevestigd, dus het one-stop-shopmechanisme geldt niet (EDPB-richtsnoeren 9/2022, punt 73): meld bij de toezichthouder van elke lidstaat waar betrokkenen wonen en vul hier in welke dat zijn.
ap-fill-set-in-the-client-profile = Vul in bij het klantprofiel (beheer).
ap-fill-kvk-only-for-dutch-registrations = Alleen voor organisaties ingeschreven bij de Kamer van Koophandel; volgens het klantprofiel is de verwerkingsverantwoordelijke in het buitenland gevestigd.
ap-fill-notifier-email-is-the-dpo-s = E-mailadres: dat van de FG (geen eigen adres van de melder in het klantprofiel).
ap-fill-processor-informed-the-controller = De verwerker { $processor } was op { $processor_aware } op de hoogte van de inbreuk en informeerde de verwerkingsverantwoordelijke op { $controller_aware }, { $delay } later.
ap-fill-delay-minutes = { $minutes } minuten
ap-fill-delay-hours = { $hours } uur
ap-fill-ready-to-paste = Klaar om te plakken:

## The answers of chapter 10 and the closing remarks

ap-follow-up-on = op
ap-follow-up-planned = Van plan
ap-follow-up-proposal-from-the-severity-assessment = Voorstel op basis van de ernstinschatting (hoog risico, art. 34 AVG); leg het besluit vast.
ap-follow-up-proposal-from-the-severity-assessment-2 = Voorstel op basis van de ernstinschatting; leg het besluit vast.
ap-follow-up-no-decision-and-no-severity = Nog geen besluit en nog geen ernstinschatting.
ap-follow-up-severity-of-the-possible-consequences = Ernst van de mogelijke gevolgen:
ap-follow-up-only-if-10-1-1 = Alleen als 10.1.1 „nee” is.
ap-follow-up-very-high-risk-consider-a = Zeer hoog risico: overweeg een openbare mededeling naast of in plaats van individuele berichten.
ap-follow-up-fill-in-once-the-data = Vul in nadat de betrokkenen zijn geïnformeerd.
ap-follow-up-supplement-to-the-preliminary-notification = Aanvulling op de voorlopige melding met AP-kenmerk
ap-follow-up-supplement-to-the-notification-with = Aanvulling op de melding met AP-kenmerk
ap-follow-up-withdrawal-of-the-notification-with = Intrekking van de melding met AP-kenmerk
ap-follow-up-optional = Optioneel.

## The letter to data subjects

ap-letter-dear-sir-or-madam = Geachte heer, mevrouw,
ap-letter-on = Op
ap-letter-we-discovered-that = hebben wij ontdekt dat
ap-letter-unauthorised-persons = Daarbij hebben onbevoegden persoonsgegevens
ap-letter-data-were-deleted-or-made = Daarbij zijn gegevens verwijderd of onbruikbaar gemaakt.
ap-letter-data-were-also-deleted-or = Ook zijn gegevens verwijderd of onbruikbaar gemaakt.
ap-letter-we-are-still-investigating-exactly = Wat er precies met de gegevens is gebeurd, zoeken wij nog uit.
ap-letter-what-happened = Wat is er gebeurd?
ap-letter-which-data-are-involved = Om welke gegevens gaat het?
ap-letter-the-data-include-data-of = Het gaat (ook) om gegevens van kinderen. Bent u ouder of voogd? Bespreek deze brief dan met uw kind.
ap-letter-criminals-may-use-your-data = Criminelen kunnen uw gegevens gebruiken voor phishing: nepberichten, -mails of -telefoontjes die betrouwbaar lijken omdat ze uw gegevens kennen.
ap-letter-with-your-bank-account-number = Met uw rekeningnummer kunnen criminelen proberen geld af te schrijven (valse incasso's) of u met een overtuigend verhaal te laten betalen.
ap-letter-with-your-login-details-others = Met uw inloggegevens kunnen anderen proberen in te loggen op uw account, ook bij andere diensten waar u hetzelfde wachtwoord gebruikt.
ap-letter-with-your-citizen-service-number = Met uw burgerservicenummer of een kopie van uw identiteitsbewijs kunnen criminelen proberen zich als u voor te doen (identiteitsfraude).
ap-letter-sensitive-data-are-involved-if = Het gaat om gevoelige gegevens; als anderen die zien, kan dat schadelijk zijn voor u.
ap-letter-we-are-still-assessing-what = Wij onderzoeken nog welke gevolgen dit voor u kan hebben.
ap-letter-what-could-this-mean-for = Wat kunnen de gevolgen voor u zijn?
ap-letter-we-will-also = Daarnaast gaan wij:{" "}
ap-letter-we-acted-at-once-to = Wij hebben direct maatregelen genomen om het lek te stoppen en de gevolgen te beperken.
ap-letter-what-have-we-done = Wat hebben wij gedaan?
ap-letter-change-your-password-also-at = Verander uw wachtwoord, ook bij andere diensten waar u hetzelfde wachtwoord gebruikt. Gebruik voor elke dienst een ander wachtwoord en zet tweestapsverificatie aan als dat kan.
ap-letter-check-your-bank-statements-do = Controleer uw bankafschriften. Ziet u een afschrijving of incasso die u niet herkent? Neem dan contact op met uw bank. Een incasso kunt u meestal binnen 8 weken laten terugboeken.
ap-letter-do-you-suspect-someone-is = Vermoedt u dat iemand zich als u voordoet? Neem dan contact op met het Centraal Meldpunt Identiteitsfraude en -fouten (CMI) en doe aangifte bij de politie.
ap-letter-what-can-you-do-yourself = Wat kunt u zelf doen?
ap-letter-our-data-protection-officer = onze functionaris voor gegevensbescherming,
ap-letter-our-data-protection-officer-2 = onze functionaris voor gegevensbescherming
ap-letter-questions = Vragen?
ap-letter-we-apologise-for-this-incident =
    Wij bieden u onze excuses aan voor dit incident.
    {""}
    Met vriendelijke groet,
ap-letter-draft-check-and-adapt-before = CONCEPT — controleer en pas aan vóór verzending; art33 verstuurt deze brief niet.
ap-letter-and = en
ap-letter-criminals-carried-out-an-attack = criminelen een aanval hebben uitgevoerd (hacking, malware of ransomware)
ap-letter-criminals-gained-access-to-systems = criminelen via een phishingbericht toegang hebben gekregen tot systemen met uw gegevens
ap-letter-a-device-or-papers-holding = een apparaat of papieren met gegevens zijn kwijtgeraakt
ap-letter-a-device-or-papers-holding-2 = een apparaat of papieren met gegevens zijn gestolen
ap-letter-data-were-sent-to-the = gegevens naar de verkeerde ontvanger zijn gestuurd
ap-letter-data-were-published-by-mistake = gegevens per ongeluk openbaar zijn gemaakt
ap-letter-someone-inside-the-organisation-looked = iemand binnen de organisatie zonder toestemming gegevens heeft ingezien of gebruikt
ap-letter-unauthorised-persons-gained-access-to = onbevoegden toegang hebben gekregen tot systemen met uw gegevens
ap-letter-data-were-not-disposed-of = gegevens niet op de juiste manier zijn vernietigd
ap-letter-there-was-a-security-incident = er een beveiligingsincident was
ap-letter-viewed = ingezien
ap-letter-copied = gekopieerd
ap-letter-altered = gewijzigd
ap-letter-stole = gestolen

## The letter to data subjects: per language, undated, and as text

ap-letter-we-recently-discovered-that = Onlangs hebben wij ontdekt dat
ap-letter-subject-label = Onderwerp

## The draft as plain text

ap-text-kind = Soort
ap-text-incident = Incident
ap-text-generated = Opgesteld
ap-text-late-by = te laat:
ap-text-ap-deadline = Termijn AP-melding
ap-text-not-started = nog niet vastgelegd (begint zodra de verwerkingsverantwoordelijke op de hoogte is)
ap-text-yes = ja
ap-text-not-required = NIET VEREIST
ap-text-notification-required = Melding vereist
ap-text-preliminary = {" "}(voorlopig)
ap-text-earlier-notification = Eerdere melding
ap-text-notified-on = gemeld op
ap-text-supplements = aanvullingen
ap-text-withdrawn-on = Ingetrokken op
ap-text-reason-for-withdrawal = Reden van intrekking
ap-text-completeness = Volledigheid
ap-text-required-questions-answered = verplichte vragen beantwoord
ap-text-missing-required = Ontbreekt (verplicht)
ap-text-nothing = niets
ap-text-derived-confirm-these-answers = Afgeleid — bevestig deze antwoorden
ap-text-to-fill-in-on-the = Alleen in het AP-formulier in te vullen
ap-text-changed-since-the-last-notified = Gewijzigd sinds de laatst gemelde versie
ap-text-empty = (leeg)
ap-text-was = was:
ap-text-now = nu:{" "}
ap-text-missing = {"["}ONTBREEKT]
ap-text-not-filled-in = {"["}niet ingevuld]
ap-text-derived-confirm = afgeleid — bevestigen
ap-text-incomplete = onvolledig
ap-text-required = verplicht

## The draft as plain text: questions for the AP form only

ap-text-on-form-only-count = nog { $count } alleen in het AP-formulier in te vullen; { $asked } vragen in totaal

## The draft: its head and lists

ap-draft-thousands-separator = {"."}

## The draft's header and kinds

ap-draft-header = CONCEPT — niet ingediend bij de AP. Indienen uitsluitend via https://datalekken.autoriteitpersoonsgegevens.nl
ap-draft-kind-initial = Eerste melding
ap-draft-kind-supplement = Aanvulling op een eerdere melding
ap-draft-kind-withdrawal = Intrekking van een melding

## How late (question 4.5)

ap-fill-late-already = nu al { $late } te laat
ap-fill-late-notified = gemeld { $late } na de termijn

## The letter to data subjects: sentences with values

ap-letter-subject = Datalek bij { $client }: uw persoonsgegevens zijn betrokken
ap-letter-intro = Wij informeren u over een datalek bij { $client } waarbij uw persoonsgegevens betrokken zijn. Wij vinden het belangrijk dat u dit weet, zodat u zo nodig zelf maatregelen kunt nemen.
ap-letter-taken = { $verbs }
ap-letter-processor = Het incident vond plaats bij { $processor }, die de gegevens in onze opdracht verwerkt.
ap-letter-be-alert = Wees alert op onverwachte berichten, mails of telefoontjes, ook als die van { $client } lijken te komen. Klik niet op links en geef nooit uw wachtwoord, pincode of inlogcodes. Daar vragen wij nooit om.
ap-letter-contact = Heeft u vragen? Neem dan contact op met { $dpo }, via { $email }. Vermeld daarbij kenmerk { $reference }.
ap-letter-complaint = U heeft ook het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl).

## Short labels of unanswered questions (the alert mails)

ap-missing-q-4-1-1 = (Mogelijke) startdatum van de inbreuk
ap-missing-q-4-3 = Hoe is de inbreuk ontdekt
ap-missing-q-4-5 = Reden van de vertraging (na de termijn gemeld)
ap-missing-q-5-1 = Aard van de inbreuk
ap-missing-q-5-2 = Aard van het incident
ap-missing-q-6-1 = Welke persoonsgegevens
ap-missing-q-6-3-1 = Aantal getroffen gegevensrecords
ap-missing-q-7-1 = Groepen betrokkenen
ap-missing-q-7-3 = Aantal betrokkenen (minimum en maximum)
ap-missing-q-8-1 = Versleuteld of onbegrijpelijk gemaakt
ap-missing-q-9-2 = Gevolgen voor de betrokkenen
ap-missing-q-9-3 = Inschatting van de ernst
ap-missing-q-10-2 = Getroffen maatregelen

### The AP notification form (src/domain/ap_report/form.rs): chapters and questions

## Chapter 1

ap-form-chapter-1 = Introductie
ap-form-q-1-1 = Wat voor soort melding wilt u doen?
ap-form-q-1-2 = Op grond van welke wettelijke bepaling doet u deze melding?
ap-form-q-1-3 = Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?

## Chapter 2

ap-form-chapter-2 = Internationale aspecten
ap-form-q-2-1-1 = Heeft de inbreuk gevolgen voor personen in meerdere landen?
ap-form-q-2-2-1 = Heeft uw organisatie de inbreuk gemeld bij andere privacytoezichthouders?

## Chapter 3

ap-form-chapter-3 = De verwerkingsverantwoordelijke
ap-form-q-3-1-1a = Naam van het bedrijf of de organisatie
ap-form-q-3-1-1b = Verwerkingsverantwoordelijke(n)
ap-form-q-3-1-1c = Adres, postcode en plaats
ap-form-q-3-1-1d = Registratienummer van de FG
ap-form-q-3-1-1e = KvK-nummer
ap-form-q-3-1-2 = In welke sector is de organisatie actief?
ap-form-q-3-2-1 = Wie meldt de inbreuk? (naam, functie, e-mailadres, telefoonnummer)
ap-form-q-3-2-2 = Contactpersoon voor de AP, indien afwijkend van de melder
ap-form-q-3-3 = Waren er andere organisaties betrokken bij de inbreuk?

## Chapter 4

ap-form-chapter-4 = Tijdlijn
ap-form-q-4-1-1 = (Mogelijke) startdatum van de inbreuk
ap-form-q-4-1-2 = (Mogelijke) einddatum van de inbreuk
ap-form-q-4-2 = Wanneer is het incident ontdekt?
ap-form-q-4-3 = Geef (kort) aan hoe u de inbreuk heeft ontdekt
ap-form-q-4-5 = Indien later dan 72 uur gemeld: waarom?

## Chapter 5

ap-form-chapter-5 = Gegevens over de inbreuk
ap-form-q-5-1 = Aard van de inbreuk (vertrouwelijkheid, integriteit, beschikbaarheid)
ap-form-q-5-2 = Aard van het incident
ap-form-q-5-3 = Beschrijving van het incident
ap-form-q-5-4 = Ondersteunende documentatie

## Chapter 6

ap-form-chapter-6 = Welke persoonsgegevens
ap-form-q-6-1 = Persoonsgegevens in het algemeen
ap-form-q-6-2 = Bijzondere categorieën van persoonsgegevens
ap-form-q-6-3-1 = Hoeveel gegevensrecords zijn getroffen?

## Chapter 7

ap-form-chapter-7 = Getroffen personen
ap-form-q-7-1 = Welke groep(en) betrokkenen zijn getroffen?
ap-form-q-7-2 = Nadere omschrijving van de groep(en) betrokkenen
ap-form-q-7-3 = Aantal betrokkenen (exact, of minimum en maximum)

## Chapter 8

ap-form-chapter-8 = Maatregelen vooraf
ap-form-q-8-1 = Waren de persoonsgegevens op het moment dat de inbreuk zich voordeed versleuteld, gecodeerd of op een andere manier onbegrijpelijk of ontoegankelijk voor onbevoegden?

## Chapter 9

ap-form-chapter-9 = Gevolgen
ap-form-q-9-1 = (Mogelijke) gevolgen voor de verwerkingsverantwoordelijke en de persoonsgegevens
ap-form-q-9-2 = (Mogelijke) gevolgen voor de betrokkene(n)
ap-form-q-9-3 = Inschatting ernst

## Chapter 10

ap-form-chapter-10 = Vervolgacties
ap-form-q-10-1-1 = Heeft u de inbreuk gemeld aan de betrokkene(n)?
ap-form-q-10-1-x-why-not = Waarom ziet u af van het melden van het datalek aan de betrokkenen? Licht uw keuze toe.
ap-form-q-10-1-x-public = Als het informeren van alle betrokkenen een onevenredige inspanning zou vergen, licht dan toe hoe u door een openbare mededeling of een soortgelijke maatregel de betrokkenen gaat informeren.
ap-form-q-10-1-3 = Aan hoeveel personen heeft u de inbreuk gemeld?
ap-form-q-10-1-7 = Op welke wijze zijn de betrokkenen geïnformeerd?
ap-form-q-10-2 = Welke maatregelen heeft u getroffen?

## Chapter other

ap-form-chapter-other = Overig
ap-form-q-other = Overig

### Severity (src/domain/severity.rs)

## ENISA bands

severity-band-low = laag
severity-band-medium = gemiddeld
severity-band-high = hoog
severity-band-very-high = zeer hoog

## The AP's levels (question 9.3)

severity-ap-level-low = verwaarloosbaar
severity-ap-level-medium = beperkt
severity-ap-level-high = aanzienlijk
severity-ap-level-very-high = zeer groot

### Code lists: the labels of the codes (src/domain/vocabulary.rs)

## Nature: What happened to the data (AP question 5.1).

code-list-nature-read = Lezen (vertrouwelijkheid)
code-list-nature-copied = Kopiëren
code-list-nature-altered = Veranderen (integriteit)
code-list-nature-deleted = Verwijderen of vernietigen (beschikbaarheid)
code-list-nature-stolen = Diefstal
code-list-nature-unknown = Nog niet bekend

## IncidentKind: What kind of incident caused the breach (AP question 5.2).

code-list-incident-kind-hacking-malware = Hacking, malware of ransomware
code-list-incident-kind-phishing = Phishing
code-list-incident-kind-lost-device = Verloren apparaat of papieren
code-list-incident-kind-stolen-device = Gestolen apparaat of papieren
code-list-incident-kind-misdirected = Verstuurd naar de verkeerde ontvanger
code-list-incident-kind-published-by-mistake = Per ongeluk gepubliceerd
code-list-incident-kind-insider = Handelen van een medewerker (insider)
code-list-incident-kind-unauthorised-access = Onbevoegde toegang
code-list-incident-kind-improper-disposal = Onjuist afgevoerd of vernietigd
code-list-incident-kind-other = Overig

## DataCategory: Categories of personal data involved (AP question 6.1).

code-list-data-category-name-address = Naam-, adres- en woonplaatsgegevens
code-list-data-category-phone = Telefoonnummers
code-list-data-category-email = E-mailadressen of andere adressen voor elektronische communicatie
code-list-data-category-credentials = Toegangs- of identificatiegegevens
code-list-data-category-financial = Financiële gegevens
code-list-data-category-bsn = Burgerservicenummer (BSN)
code-list-data-category-id-documents = Kopieën van legitimatiebewijzen
code-list-data-category-demographic = Geslacht, geboortedatum en/of leeftijd
code-list-data-category-location = Locatiegegevens
code-list-data-category-criminal = Strafrechtelijke gegevens
code-list-data-category-other = Overige gegevens

## SpecialCategory: Special categories of personal data (art. 9 GDPR, AP question 6.2).

code-list-special-category-racial-ethnic = Persoonsgegevens waaruit iemands ras of etnische afkomst blijkt
code-list-special-category-political = Persoonsgegevens waaruit politieke opvattingen blijken
code-list-special-category-religious = Persoonsgegevens waaruit religieuze of levensbeschouwelijke overtuigingen blijken
code-list-special-category-trade-union = Persoonsgegevens waaruit het lidmaatschap van een vakbond blijkt
code-list-special-category-sexual = Gegevens met betrekking tot iemands seksueel gedrag of seksuele gerichtheid
code-list-special-category-health = Gegevens over iemands gezondheid
code-list-special-category-genetic = Genetische gegevens
code-list-special-category-biometric = Biometrische gegevens (bijvoorbeeld: vingerafdruk of irisscan)

## SubjectGroup: Groups of data subjects affected (AP question 7.1).

code-list-subject-group-employees = Werknemers
code-list-subject-group-customers = Klanten
code-list-subject-group-patients = Patiënten/cliënten
code-list-subject-group-students = Leerlingen/studenten
code-list-subject-group-minors = Minderjarigen
code-list-subject-group-vulnerable = Kwetsbare groepen
code-list-subject-group-applicants = Sollicitanten
code-list-subject-group-members = Leden
code-list-subject-group-users = Gebruikers
code-list-subject-group-other = Anders

## Encryption: Whether the data were unintelligible when the breach happened (AP question 8.1).

code-list-encryption-encrypted = Versleuteld
code-list-encryption-hashed = Gehasht
code-list-encryption-pseudonymised = Gepseudonimiseerd
code-list-encryption-partly = Gedeeltelijk
code-list-encryption-none = Niet versleuteld
code-list-encryption-unknown = Onbekend

## Channel: How data subjects were informed (AP question 10.1.7).

code-list-channel-letter = Per brief
code-list-channel-email = Per e-mail
code-list-channel-phone = Telefonisch
code-list-channel-sms = Per sms
code-list-channel-in-person = Persoonlijk
code-list-channel-public-notice = Openbare mededeling
code-list-channel-other = Anders

## SubjectsGround: Why data subjects are not informed (art. 34(3) or no high risk).

code-list-subjects-ground-no-high-risk = Geen hoog risico
code-list-subjects-ground-art34-3a = Gegevens onbegrijpelijk voor onbevoegden (art. 34 lid 3 sub a)
code-list-subjects-ground-art34-3b = Hoog risico weggenomen door latere maatregelen (art. 34 lid 3 sub b)
code-list-subjects-ground-art34-3c-public = Onevenredige inspanning; openbare mededeling (art. 34 lid 3 sub c)

## BreachType: The three kinds of personal-data breach; one breach can be several.

code-list-breach-type-confidentiality = Vertrouwelijkheid
code-list-breach-type-integrity = Integriteit
code-list-breach-type-availability = Beschikbaarheid

## Sector: the sector a client is active in (AP question 3.1.2).

code-list-sector-public-administration = Openbaar bestuur
code-list-sector-healthcare = Zorg en welzijn
code-list-sector-education = Onderwijs
code-list-sector-financial-services = Financiële dienstverlening
code-list-sector-ict = ICT
code-list-sector-telecom = Telecommunicatie
code-list-sector-trade = Handel en detailhandel
code-list-sector-industry = Industrie
code-list-sector-energy = Energie
code-list-sector-transport-logistics = Vervoer en logistiek
code-list-sector-business-services = Zakelijke dienstverlening
code-list-sector-hospitality-recreation = Horeca, cultuur en recreatie
code-list-sector-construction = Bouw en vastgoed
code-list-sector-agriculture = Landbouw
code-list-sector-non-profit = Non-profit en verenigingen
code-list-sector-other = Overig

### The acknowledgement link (templates/ack.html, src/web/ack.rs)

ack-title = Ontvangst bevestigen
ack-records-for = Wordt vastgelegd bij datalek
ack-nothing-else = Verder wordt niets besloten. De link werkt één keer.
ack-recorded = Vastgelegd
ack-breach = Datalek
ack-close-window = U kunt dit venster sluiten.
ack-refused = Deze link werkt niet (meer)
ack-refused-help = Bevestig de ontvangst op de incidentpagina in art33, of vraag de privacy officer om hulp.
ack-invalid = Deze link is onbekend of ongeldig.
ack-expired = Deze link is verlopen (na zeven dagen).
ack-used = Deze link is al gebruikt; de ontvangst is vastgelegd.
ack-received = ontvangen door de FG ({ $dpo }) op { $when }

## The acknowledgement link: used before

ack-already-title = Ontvangst al bevestigd
ack-already = De ontvangst is al bevestigd op { $when }. Er hoeft niets meer te gebeuren.

### Forms: choices and warnings (src/web/pages/)

## Levels of loss (ENISA)

choice-level-none = geen of hersteld
choice-level-limited = beperkt
choice-level-full = volledig of onbekend aantal

## Data-processing context (ENISA)

choice-dpc-simple = eenvoudig (naam, contact)
choice-dpc-behavioural = gedrag (locatie, voorkeuren)
choice-dpc-financial = financieel
choice-dpc-sensitive = gevoelig (gezondheid, strafrecht…)

## Ease of identification (ENISA)

choice-ease-negligible = verwaarloosbaar
choice-ease-limited = beperkt
choice-ease-significant = aanzienlijk
choice-ease-maximum = maximaal (direct herleidbaar)

## Numbers of people

report-people-more-than = meer dan { $count }

## Personal data found in free text (src/domain/pii/)

pii-email = e-mailadres
pii-bsn = burgerservicenummer (BSN)
pii-iban = IBAN
pii-phone = telefoonnummer
pii-card-number = creditcardnummer
inc-personal-data = lijkt persoonsgegevens te bevatten ({ $kinds }); haal ze weg, of vink aan dat u ze bewust meestuurt

# Wachtwoord opnieuw instellen met een eenmalige link
admin-reset-hint = Mail deze gebruiker een link om een nieuw wachtwoord te kiezen. De link werkt één keer, 24 uur lang; het huidige wachtwoord blijft werken tot de link is gebruikt.
admin-reset-send = Link voor nieuw wachtwoord sturen
admin-reset-sent = Een link om een nieuw wachtwoord te kiezen is gemaild naar { $email }. Hij werkt één keer, 24 uur lang.
admin-sso = Single sign-on
admin-sso-off = Single sign-on is niet ingesteld (auth.oidc.issuer_url); gebruikers loggen in met hun wachtwoord.
admin-sso-issuer = Uitgever (issuer)
admin-sso-client = Client-id
admin-sso-redirect = Redirect-URL
admin-sso-scopes = Scopes
admin-sso-role-claim = Rol-claim
admin-sso-role-map = Rollen
admin-sso-domains = Toegestane e-maildomeinen
admin-sso-any-domain = alle
admin-sso-create = Nieuwe gebruikers bij eerste login
admin-sso-password = Inloggen met wachtwoord
admin-sso-password-on = aan
admin-sso-password-off = uit, behalve voor de noodbeheerder (/login?break_glass=1)
admin-sso-discovery = Discovery
admin-sso-not-tried = nog niet geprobeerd (bij de eerste single sign-on)
admin-sso-ok = gelukt op { $at }
admin-sso-failed = mislukt op { $at }: { $reason }
reset-title = Kies een nieuw wachtwoord
reset-intro = Kies een nieuw wachtwoord voor { $email }. Na het opslaan wordt u overal uitgelogd en logt u in met het nieuwe wachtwoord.
reset-password = Nieuw wachtwoord
reset-password-hint = Minstens 12 tekens; een paar losse woorden zijn makkelijk te onthouden en moeilijk te raden.
reset-submit = Nieuw wachtwoord opslaan
reset-done = Uw wachtwoord is gewijzigd. Sessies met het oude wachtwoord zijn beëindigd.
reset-login = Inloggen met het nieuwe wachtwoord
reset-unknown = Deze link is niet geldig. Misschien is hij verkeerd overgenomen, of is er daarna een nieuwere link gestuurd.
reset-used = Deze link is al gebruikt: hij werkt maar één keer.
reset-expired = Deze link is verlopen: hij werkte 24 uur.
reset-ask-admin = Vraag een beheerder van art33 om u een nieuwe link te sturen.
mail-kind-password-reset = nieuw wachtwoord
mail-reset-subject = Kies een nieuw wachtwoord voor art33
mail-reset-what = { $admin } heeft art33 gevraagd u een link te sturen om een nieuw wachtwoord voor uw account te kiezen.
mail-reset-choose = Nieuw wachtwoord kiezen
mail-reset-until = De link werkt één keer, tot { $until }. Uw huidige wachtwoord blijft tot die tijd werken.
mail-reset-if-not-you = Verwachtte u deze mail niet? Gebruik de link dan niet en meld het bij de privacy officers.
mail-reset-footer = U krijgt dit bericht omdat een beheerder van art33 het stuurde. Er staat geen wachtwoord in.

# Persoonlijke termijnagenda
me-title = Uw profiel
profile-calendar = Termijnagenda
profile-calendar-intro = Zet de meldtermijnen bij de AP van de datalekken die u mag zien in uw eigen agenda (Outlook, Google Agenda, Apple Agenda): één afspraak per lopende klok op de termijn, met herinneringen { $hours } uur vooraf. De agenda bevat alleen kenmerken en namen van klanten, en volgt de klokken als die veranderen.
profile-calendar-none = U hebt nog geen agendalink.
profile-calendar-live = U hebt een agendalink, gemaakt op
profile-calendar-make = Agendalink maken
profile-calendar-renew = Nieuwe link maken (de oude stopt)
profile-calendar-stop = Agendalink stoppen
profile-calendar-stopped = De agendalink is gestopt; agenda's met deze link krijgen geen updates meer.
profile-calendar-made = Uw agendalink is gemaakt. Kopieer hem nu in uw agenda ("agenda van internet toevoegen"); hij wordt maar één keer getoond. Iedereen met de link ziet de termijnen, dus houd hem voor uzelf.
profile-calendar-url = Agendalink
calendar-name = art33: meldtermijnen AP
calendar-deadline = Meldtermijn AP { $reference } ({ $client })
calendar-deadline-description = De uiterste termijn om datalek { $reference } van { $client } te melden bij de Autoriteit Persoonsgegevens (AVG art. 33 lid 1).
calendar-conservative = Voorzichtige termijn { $reference } ({ $client })
calendar-conservative-description = 72 uur nadat wij, de verwerker, datalek { $reference } van { $client } ontdekten: meld zo mogelijk vóór dit moment.
calendar-reminder = { $reference }: nog { $hours } uur tot de meldtermijn
calendar-reminder-now = { $reference }: de termijn is nu

## Alert channels (webhooks): the chat messages, the timeline and the admin page

delivery-to-channel = alertkanaal { $id }
webhook-team = het team van privacy officers
webhook-test = Testbericht van art33 voor { $client }: dit kanaal werkt.
webhook-deadline = Meldtermijn AP { $deadline }, nog { $left }
webhook-overdue = Meldtermijn AP { $deadline } is { $late } verstreken
webhook-deadline-stopped = Meldtermijn AP { $deadline }
webhook-open-app = Open art33
webhook-open = Open het incident
timeline-webhook-sent = Alert geplaatst in een kanaal
timeline-webhook-failed = Alert niet geplaatst in een kanaal
timeline-webhook-requeued = Kanaalbericht opnieuw in de wachtrij
timeline-line-webhook-sent = Alert { $alert } geplaatst in een { $kind }-kanaal
timeline-line-webhook-failed = Alert { $alert } niet geplaatst in een { $kind }-kanaal
timeline-field-channel-id = kanaal
timeline-field-channel-kind = soort kanaal
timeline-field-webhook-id = webhook-id
timeline-field-status-code = HTTP-status
channels-title = Alertkanalen
channels-intro = Naast de mails wordt elke alert geplaatst in de kanalen van de klant en in de kanalen van het team van privacy officers: een algemene webhook (JSON, ondertekend volgens Standard Webhooks), een Microsoft Teams-workflow, of een inkomende webhook van Slack of Mattermost. Een bericht bevat alleen het kenmerk, de klant, de alert, de termijn, de resterende tijd en de link.
channels-link = Alertkanalen (webhooks)
channels-list = Kanalen
channels-none = Nog geen kanalen: alerts gaan alleen per mail.
channels-owner = Alerts van
channels-team = het team van privacy officers (alle klanten)
channels-kind = Soort
channels-kind-webhook = Algemene webhook (Standard Webhooks)
channels-kind-teams = Microsoft Teams-workflow
channels-kind-slack = Inkomende webhook van Slack
channels-kind-mattermost = Inkomende webhook van Mattermost
channels-url = URL van het eindpunt
channels-url-hint = Alleen https://. URL's van Teams, Slack en Mattermost zijn geheim: na dit formulier worden alleen de host en de laatste vier tekens getoond.
channels-last-test = Laatste test
channels-test-never = niet getest
channels-actions = Acties
channels-send-test = Test versturen
channels-remove = Verwijderen
channels-add = Kanaal toevoegen
channels-add-button = Kanaal toevoegen
channels-added = Kanaal toegevoegd.
channels-secret-once = Het ondertekeningsgeheim van deze webhook, alleen nu getoond: geef het aan de ontvanger, die er de header webhook-signature mee controleert.
channels-test-queued = Testbericht in de wachtrij: het gaat binnen enkele seconden weg; laad deze pagina opnieuw voor de uitkomst.
channels-removed = Kanaal verwijderd: het ontvangt niets meer.
