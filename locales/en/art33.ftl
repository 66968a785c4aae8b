# art33: every text in English. One file per language; locales/nl/art33.ftl holds the same keys.
# Keys are lowercase words joined by hyphens, the area first. Loaded by src/domain/texts.rs.
# Fluent trims the space around a value: a space that matters is written {" "}.

### Pages (templates/pages/, src/web/pages/)

## Navigation

nav-skip = Skip to content
nav-label = Main menu
nav-dashboard = Dashboard
nav-report = Report a leak
nav-admin = Admin
nav-register = Register

## The register page

register-title = Breach register (art. 33(5) GDPR)
register-intro = Every breach, notified or not: the facts, the effects, the remedial action and the decisions. Every download is recorded in the audit trail.
register-empty = No incidents yet.
register-facts = Facts
register-effects = Effects
register-remedial = Remedial action
register-decision = Art. 33 decision
register-subjects = Art. 34 decision

## The register page: filters, dates, severity and decisions

register-filter-client = Client
register-filter-year = Year
register-filter-notified = Notified to the AP
register-filter-late = Late
register-filter-any = all
register-filter-apply = Filter
register-no-match = No incidents match these filters.
register-dates = Dates
register-processor-delay = GX informed the client after (art. 33(2))
register-hours = { $hours } h
register-enisa-inputs = DPC { $dpc }, identification { $ease }, C { $c }, I { $i }, A { $a }; malicious: { $malicious }; unintelligible: { $unintelligible }; vulnerable subjects: { $vulnerable }
register-override = differs from the proposal
register-supplements = Supplements
register-supplement-complete = completes the preliminary notification
register-withdrawn = Withdrawn
register-art33-pending = not decided yet
register-art33-no-breach = no personal-data breach
register-art33-not-notifiable = not notifiable (register only)
register-art33-notified = notified to the AP
register-art33-withdrawn = notification withdrawn
register-art34-undecided = not decided yet
register-art34-informed = informed
register-art34-not-required = not required

## Navigation

nav-logout = Log out
nav-language = Language

## Roles

role-reporter = reporter
role-dpo = DPO
role-officer = privacy officer
role-admin = admin

## Languages, by name

language-nl = Dutch
language-en = English

## Logging in

login-title = Log in
login-intro = Log in to report and follow data breaches.
login-email = E-mail address
login-password = Password
login-submit = Log in
login-failed = Unknown e-mail address or wrong password.
password-too-short = The password must have at least { $min } characters.
password-too-weak = The password is too easy to guess: it is a common password or pattern, or it is built from your e-mail address, your name or the organisation's name. Choose a longer phrase of unrelated words.
login-too-many = Too many failed attempts. Wait a few minutes, then try again; the wait grows with every wrong password.
login-sso = Log in with single sign-on
login-or-password = Or log in with your e-mail address and password:
login-break-glass = Emergency access: password login is switched off, and only an administrator's password works here.
login-password-off = Password login is switched off: log in with single sign-on.
sso-error-state = The single sign-on could not be completed: it took too long, or it was not started here. Please try again.
sso-error-provider = The identity provider did not log you in. Please try again.
sso-error-token = The identity provider's answer could not be verified. Please try again; if it keeps failing, tell your administrator.
sso-error-unavailable = Single sign-on is not available right now: the identity provider does not answer. Try again in a few minutes.
sso-error-unverified = Your identity provider has not confirmed your e-mail address, so it cannot be matched to an account.
sso-error-domain = Addresses of your e-mail domain may not log in here.
sso-error-unknown-user = There is no account for your e-mail address. Ask an administrator to add you.
sso-error-deactivated = Your account is deactivated. Ask an administrator.

## Logging out

logout-title = Log out
logout-confirm = Do you want to log out?

## The dashboard

dash-title = Dashboard
dash-running = Running clocks
dash-untriaged = Reports awaiting triage
dash-mine = My reports
dash-mine-none = You have not reported anything yet.
dash-decided = Decided and closed
dash-failed = Mails not delivered
dash-by-client = By client
dash-more = more: see the register
dash-reference = Reference
dash-client = Client
dash-incident = Incident
dash-deadline = AP deadline
dash-urgency = Urgency
dash-state = State
dash-age = Reported
dash-ack = DPO receipt
dash-acked = acknowledged
dash-not-acked = not acknowledged
dash-open = open
dash-overdue-count = overdue
dash-to = To
dash-kind = Kind
dash-error = Error
dash-retrying = Mails being retried
dash-attempts = Attempts
dash-last-error = Last error
dash-next-attempt = Next attempt
dash-requeue = Send undelivered mails again
dash-requeue-hint = Every undelivered mail goes back in the queue, with its original Message-ID. Each one is recorded in the audit trail.
dash-requeued = Put back in the queue (mails):
dash-report-now = Do you suspect a data breach? Report it now.

## The dashboard: rows like an on-call tool, filters, and the empty state

dash-due-in = Due in { $left }
dash-overdue-by = { $left } overdue
dash-ago = { $age } ago
dash-just-now = just now
dash-ap-draft = AP draft { $answered } of { $total } answered
dash-severity = Severity
dash-severity-none = not assessed
dash-next = Next action
dash-filter = Filter
dash-filter-any = all
dash-filter-no-clock = No running clock
dash-filter-clear = Show all
dash-no-match = No incidents match this filter.
dash-empty-title = Nothing to do
dash-empty-dpo = There are no incidents for your organisation. You get an e-mail as soon as one is reported.
dash-empty-officer = No incidents have been reported yet.
dash-steps-intro = No incidents yet. To get started:
dash-step-client = Add a client (the controller whose data you process)
dash-step-dpo = Add the client's data protection officer as a user (role DPO)
dash-step-report = Report a test leak to see the alerts and the countdown
dash-step-done = done

## The next action on an incident

next-confirm-or-dismiss = Confirm or dismiss
next-assess = Assess severity
next-notify-ap = Notify the AP
next-decide-ap = Decide: notify the AP or not
next-supplement = Supplement the AP notification
next-inform-subjects = Decide on informing data subjects
next-close = Close

## The dashboard: kinds of mail

mail-kind-p0 = P0 suspected breach
mail-kind-p0-receipt = P0 receipt
mail-kind-p1 = P1 not triaged
mail-kind-a0 = A0 breach confirmed
mail-kind-u0 = U0 receipt not acknowledged
mail-kind-milestone = A1–A4 time left
mail-kind-a5 = A5 deadline passed
mail-kind-s1 = S1 supplement missing
mail-kind-test = test mail
mail-kind-login-locked = sign-in paused

## Urgency

urgency-overdue = Deadline passed
urgency-within-4h = 4 hours or less
urgency-within-12h = 12 hours or less
urgency-within-24h = 24 hours or less
urgency-more-than-24h = More than 24 hours

## Urgency: the conservative deadline (processor awareness + the window) has passed

urgency-conservative-passed = Conservative deadline passed

## The report form

report-title = Report a data leak
report-intro = Tell us what you know; that is enough. Do not name the people concerned or give their e-mail addresses or other details.
report-client = For which client?
report-choose = Choose…
report-what = What happened?
report-title-field = Short description
report-title-hint = For example: laptop stolen, e-mail sent to the wrong person.
report-summary = What happened, and what else do you know?
report-when = When did you notice? (Dutch time)
report-data = Which kinds of data?
report-people = Roughly how many people are concerned?
report-people-unknown = I don't know
report-ongoing = Is it still going on?
report-ongoing-yes = Yes, it is still going on
report-ongoing-no = No, it has stopped
report-ongoing-unknown = I don't know
report-submit = Send report
report-pii-warning = Your text seems to contain personal data:
report-pii-advice = Remove that data and send again. Only if it is really needed, tick below that you send it on purpose.
report-pii-allow = I am sending this data on purpose
report-too-many = You have reported too often in the last minute. Try again in { $seconds } seconds; what you typed is kept.
report-received-title = Your report was received
report-received-reference = Reference
report-received-next = What happens next
report-received-step1 = The privacy officers triage your report, usually within hours.
report-received-step2 = The client's data protection officer (DPO) has already been told.
report-received-step3 = You get a receipt by e-mail. You need not do anything else; if you learn more, add it to the report.
report-received-warning = Never forward personal data, not even as evidence.
report-view = View the report
report-another = Report another

## Forms: the error summary and errors named by their field's label (src/web/pages/i18n.rs)

form-error-prefix = Error:
form-error-summary = There is a problem
form-error-required = Fill in “{ $label }”.
form-error-choose = Choose “{ $label }”.
form-error-number = “{ $label }” must be a whole number.
form-error-future = “{ $label }” must not be in the future.
form-error-control = “{ $label }” contains characters that cannot be stored.
form-error-email = “{ $label }” is not a valid e-mail address.
form-error-too-long = “{ $label }” may be at most { $max } characters long.
form-error-other = { $label }: { $message }
form-error-time-malformed = “{ $label }” is not a date and time (YYYY-MM-DD HH:MM).
form-error-time-gap = “{ $label }”: that time does not exist in Amsterdam, the clocks jump forward then; choose a time after the jump.
form-error-time-fold = “{ $label }”: that time occurs twice in Amsterdam, the clocks go back then; choose CEST or CET.
form-error-time-zone = “{ $label }”: you typed { $typed }, but Amsterdam is on { $actual } then; correct the zone or leave it out.

## The incident page

inc-facts = Facts
inc-clocks = Deadlines
inc-clock-not-started = The { $hours }-hour period starts when the controller becomes aware of the breach; art33 records that instant, and starts its clock, when the breach is confirmed.
inc-clock-stopped = The clock has stopped: a decision was made.
inc-processor-aware = GX (processor) aware
inc-controller-aware = Client (controller) informed
inc-deadline = AP deadline
inc-conservative = Note: counted from when GX knew, the window already ends at
inc-conservative-passed = Note: counted from when GX knew, the window already expired on
inc-reported = Reported
inc-reported-by = Reported by
inc-discovered = Discovered
inc-summary = What happened
inc-decisions = Decisions
inc-severity = Severity (ENISA)
inc-not-assessed = not assessed yet
inc-proposal-ap = proposal: notify the AP
inc-proposal-subjects = inform data subjects
inc-yes = yes
inc-no = no
inc-ap = AP notification
inc-ap-none = not notified yet
inc-on-time = on time
inc-late = late
inc-subjects = Data subjects (art. 34)
inc-acknowledged = Receipt acknowledged by the DPO
inc-actions = Next step
inc-no-actions = There is nothing you can change here now.
inc-edit = Add or correct details
inc-save = Save
inc-alerts = Alerts
inc-alert-code = Code
inc-alert-due = Due
inc-alert-status = Status
inc-alert-to = Recipients and delivery
inc-timeline = Timeline
inc-ap-draft = Draft AP notification
inc-errors = This could not be recorded:
inc-fold-hint = This time occurs twice (end of summer time): choose CEST (summer time) or CET (winter time).
inc-not-set = —
inc-utc = UTC

## The incident page: the cockpit (next step, checklist)

inc-severity-short = Severity
inc-next-confirm = Confirm breach
inc-next-dismiss = Dismiss
inc-next-acknowledge = Acknowledge receipt
inc-next-assess = Assess severity
inc-next-decide-not-notifiable = Decide: not notifiable
inc-next-notify-ap = Record AP notification
inc-next-supplement = Supplement the notification
inc-next-withdraw = Withdraw the notification
inc-next-inform-subjects = Inform data subjects
inc-next-subjects-not-required = Decide on data subjects
inc-next-correct-awareness = Correct the instants
inc-next-close = Close
inc-next-reopen = Reopen
inc-open-draft = Open the AP draft
inc-more-actions = More actions
inc-check-title = Ready to notify the AP
inc-check-title-notified = Still missing for the AP (supplements)
inc-check-facts = Facts for the AP's core questions
inc-check-assessment = Severity assessment
inc-check-profile = Client profile (chapter 3)
inc-check-subjects = Decision on data subjects (art. 34)
inc-check-delay = Reasons for the delay (4.5)
inc-check-done = done
inc-check-todo = missing
inc-check-fill-in = fill in
inc-check-ready = Everything art33 must answer is there; only what the AP form itself takes is left.

## The incident page: statuses and timeline entries in words

inc-subjects-undecided = not decided yet
alert-status-planned = planned
alert-status-sent = sent
alert-status-superseded = superseded by a newer alert
alert-status-suppressed = dropped (no longer applies)
delivery-status-pending = queued
delivery-status-sent = delivered
delivery-status-failed = not delivered
timeline-report = Reported
timeline-patch = Details added
timeline-alert-sent = Alert sent
timeline-alert-superseded = Alert superseded
timeline-alert-suppressed = Alert dropped
timeline-mail-sent = Mail delivered
timeline-mail-failed = Mail not delivered
timeline-mail-requeued = Mail back in the queue
timeline-register-export = Register exported
timeline-retention-purge = Free text removed (retention)
timeline-yes = yes
timeline-no = no
timeline-field-deadline-at = deadline
timeline-field-first = first acknowledgement
timeline-field-on-time = on time
timeline-field-late-by-seconds = late by
timeline-field-deadline-moved-seconds = deadline moved by
timeline-field-code = code
timeline-field-due-at = due at
timeline-field-recipients = recipients
timeline-field-kind = kind of mail
timeline-field-to = to
timeline-field-attempts = attempts
timeline-field-error = error
timeline-field-via = via
timeline-field-reference = reference
timeline-field-changed = changed
timeline-field-deliveries = deliveries
timeline-field-processor-aware-at = GX aware
timeline-field-controller-aware-at = client informed
timeline-field-notified-at = notified at
timeline-field-informed-at = informed at
timeline-via-link = the link in the mail
timeline-actor-system = art33 (automatic)
timeline-actor-cli = administrator (command line)

## The incident page: the timeline in words

timeline-line-by = { $what }, by { $actor }
timeline-line-report = Reported by { $actor }
timeline-line-confirm = Breach confirmed by { $actor }; AP deadline { $deadline }
timeline-line-assess = Severity assessed: { $severity } by { $actor }
timeline-line-notify-ap = AP notified (reference { $reference }) by { $actor }
timeline-line-alert-sent = Alert sent: { $alert }; recipients: { $count }
timeline-line-alert-superseded = Alert { $alert } superseded by a newer one
timeline-line-alert-suppressed = Alert { $alert } dropped: it no longer applies
timeline-line-mail-sent = Mail { $alert } delivered to { $to }
timeline-line-mail-failed = Mail { $alert } not delivered to { $to }
timeline-to-dpo = the DPO of { $client }
timeline-to-contact = a contact of { $client }
timeline-to-reporter = the reporter ({ $address })
timeline-alert-hours-left = { $code } ({ $hours } hours left)
timeline-alert-about = { $code } ({ $about })
timeline-about-p0 = suspected breach
timeline-about-p1 = not triaged yet
timeline-about-a0 = breach confirmed
timeline-about-u0 = receipt not acknowledged
timeline-about-c0 = strict deadline passed
timeline-about-milestone = time left
timeline-about-a5 = deadline passed
timeline-about-s1 = supplement missing
timeline-particulars = Particulars
timeline-message-id = Message-ID

## The AP draft page

ap-title = Draft AP notification
ap-not-final = This is a draft. Notify only through the Dutch DPA's own form.
ap-kind = Kind of notification
ap-completeness = Answered
ap-missing-title = Still missing
ap-confirm-title = Derived: check and confirm
ap-on-form-title = Fill in on the AP form only
ap-changes-title = Changed since the last notification
ap-before = Was
ap-after = Now
ap-withdrawal-reason = Reason for withdrawal
ap-deadline = Deadline
ap-late-by = Late by
ap-copy = Copy
ap-copied = Copied
ap-recorded = recorded
ap-derived = derived, confirm
ap-missing = missing
ap-download-text = As text (to paste)
ap-download-pdf = As PDF
ap-print = Print
ap-letter = Draft letter to data subjects (art. 34)
ap-not-required = Not required

## The AP draft page: what is left, and where to fill it in

ap-summary-asked = The AP form asks { $asked } questions for this breach: art33 answers { $total }, { $on_form } only the AP form itself can take.
ap-summary-complete = Everything art33 can answer is answered. Still to fill in on the AP form itself:
ap-summary-fill-in = fill in

## Administration

admin-title = Admin
admin-clients = Clients
admin-users = Users
admin-tokens = API tokens
admin-slug = Short name (slug)
admin-name = Name
admin-dpo-email = DPO e-mail address
admin-dpo-name = DPO name
admin-escalation = Escalation addresses (one per line)
admin-locale = Language of mails
admin-add-client = Add client
admin-email = E-mail address
admin-role = Role
admin-client = Client
admin-no-client = none
admin-password = Password (at least 12 characters; empty: API tokens only)
admin-add-user = Add user
admin-label = Label
admin-create-token = Create token
admin-token-once = New token — copy it now, it will not be shown again:
admin-prefix = Prefix
admin-user = User
admin-created = Created
admin-last-used = Last used
admin-revoke = Revoke
admin-active = active
admin-saved = Saved.

## Administration: editing clients and users, revoked tokens

admin-dpo = DPO
admin-escalation-short = Escalation addresses
admin-edit = Edit
admin-save = Save
admin-status = Status
admin-deactivated = deactivated
admin-user-active = Active (may log in; untick to deactivate)
admin-revoked-on = Revoked on
admin-not-revoked = in use

## A client's profile (templates/pages/client_profile.html)

admin-profile = Profile
profile-title = Client profile
profile-intro = What the AP notification form asks about the controller (chapter 3), the lead supervisory authority and the languages of the data subjects. No personal data of data subjects.
profile-legal-name = Legal name (3.1.1a)
profile-address = Address, postcode and town (3.1.1c)
profile-kvk-number = KvK number, 8 digits (3.1.1e)
profile-dpo-registration = The DPO's registration number at the AP (3.1.1d)
profile-lead-authority = Country of the main establishment (lead supervisory authority, e.g. NL)
profile-notifier-name = Notifier: name (3.2.1)
profile-notifier-position = Notifier: position
profile-notifier-phone = Notifier: telephone number
profile-notifier-email = Notifier: e-mail address (empty: the DPO's)
profile-contact-name = Contact point for the AP if different: name (3.2.2)
profile-contact-position = Contact point: position
profile-contact-email = Contact point: e-mail address
profile-contact-phone = Contact point: telephone number
profile-sector = Sector (3.1.2)
profile-outside-eea = Established outside the EEA (no one-stop-shop)
profile-subject-locales = Languages of the data subjects (none: the client's language)
profile-locale-nl = Dutch
profile-locale-en = English
profile-save = Save profile
profile-yes = yes
profile-no = no
profile-read-only = Only an administrator changes the client profile.

## Form fields (labels)

field-title = Title
field-summary = What happened
field-discovered-at = Discovered at
field-discovery-method = How discovered
field-occurred-from = Start of the breach
field-occurred-until = End of the breach
field-ongoing = Still ongoing
field-incident-kind = Kind of incident
field-nature = Nature of the breach
field-data-categories = Personal data
field-special-categories = Special categories
field-records-approx = Number of records (approx.)
field-subject-groups = Groups of data subjects
field-subjects-min = People affected, at least
field-subjects-max = People affected, at most
field-encryption = Encryption
field-consequences = Consequences
field-measures-taken = Measures taken
field-measures-planned = Measures planned
field-cross-border-states = Other EU states (country codes, commas)
field-other-organisations = Other organisations involved
field-other-supervisors = Other supervisors told (DNB, AFM, …), or "none"
field-processor-aware-at = GX aware since (empty: now)
field-controller-aware-at = Client informed at (empty: now)
field-justification = Justification
field-reason = Reason
field-dpc = Data processing context (DPC 1–4)
field-ease-of-identification = Ease of identification
field-confidentiality = Loss of confidentiality
field-integrity = Loss of integrity
field-availability = Loss of availability
field-malicious = Malicious intent
field-unintelligible = Data unintelligible (encrypted, key safe)
field-vulnerable-subjects = Vulnerable subjects (children, patients…)
field-rationale = Rationale of the assessment
field-notified-at = Notified at (empty: now)
field-ap-reference = AP reference
field-preliminary = Preliminary notification
field-delay-reason = Reasons for the delay (question 4.5)
field-note = What was added
field-informed-at = Informed at (empty: now)
field-channel = How
field-count = Number of people
field-ground = Ground
field-explanation = Explanation
field-subjects = Decision on data subjects
field-type = Step
field-client = Client
field-allow-personal-data = I am sending personal data on purpose

## Form fields of a supplement and a withdrawal

field-at = Submitted to the AP at (empty: now)
field-complete = This supplement completes the preliminary notification

## Choices in forms

choice-yes = yes
choice-no = no
choice-choose = Choose…

## States of an incident

state-reported = reported, in triage
state-dismissed = dismissed (no breach)
state-confirmed = confirmed breach, clock running
state-not-notifiable = not notifiable
state-ap-notified = notified to the AP
state-ap-withdrawn = notification withdrawn
state-closed = closed

## Events, as buttons

event-confirm = Confirm: this is a data breach
event-dismiss = Dismiss: no data breach
event-acknowledge = Acknowledge receipt
event-assess = Assess severity (ENISA)
event-decide-not-notifiable = Decide: not notifiable
event-notify-ap = Notified to the AP
event-supplement = Notification supplemented
event-withdraw = Notification withdrawn
event-inform-subjects = Data subjects informed
event-subjects-not-required = Informing data subjects not required
event-correct-awareness = Correct the instants
event-close = Close
event-reopen = Reopen

### Mails (templates/email/, src/notify/messages.rs)

## Shared parts

mail-footer = This message holds no personal data of the people affected. Do not forward personal data.
mail-reference = Reference
mail-reported-by = Reported by
mail-reported-at = Reported at
mail-known = What is known
mail-incident = Incident
mail-incident-kind = Kind of incident
mail-nature = What happened to the data
mail-data-categories = Personal data
mail-special-categories = Special categories
mail-subjects-count = People affected
mail-ongoing = The breach is still ongoing.
mail-deadline = AP deadline
mail-time-left = Time left
mail-late-by = Deadline passed
mail-late-by-value = { $late } ago
mail-conservative = Note: GX knew earlier; counted from then the window already ends at { $deadline }.
mail-conservative-passed = Note: GX knew earlier; counted from then the window already expired on { $deadline }.
mail-open-incident = Open the incident
mail-ap-draft = Draft AP notification
mail-acknowledge = Acknowledge receipt
mail-acknowledge-one-click = Acknowledge receipt (one click)
mail-missing = Still unanswered in the draft AP notification
mail-reporter-for-dpo = a GX staff member (processor)
mail-severity = ENISA severity { $band } ({ $score }); proposal: notify the AP { $ap }, inform data subjects { $subjects }
mail-yes = yes
mail-no = no

## Shared parts: a word joining the duty officer's telephone number and address

mail-or = or

## P0: suspected breach reported

mail-p0-subject = Suspected data breach reported
mail-p0-lead = A suspected data breach was reported at { $client }. The privacy officers are triaging it now; you will hear as soon as it is confirmed or dismissed.
mail-p0-lead-html = Suspected data breach reported at { $client }.
mail-p0-triage-html = The privacy officers are triaging it now; you will hear as soon as it is confirmed or dismissed.
mail-p0-clock = The { $hours }-hour period to notify the AP starts when your organisation, the controller, becomes aware of the breach. This notice may be that moment; art33 records it when the breach is confirmed or you acknowledge this notice.

## P0: the officers' copy, and a report triaged before its P0 went out (a catch-up tick)

mail-p0-lead-officer = A suspected data breach was reported at { $client }. Triage it now: confirm or dismiss. The client's DPO was told as well and will hear the outcome.
mail-p0-triage-html-officer = Triage it now: confirm or dismiss. The client's DPO was told as well and will hear the outcome.
mail-p0-clock-officer = The { $hours }-hour period to notify the AP starts when the client, the controller, becomes aware of the breach; art33 records that moment when the breach is confirmed or the client's DPO acknowledges the notice.
mail-p0-since-confirmed = It has since been confirmed as a data breach, and the period to notify the AP is running: a separate message says what to do.
mail-p0-since-dismissed = It has since been triaged and dismissed: it is not a personal-data breach.

## P0-receipt: the reporter's receipt

mail-locked-subject = Sign-ins to your art33 account were paused
mail-locked-what = Several wrong passwords were entered for your art33 account; the last at { $at }.
mail-locked-pair = None of them was accepted. Further attempts from the network address they came from wait { $minutes } minutes, and longer after each new wrong password. Attempts from elsewhere are not affected.
mail-locked-account = None of them was accepted. They came from several network addresses, so art33 pauses all sign-ins to your account for up to { $minutes } minutes.
mail-locked-if-you = If it was you: wait, then log in with the right password.
mail-locked-if-not-you = If it was not you: your password was not guessed. Tell the privacy officers, and choose a new password if you use it anywhere else.
mail-locked-login = Log in
mail-locked-footer = You receive this message because someone tried to log in to your account. It holds no password.
mail-receipt-subject = Your report was received
mail-receipt-thanks = Thank you: your report of a suspected data breach was received under reference { $reference }.
mail-receipt-thanks-html = Thank you: your report was received under reference { $reference }.
mail-receipt-next = What happens next: the privacy officers triage the report and inform the data protection officer of { $client }. You need not do anything else. If you learn more, add it to the report with the link below.
mail-receipt-next-html = What happens next: the privacy officers triage the report and inform the data protection officer of { $client }. You need not do anything else. If you learn more, add it to the report.
mail-receipt-urgent = Urgent, or questions? Reach the privacy officer on duty: { $contact }.
mail-receipt-never-forward = Never forward personal data
mail-receipt-not-as-evidence = not even as evidence: describe only what happened.
mail-receipt-your-report = Your report

## P1: not triaged after 24 hours

mail-p1-subject = Not triaged after 24 hours
mail-p1-decide = Decide now: confirm or dismiss.
mail-p1-age = This report at { $client } is { $age } old and not yet triaged.
mail-p1-aware = An investigation may take a short while; after that you are reasonably aware of a breach and the client must notify within { $hours } hours. Consider whether that moment has already come.

## A0: breach confirmed

mail-a0-subject = Data breach confirmed — notify the AP by { $deadline }
mail-a0-lead = Notify the Dutch Data Protection Authority (AP) of this breach by { $deadline }, or record why that is not required. GX (the processor) confirmed a breach at { $client }; your organisation, as the controller, makes the notification.
mail-a0-lead-html = Notify the AP of this breach by { $deadline }, or record why that is not required.
mail-a0-controller-html = GX (the processor) confirmed a breach at { $client }; your organisation, as the controller, makes the notification.

## A0: the officers' copy

mail-a0-lead-officer = { $client } must notify the Dutch Data Protection Authority (AP) of this breach by { $deadline }, or record why that is not required. GX (the processor) confirmed the breach; the client, as the controller, makes the notification through its DPO.
mail-a0-lead-html-officer = { $client } must notify the AP of this breach by { $deadline }, or record why that is not required.
mail-a0-controller-html-officer = GX (the processor) confirmed the breach; the client, as the controller, makes the notification through its DPO.

## U0: A0 not acknowledged

mail-u0-subject = Not yet acknowledged — deadline { $deadline }
mail-u0-lead = Please acknowledge: the notice of this breach has not been acknowledged.
mail-u0-lead-sent = Please acknowledge: the notice of this breach sent at { $sent } has not been acknowledged.
mail-u0-running = The AP deadline is running.

## U0: the officers' copy

mail-u0-lead-officer = Follow up: the client's DPO has not acknowledged the notice of this breach.
mail-u0-lead-sent-officer = Follow up: the client's DPO has not acknowledged the notice of this breach sent at { $sent }.

## C0: the conservative deadline passed

mail-c0-subject = Conservative deadline passed — notify the AP now
mail-c0-lead = Notify the AP now. Under the strict reading (a controller is aware when its processor was), the { $hours }-hour window expired on { $deadline }.
mail-c0-lead-html = Notify the AP now: under the strict reading the { $hours }-hour window expired on { $deadline }.
mail-c0-delay = GX (the processor) was aware at { $processor }; your organisation, the controller, was informed at { $controller }. Explain this delay of the processor in the reasons for delay (question 4.5).

## C0: the officers' copy

mail-c0-delay-officer = GX (the processor) was aware at { $processor }; the client, the controller, was informed at { $controller }. The client's DPO explains this delay of the processor in the reasons for delay (question 4.5).

## A1–A4: hours left

mail-milestone-subject = { $hours } h left to notify the AP
mail-milestone-decide = Decide: notify the AP, or record that the breach is not notifiable.
mail-milestone-left = { $left } left.

## A5: deadline passed

mail-a5-subject = AP deadline passed — reasons for delay required
mail-a5-lead = Notify the AP now, without undue delay: the deadline has passed.
mail-a5-lead-late = Notify the AP now, without undue delay: the deadline has passed ({ $late } ago).
mail-a5-question = A late notification must give the reasons for the delay (question 4.5).
mail-a5-subject-now = AP deadline reached — notify now
mail-a5-lead-now = Notify the AP now: the deadline is this moment.

## S1: preliminary notification not supplemented

mail-s1-subject = Preliminary AP notification not yet supplemented
mail-s1-lead = Supplement the preliminary AP notification, without undue further delay (art. 33(4) GDPR).
mail-s1-lead-at = Supplement the preliminary AP notification (made at { $at }), without undue further delay (art. 33(4) GDPR).
mail-s1-lead-html = Supplement the preliminary AP notification.
mail-s1-lead-html-at = Supplement the preliminary AP notification (made at { $at }).

### The AP draft and the letter to data subjects (src/domain/ap_report/)

## The draft: its head and lists

ap-draft-not-notifiable = Not notifiable
ap-draft-no-personal-data-breach = No personal-data breach
ap-draft-the-notification-was-withdrawn = The notification was withdrawn.
ap-draft-not-yet-confirmed-as-a = Not yet confirmed as a personal-data breach. The { $hours }-hour period starts when the controller becomes aware of the breach; art33 records that instant when the breach is confirmed.
ap-draft-proposal-from-the-severity-assessment = Proposal from the severity assessment: not notifiable (register only). The DPO decides.

## The answers of chapters 1 to 9

ap-fill-fill-in-on-the-ap = Fill in on the AP form
ap-fill-i-want-to-notify-one = I want to notify one breach (regular notification)
ap-fill-gdpr-avg-the-general-data = GDPR (AVG, the General Data Protection Regulation)
ap-fill-record-other-supervisors = Record under the facts which supervisors under other reporting duties (such as DNB, AFM or the NCSC) were told of the breach, or that none were.
ap-fill-no-no-other-member-states = No (no other member states recorded)
ap-fill-yes = Yes
ap-fill-no = No
ap-fill-controller = controller
ap-fill-the-notifier-s-name-position = the notifier's name, position, e-mail address and telephone number are all mandatory.
ap-fill-data-protection-officer = data protection officer
ap-fill-of = of
ap-fill-the-controller-s-dpo-art = The controller's DPO (art. 33(3)(b) GDPR); add a telephone number.
ap-fill-processor = processor
ap-fill-the-breach-is-still-ongoing = The breach is still ongoing
ap-fill-unknown-fill-in-once-known = Unknown; fill in once known.
ap-fill-processor-aware = (processor) aware
ap-fill-controller-aware-the-clock-starts = controller aware (the clock starts)
ap-fill-attach-only-documents-without-the = attach only documents without the data subjects' personal data.
ap-fill-none-see-6-2 = None; see 6.2
ap-fill-no-special-categories-recorded = No special categories recorded
ap-fill-approx = approx.
ap-fill-groups-described-in-7-1-and-7-3 = Optional: 7.1 and 7.3 already describe the groups and their number.
ap-fill-according-to-the-severity-assessment = According to the severity assessment the data were unintelligible to unauthorised persons; explain (e.g. algorithm, key management).
ap-fill-derived-from-5-1 = Derived from 5.1.
ap-fill-explanation-enisa-method-severity-score = Explanation: ENISA method, severity score
ap-fill-raised-to-at-least-limited = Raised to at least limited because of vulnerable data subjects.
ap-fill-derived-from-the-enisa-band = Derived from the ENISA band (project convention: low → negligible, medium → limited, high → significant, very high → very high).
ap-fill-planned = Planned:
ap-fill-loss-of-confidentiality-data-possibly = Loss of confidentiality: data (possibly) seen or copied by unauthorised persons
ap-fill-loss-of-integrity-data-possibly = Loss of integrity: data (possibly) altered
ap-fill-loss-of-availability-data-temporarily = Loss of availability: data (temporarily) unavailable, disruption of service
ap-fill-not-applicable = not applicable
ap-fill-the-clock-has-not-started = No deadline recorded yet: the period starts when the controller becomes aware of the breach, which art33 records when the breach is confirmed.
ap-fill-required-the-deadline-passed-on = Required: the deadline passed on
ap-fill-art-33-1-gdpr = art. 33(1) GDPR
ap-fill-not-applicable-notified-within = not applicable (notified within
ap-fill-hours = hours
ap-fill-not-applicable-when-notified-before = not applicable when notified before
ap-fill-becomes-required-once-the-deadline = Becomes required once the deadline passes.
ap-fill-recommended-explain-the-processor-controller = Recommended: explain the processor → controller timeline; counted from the awareness of
ap-fill-deadline = deadline
ap-fill-open-end-the-maximum-is = Open end: the maximum is unknown.
ap-fill-open-end-the-minimum-is = Open end: the minimum is unknown.

## The answers of chapters 2 and 3 from the client profile, and the processor's delay

ap-fill-no-only-in-the-lead-state = No (people affected only in { $lead })
ap-fill-no-one-stop-shop-the-ap-leads = No — one-stop-shop: the AP is the lead supervisory authority
ap-fill-one-stop-shop-the-ap-leads-note = People affected also in { $states }: as lead supervisory authority (art. 56 GDPR) the AP involves the other authorities concerned; no separate notification to them is needed.
ap-fill-one-stop-shop-lead-elsewhere = the lead supervisory authority is that of { $lead } (the controller's main establishment): notify the breach to that authority (one-stop-shop, art. 56 GDPR) and state here whether and when that was done.
ap-fill-outside-eea-check = check: the controller is established outside the EEA, so the one-stop-shop mechanism does not apply (EDPB Guidelines 9/2022, para. 73): notify the authority of every member state where data subjects live and state here which ones.
ap-fill-set-in-the-client-profile = Fill in in the client profile (administration).
ap-fill-kvk-only-for-dutch-registrations = Only for organisations registered with the Dutch Chamber of Commerce (KvK); the client profile says the controller is established abroad.
ap-fill-notifier-email-is-the-dpo-s = E-mail address: the DPO's (the client profile gives no address of the notifier's own).
ap-fill-processor-informed-the-controller = The processor { $processor } became aware of the breach on { $processor_aware } and informed the controller on { $controller_aware }, { $delay } later.
ap-fill-delay-minutes = { $minutes } minutes
ap-fill-delay-hours = { $hours } hours
ap-fill-ready-to-paste = Ready to paste:

## The answers of chapter 10 and the closing remarks

ap-follow-up-on = on
ap-follow-up-planned = Planned
ap-follow-up-proposal-from-the-severity-assessment = Proposal from the severity assessment (high risk, art. 34 GDPR); record the decision.
ap-follow-up-proposal-from-the-severity-assessment-2 = Proposal from the severity assessment; record the decision.
ap-follow-up-no-decision-and-no-severity = No decision and no severity assessment yet.
ap-follow-up-severity-of-the-possible-consequences = Severity of the possible consequences:
ap-follow-up-only-if-10-1-1 = Only if 10.1.1 is "no".
ap-follow-up-very-high-risk-consider-a = Very high risk: consider a public communication besides or instead of individual messages.
ap-follow-up-fill-in-once-the-data = Fill in once the data subjects have been informed.
ap-follow-up-supplement-to-the-preliminary-notification = Supplement to the preliminary notification with AP reference
ap-follow-up-supplement-to-the-notification-with = Supplement to the notification with AP reference
ap-follow-up-withdrawal-of-the-notification-with = Withdrawal of the notification with AP reference
ap-follow-up-optional = Optional.

## The letter to data subjects

ap-letter-dear-sir-or-madam = Dear Sir or Madam,
ap-letter-on = On
ap-letter-we-discovered-that = we discovered that
ap-letter-unauthorised-persons = Unauthorised persons
ap-letter-data-were-deleted-or-made = Data were deleted or made unusable.
ap-letter-data-were-also-deleted-or = Data were also deleted or made unusable.
ap-letter-we-are-still-investigating-exactly = We are still investigating exactly what happened to the data.
ap-letter-what-happened = What happened?
ap-letter-which-data-are-involved = Which data are involved?
ap-letter-the-data-include-data-of = The data include data of children. Are you a parent or guardian? Then please discuss this letter with your child.
ap-letter-criminals-may-use-your-data = Criminals may use your data for phishing: fake messages, e-mails or calls that seem trustworthy because they know your details.
ap-letter-with-your-bank-account-number = With your bank account number criminals may try to take money by direct debit, or persuade you to pay them with a convincing story.
ap-letter-with-your-login-details-others = With your login details others may try to log in to your account, also at other services where you use the same password.
ap-letter-with-your-citizen-service-number = With your citizen service number or a copy of your identity document criminals may try to pretend to be you (identity fraud).
ap-letter-sensitive-data-are-involved-if = Sensitive data are involved; if others see them, that may harm you.
ap-letter-we-are-still-assessing-what = We are still assessing what this may mean for you.
ap-letter-what-could-this-mean-for = What could this mean for you?
ap-letter-we-will-also = We will also:{" "}
ap-letter-we-acted-at-once-to = We acted at once to stop the breach and limit its consequences.
ap-letter-what-have-we-done = What have we done?
ap-letter-change-your-password-also-at = Change your password, also at other services where you use the same one. Use a different password for every service and turn on two-step verification where you can.
ap-letter-check-your-bank-statements-do = Check your bank statements. Do you see a payment or direct debit you do not recognise? Contact your bank. You can usually have a direct debit reversed within 8 weeks.
ap-letter-do-you-suspect-someone-is = Do you suspect someone is pretending to be you? Contact the Dutch Central Reporting Point for Identity Fraud (CMI) and report it to the police.
ap-letter-what-can-you-do-yourself = What can you do yourself?
ap-letter-our-data-protection-officer = our data protection officer,
ap-letter-our-data-protection-officer-2 = our data protection officer
ap-letter-questions = Questions?
ap-letter-we-apologise-for-this-incident =
    We apologise for this incident.
    {""}
    Kind regards,
ap-letter-draft-check-and-adapt-before = DRAFT — check and adapt before sending; art33 does not send this letter.
ap-letter-and = and
ap-letter-criminals-carried-out-an-attack = criminals carried out an attack (hacking, malware or ransomware)
ap-letter-criminals-gained-access-to-systems = criminals gained access to systems holding your data through a phishing message
ap-letter-a-device-or-papers-holding = a device or papers holding data were lost
ap-letter-a-device-or-papers-holding-2 = a device or papers holding data were stolen
ap-letter-data-were-sent-to-the = data were sent to the wrong recipient
ap-letter-data-were-published-by-mistake = data were published by mistake
ap-letter-someone-inside-the-organisation-looked = someone inside the organisation looked at or used data without permission
ap-letter-unauthorised-persons-gained-access-to = unauthorised persons gained access to systems holding your data
ap-letter-data-were-not-disposed-of = data were not disposed of properly
ap-letter-there-was-a-security-incident = there was a security incident
ap-letter-viewed = viewed
ap-letter-copied = copied
ap-letter-altered = altered
ap-letter-stole = stole

## The letter to data subjects: per language, undated, and as text

ap-letter-we-recently-discovered-that = Recently we discovered that
ap-letter-subject-label = Subject

## The draft as plain text

ap-text-kind = Kind
ap-text-incident = Incident
ap-text-generated = Generated
ap-text-late-by = late by
ap-text-ap-deadline = AP deadline
ap-text-not-started = not recorded yet (starts when the controller becomes aware)
ap-text-yes = yes
ap-text-not-required = NOT REQUIRED
ap-text-notification-required = Notification required
ap-text-preliminary = {" "}(preliminary)
ap-text-earlier-notification = Earlier notification
ap-text-notified-on = notified on
ap-text-supplements = supplements
ap-text-withdrawn-on = Withdrawn on
ap-text-reason-for-withdrawal = Reason for withdrawal
ap-text-completeness = Completeness
ap-text-required-questions-answered = required questions answered
ap-text-missing-required = Missing (required)
ap-text-nothing = nothing
ap-text-derived-confirm-these-answers = Derived — confirm these answers
ap-text-to-fill-in-on-the = To fill in on the AP form only
ap-text-changed-since-the-last-notified = Changed since the last notified version
ap-text-empty = (empty)
ap-text-was = was:
ap-text-now = now:
ap-text-missing = {"["}MISSING]
ap-text-not-filled-in = {"["}not filled in]
ap-text-derived-confirm = derived — confirm
ap-text-incomplete = incomplete
ap-text-required = required

## The draft as plain text: questions for the AP form only

ap-text-on-form-only-count = { $count } more to fill in on the AP form only; { $asked } questions in all

## The draft: its head and lists

ap-draft-thousands-separator = ,

## The draft's header and kinds

ap-draft-header = CONCEPT — niet ingediend bij de AP (DRAFT — not submitted to the AP). Submit only via https://datalekken.autoriteitpersoonsgegevens.nl
ap-draft-kind-initial = Initial notification
ap-draft-kind-supplement = Supplement to an earlier notification
ap-draft-kind-withdrawal = Withdrawal of a notification

## How late (question 4.5)

ap-fill-late-already = already { $late } late
ap-fill-late-notified = notified { $late } after the deadline

## The letter to data subjects: sentences with values

ap-letter-subject = Data breach at { $client }: your personal data are involved
ap-letter-intro = We are writing to tell you about a data breach at { $client } that involves your personal data. We want you to know, so that you can protect yourself where needed.
ap-letter-taken = { $verbs } personal data
ap-letter-processor = The incident took place at { $processor }, which processes the data on our behalf.
ap-letter-be-alert = Be alert to unexpected messages, e-mails or calls, even if they seem to come from { $client }; do not click links and never give your password, PIN or login codes. We never ask for them.
ap-letter-contact = Do you have questions? Please contact { $dpo }, at { $email }, quoting reference { $reference }.
ap-letter-complaint = You also have the right to lodge a complaint with the Dutch Data Protection Authority (Autoriteit Persoonsgegevens, autoriteitpersoonsgegevens.nl).

## Short labels of unanswered questions (the alert mails)

ap-missing-q-4-1-1 = (Possible) start date of the breach
ap-missing-q-4-3 = How the breach was discovered
ap-missing-q-4-5 = Reasons for the delay (notified after the deadline)
ap-missing-q-5-1 = Nature of the breach
ap-missing-q-5-2 = Nature of the incident
ap-missing-q-6-1 = Which personal data
ap-missing-q-6-3-1 = Number of records affected
ap-missing-q-7-1 = Groups of data subjects
ap-missing-q-7-3 = Number of people (minimum and maximum)
ap-missing-q-8-1 = Encrypted or unintelligible
ap-missing-q-9-2 = Consequences for the data subjects
ap-missing-q-9-3 = Estimate of the severity
ap-missing-q-10-2 = Measures taken

### The AP notification form (src/domain/ap_report/form.rs): chapters and questions

## Chapter 1

ap-form-chapter-1 = Introduction
ap-form-q-1-1 = What kind of notification do you want to make?
ap-form-q-1-2 = Under which legal provision do you make this notification?
ap-form-q-1-3 = Have you notified the breach to supervisors under other notification duties?

## Chapter 2

ap-form-chapter-2 = International aspects
ap-form-q-2-1-1 = Does the breach affect people in several countries?
ap-form-q-2-2-1 = Has your organisation notified the breach to other data-protection authorities?

## Chapter 3

ap-form-chapter-3 = The controller
ap-form-q-3-1-1a = Name of the company or organisation
ap-form-q-3-1-1b = Controller(s)
ap-form-q-3-1-1c = Address, postcode and town
ap-form-q-3-1-1d = Registration number of the DPO (at the AP)
ap-form-q-3-1-1e = Chamber of Commerce (KvK) number
ap-form-q-3-1-2 = In which sector is the organisation active?
ap-form-q-3-2-1 = Who is notifying the breach? (name, position, e-mail address, telephone number)
ap-form-q-3-2-2 = Contact person for the AP, if different from the notifier
ap-form-q-3-3 = Were other organisations involved in the breach?

## Chapter 4

ap-form-chapter-4 = Timeline
ap-form-q-4-1-1 = (Possible) start date of the breach
ap-form-q-4-1-2 = (Possible) end date of the breach
ap-form-q-4-2 = When was the incident discovered?
ap-form-q-4-3 = Describe (briefly) how you discovered the breach
ap-form-q-4-5 = If notified later than 72 hours: why?

## Chapter 5

ap-form-chapter-5 = About the breach
ap-form-q-5-1 = Nature of the breach (confidentiality, integrity, availability)
ap-form-q-5-2 = Nature of the incident
ap-form-q-5-3 = Description of the incident
ap-form-q-5-4 = Supporting documentation

## Chapter 6

ap-form-chapter-6 = Which personal data
ap-form-q-6-1 = Personal data in general
ap-form-q-6-2 = Special categories of personal data
ap-form-q-6-3-1 = How many data records were affected?

## Chapter 7

ap-form-chapter-7 = Data subjects
ap-form-q-7-1 = Which group(s) of data subjects were affected?
ap-form-q-7-2 = Further description of the group(s) of data subjects
ap-form-q-7-3 = Number of people affected (exact, or minimum and maximum)

## Chapter 8

ap-form-chapter-8 = Measures before the breach
ap-form-q-8-1 = Were the personal data, when the breach occurred, encrypted, coded or otherwise unintelligible or inaccessible to unauthorised persons?

## Chapter 9

ap-form-chapter-9 = Consequences
ap-form-q-9-1 = (Possible) consequences for the controller and the personal data
ap-form-q-9-2 = (Possible) consequences for the data subject(s)
ap-form-q-9-3 = Estimate of the severity

## Chapter 10

ap-form-chapter-10 = Follow-up
ap-form-q-10-1-1 = Have you informed the data subject(s) of the breach?
ap-form-q-10-1-x-why-not = Why do you refrain from informing the data subjects of the breach? Explain your choice.
ap-form-q-10-1-x-public = If informing every data subject would involve disproportionate effort, explain how you will inform them by a public communication or a similar measure.
ap-form-q-10-1-3 = How many people have you informed of the breach?
ap-form-q-10-1-7 = How were the data subjects informed?
ap-form-q-10-2 = What measures have you taken?

## Chapter other

ap-form-chapter-other = Other
ap-form-q-other = Other remarks

### Severity (src/domain/severity.rs)

## ENISA bands

severity-band-low = low
severity-band-medium = medium
severity-band-high = high
severity-band-very-high = very high

## The AP's levels (question 9.3)

severity-ap-level-low = negligible
severity-ap-level-medium = limited
severity-ap-level-high = significant
severity-ap-level-very-high = very high

### Code lists: the labels of the codes (src/domain/vocabulary.rs)

## Nature: What happened to the data (AP question 5.1).

code-list-nature-read = Read (confidentiality)
code-list-nature-copied = Copied
code-list-nature-altered = Altered (integrity)
code-list-nature-deleted = Deleted or destroyed (availability)
code-list-nature-stolen = Stolen
code-list-nature-unknown = Not yet known

## IncidentKind: What kind of incident caused the breach (AP question 5.2).

code-list-incident-kind-hacking-malware = Hacking, malware or ransomware
code-list-incident-kind-phishing = Phishing
code-list-incident-kind-lost-device = Lost device or papers
code-list-incident-kind-stolen-device = Stolen device or papers
code-list-incident-kind-misdirected = Sent to the wrong recipient
code-list-incident-kind-published-by-mistake = Published by mistake
code-list-incident-kind-insider = Act of an insider
code-list-incident-kind-unauthorised-access = Unauthorised access
code-list-incident-kind-improper-disposal = Improper disposal
code-list-incident-kind-other = Other

## DataCategory: Categories of personal data involved (AP question 6.1).

code-list-data-category-name-address = Name, address and place of residence
code-list-data-category-phone = Telephone numbers
code-list-data-category-email = E-mail or other electronic addresses
code-list-data-category-credentials = Access or identification data
code-list-data-category-financial = Financial data
code-list-data-category-bsn = Citizen service number (BSN)
code-list-data-category-id-documents = Copies of identity documents
code-list-data-category-demographic = Gender, date of birth and/or age
code-list-data-category-location = Location data
code-list-data-category-criminal = Criminal offence data
code-list-data-category-other = Other data

## SpecialCategory: Special categories of personal data (art. 9 GDPR, AP question 6.2).

code-list-special-category-racial-ethnic = Racial or ethnic origin
code-list-special-category-political = Political opinions
code-list-special-category-religious = Religious or philosophical beliefs
code-list-special-category-trade-union = Trade union membership
code-list-special-category-sexual = Sex life or sexual orientation
code-list-special-category-health = Health
code-list-special-category-genetic = Genetic data
code-list-special-category-biometric = Biometric data (e.g. fingerprint or iris scan)

## SubjectGroup: Groups of data subjects affected (AP question 7.1).

code-list-subject-group-employees = Employees
code-list-subject-group-customers = Customers
code-list-subject-group-patients = Patients/clients
code-list-subject-group-students = Pupils/students
code-list-subject-group-minors = Minors
code-list-subject-group-vulnerable = Vulnerable groups
code-list-subject-group-applicants = Job applicants
code-list-subject-group-members = Members
code-list-subject-group-users = Users
code-list-subject-group-other = Other

## Encryption: Whether the data were unintelligible when the breach happened (AP question 8.1).

code-list-encryption-encrypted = Encrypted
code-list-encryption-hashed = Hashed
code-list-encryption-pseudonymised = Pseudonymised
code-list-encryption-partly = Partly
code-list-encryption-none = Not encrypted
code-list-encryption-unknown = Unknown

## Channel: How data subjects were informed (AP question 10.1.7).

code-list-channel-letter = By letter
code-list-channel-email = By e-mail
code-list-channel-phone = By telephone
code-list-channel-sms = By text message
code-list-channel-in-person = In person
code-list-channel-public-notice = Public notice
code-list-channel-other = Other

## SubjectsGround: Why data subjects are not informed (art. 34(3) or no high risk).

code-list-subjects-ground-no-high-risk = No high risk
code-list-subjects-ground-art34-3a = Data unintelligible to unauthorised persons (art. 34(3)(a))
code-list-subjects-ground-art34-3b = High risk removed by later measures (art. 34(3)(b))
code-list-subjects-ground-art34-3c-public = Disproportionate effort; public communication instead (art. 34(3)(c))

## BreachType: The three kinds of personal-data breach; one breach can be several.

code-list-breach-type-confidentiality = Confidentiality
code-list-breach-type-integrity = Integrity
code-list-breach-type-availability = Availability

## Sector: the sector a client is active in (AP question 3.1.2).

code-list-sector-public-administration = Public administration
code-list-sector-healthcare = Healthcare and welfare
code-list-sector-education = Education
code-list-sector-financial-services = Financial services
code-list-sector-ict = ICT
code-list-sector-telecom = Telecommunications
code-list-sector-trade = Trade and retail
code-list-sector-industry = Industry
code-list-sector-energy = Energy
code-list-sector-transport-logistics = Transport and logistics
code-list-sector-business-services = Business services
code-list-sector-hospitality-recreation = Hospitality, culture and recreation
code-list-sector-construction = Construction and real estate
code-list-sector-agriculture = Agriculture
code-list-sector-non-profit = Non-profit and associations
code-list-sector-other = Other

### The acknowledgement link (templates/ack.html, src/web/ack.rs)

ack-title = Acknowledge receipt
ack-records-for = This records for data breach
ack-nothing-else = Nothing else is decided. The link works once.
ack-recorded = Recorded
ack-breach = Data breach
ack-close-window = You may close this window.
ack-refused = This link does not work (any more)
ack-refused-help = Acknowledge receipt on the incident page in art33, or ask the privacy officer for help.
ack-invalid = This link is unknown or not valid.
ack-expired = This link has expired (after seven days).
ack-used = This link was already used; receipt is recorded.
ack-received = received by the DPO ({ $dpo }) at { $when }

## The acknowledgement link: used before

ack-already-title = Receipt already acknowledged
ack-already = Receipt was already acknowledged on { $when }. Nothing more is needed.

### Forms: choices and warnings (src/web/pages/)

## Levels of loss (ENISA)

choice-level-none = none or recovered
choice-level-limited = limited
choice-level-full = full or unknown number

## Data-processing context (ENISA)

choice-dpc-simple = simple (name, contact)
choice-dpc-behavioural = behavioural (location, preferences)
choice-dpc-financial = financial
choice-dpc-sensitive = sensitive (health, criminal…)

## Ease of identification (ENISA)

choice-ease-negligible = negligible
choice-ease-limited = limited
choice-ease-significant = significant
choice-ease-maximum = maximum (directly identifying)

## Numbers of people

report-people-more-than = more than { $count }

## Personal data found in free text (src/domain/pii/)

pii-email = e-mail address
pii-bsn = citizen service number (BSN)
pii-iban = IBAN
pii-phone = telephone number
pii-card-number = card number
inc-personal-data = looks like it contains personal data ({ $kinds }); remove it, or tick that you send it on purpose

# Password reset by one-time link
admin-reset-hint = Mail this user a link to choose a new password. The link works once, for 24 hours; the current password keeps working until it is used.
admin-reset-send = Send a password reset link
admin-reset-sent = A link to choose a new password was mailed to { $email }. It works once, for 24 hours.
admin-sso = Single sign-on
admin-sso-off = Single sign-on is not configured (auth.oidc.issuer_url); users log in with their password.
admin-sso-issuer = Issuer
admin-sso-client = Client id
admin-sso-redirect = Redirect URL
admin-sso-scopes = Scopes
admin-sso-role-claim = Role claim
admin-sso-role-map = Role map
admin-sso-domains = Allowed e-mail domains
admin-sso-any-domain = any
admin-sso-create = New users at first login
admin-sso-password = Password login
admin-sso-password-on = on
admin-sso-password-off = off, except the break-glass admin (/login?break_glass=1)
admin-sso-discovery = Discovery
admin-sso-not-tried = not tried yet (at the first single sign-on)
admin-sso-ok = succeeded at { $at }
admin-sso-failed = failed at { $at }: { $reason }
reset-title = Choose a new password
reset-intro = Choose a new password for { $email }. After saving, you are logged out everywhere and log in with the new password.
reset-password = New password
reset-password-hint = At least 12 characters; a few unrelated words are easy to remember and hard to guess.
reset-submit = Save the new password
reset-done = Your password was changed. Sessions with the old password have ended.
reset-login = Log in with the new password
reset-unknown = This link is not valid. It may be mistyped, or a newer link was sent after it.
reset-used = This link was used already: it works only once.
reset-expired = This link has expired: it worked for 24 hours.
reset-ask-admin = Ask an administrator of art33 to send you a new link.
mail-kind-password-reset = password reset
mail-reset-subject = Choose a new password for art33
mail-reset-what = { $admin } asked art33 to send you a link to choose a new password for your account.
mail-reset-choose = Choose a new password
mail-reset-until = The link works once, until { $until }. Your current password keeps working until then.
mail-reset-if-not-you = If you did not expect this mail, do not use the link and tell the privacy officers.
mail-reset-footer = You receive this message because an administrator of art33 sent it. It holds no password.

# Personal deadline calendar
me-title = Your profile
profile-calendar = Deadline calendar
profile-calendar-intro = Subscribe to the AP deadlines of the breaches you may see in your own calendar application (Outlook, Google Calendar, Apple Calendar): one entry per running clock at its deadline, with reminders { $hours } hours before. The feed holds only references and client names, and follows the clocks as they change.
profile-calendar-none = You have no calendar link yet.
profile-calendar-live = You have a calendar link, made on
profile-calendar-make = Make a calendar link
profile-calendar-renew = Make a new link (the old one stops)
profile-calendar-stop = Stop the calendar link
profile-calendar-stopped = The calendar link was stopped; calendars subscribed to it get no more updates.
profile-calendar-made = Your calendar link was made. Copy it now into your calendar application ("subscribe to a calendar from the internet"); it is shown only this once. Anyone with the link sees the deadlines, so keep it to yourself.
profile-calendar-url = Calendar link
calendar-name = art33: AP deadlines
calendar-deadline = AP deadline { $reference } ({ $client })
calendar-deadline-description = The deadline to notify the Autoriteit Persoonsgegevens of breach { $reference } of { $client } (GDPR art. 33(1)).
calendar-conservative = Conservative deadline { $reference } ({ $client })
calendar-conservative-description = 72 hours after we, the processor, became aware of breach { $reference } of { $client }: notify before this if at all possible.
calendar-reminder = { $reference }: { $hours } hours to the AP deadline
calendar-reminder-now = { $reference }: the deadline is now

## Alert channels (webhooks): the chat messages, the timeline and the admin page

delivery-to-channel = alert channel { $id }
webhook-team = the officers' team
webhook-test = art33 test message for { $client }: this channel works.
webhook-deadline = AP deadline { $deadline }, { $left } left
webhook-overdue = AP deadline { $deadline } passed { $late } ago
webhook-deadline-stopped = AP deadline { $deadline }
webhook-open-app = Open art33
webhook-open = Open the incident
timeline-webhook-sent = Alert posted to a channel
timeline-webhook-failed = Alert not posted to a channel
timeline-webhook-requeued = Channel message back in the queue
timeline-line-webhook-sent = Alert { $alert } posted to a { $kind } channel
timeline-line-webhook-failed = Alert { $alert } not posted to a { $kind } channel
timeline-field-channel-id = channel
timeline-field-channel-kind = kind of channel
timeline-field-webhook-id = webhook-id
timeline-field-status-code = HTTP status
channels-title = Alert channels
channels-intro = Besides the mails, every alert is posted to the channels of its client and to the officers' team's channels: a generic webhook (JSON signed per the Standard Webhooks scheme), a Microsoft Teams workflow, or a Slack or Mattermost incoming webhook. A post carries only the reference, the client, the alert, the deadline, the time left and the link.
channels-link = Alert channels (webhooks)
channels-list = Channels
channels-none = No channels yet: alerts go by mail only.
channels-owner = Alerts of
channels-team = the officers' team (every client)
channels-kind = Kind
channels-kind-webhook = Generic webhook (Standard Webhooks)
channels-kind-teams = Microsoft Teams workflow
channels-kind-slack = Slack incoming webhook
channels-kind-mattermost = Mattermost incoming webhook
channels-url = Endpoint URL
channels-url-hint = https:// only. Teams, Slack and Mattermost URLs are secrets: after this form only the host and the last four characters are shown.
channels-last-test = Latest test
channels-test-never = not tested
channels-actions = Actions
channels-send-test = Send test
channels-remove = Remove
channels-add = Add a channel
channels-add-button = Add channel
channels-added = Channel added.
channels-secret-once = The signing secret of this webhook, shown only now: give it to the receiver, which checks the webhook-signature header with it.
channels-test-queued = Test message queued: it is sent within a few seconds; reload this page to see the outcome.
channels-removed = Channel removed: it receives nothing more.
