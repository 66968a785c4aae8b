//! The scanner's tests.

use super::*;
use proptest::prelude::*;

const ALL: [PiiKind; 5] = [PiiKind::Email, PiiKind::Bsn, PiiKind::Iban, PiiKind::Phone, PiiKind::CardNumber];

/// The findings as (kind, matched text).
fn found(text: &str) -> Vec<(PiiKind, &str)> {
    scan(text).into_iter().map(|f| (f.kind, &text[f.start..f.end])).collect()
}

#[track_caller]
fn assert_single(text: &str, kind: PiiKind, data: &str) {
    assert_eq!(found(text), vec![(kind, data)], "in {text:?}");
}

#[track_caller]
fn assert_clean(text: &str) {
    assert_eq!(found(text), vec![], "in {text:?}");
}

/// `prefix` followed by its Luhn check digit.
fn with_luhn(prefix: &str) -> String {
    (0..10)
        .map(|c| format!("{prefix}{c}"))
        .find(|s| luhn(&s.bytes().map(|b| b - b'0').collect::<Vec<_>>()))
        .unwrap()
}

fn grouped(digits: &str, size: usize, sep: &str) -> String {
    digits.as_bytes().chunks(size).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep)
}

#[test]
fn codes_and_labels() {
    let codes: Vec<_> = ALL.iter().map(|k| k.code()).collect();
    assert_eq!(codes, ["email", "bsn", "iban", "phone", "card_number"]);
    let nl: Vec<_> = ALL.iter().map(|k| k.label(Locale::Nl)).collect();
    assert_eq!(
        nl,
        ["e-mailadres", "burgerservicenummer (BSN)", "IBAN", "telefoonnummer", "creditcardnummer"]
    );
    let en: Vec<_> = ALL.iter().map(|k| k.label(Locale::En)).collect();
    assert_eq!(
        en,
        ["e-mail address", "citizen service number (BSN)", "IBAN", "telephone number", "card number"]
    );
    for k in ALL {
        assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.code()));
    }
}

#[test]
fn emails_are_found_without_trailing_punctuation() {
    assert_single("mail jan.jansen@example.nl.", PiiKind::Email, "jan.jansen@example.nl");
    assert_single(
        "Contact: <j.de.vries+lek@sub.example.co.uk>",
        PiiKind::Email,
        "j.de.vries+lek@sub.example.co.uk",
    );
    assert_single("(JAN_01%x@EXAMPLE.NL),", PiiKind::Email, "JAN_01%x@EXAMPLE.NL");
    assert_single("naar jürgen@müller.de!", PiiKind::Email, "jürgen@müller.de");
    assert_single("zie ...jan@example.nl...", PiiKind::Email, "jan@example.nl");
    assert_single(
        "mailto:info@mail-server.example.com?subject=x",
        PiiKind::Email,
        "info@mail-server.example.com",
    );
    assert_single("p.de.groot@gemeente.nl-adres", PiiKind::Email, "p.de.groot@gemeente.nl");
}

#[test]
fn email_lookalikes_are_not_flagged() {
    for text in [
        "volg @jan op sociale media",
        "jan@localhost",
        "a@b",
        "x@y.z",
        "logo@2x.png",
        "npm i pkg@1.2.3",
        "mail ons @ servicedesk",
        "jan@.nl",
        "jan@example.n1",
        "@@@.nl",
        "jan@-example.nl",
    ] {
        assert_clean(text);
    }
}

#[test]
fn valid_bsns_are_found() {
    assert_single("111222333", PiiKind::Bsn, "111222333");
    assert_single("BSN 123456782.", PiiKind::Bsn, "123456782");
    assert_single("bsn:111222333;", PiiKind::Bsn, "111222333");
    assert_single("BSN 123.456.782 van de betrokkene", PiiKind::Bsn, "123.456.782");
    assert_single("BSN 123 456 782", PiiKind::Bsn, "123 456 782");
    assert_single("BSN 1234.56.782", PiiKind::Bsn, "1234.56.782");
    assert_eq!(kinds("nummers 111222333 en 123456782"), [PiiKind::Bsn]);
    assert_eq!(scan("nummers 111222333 en 123456782").len(), 2);
}

#[test]
fn invalid_or_embedded_bsns_are_not_flagged() {
    for text in [
        "123456789",      // fails the 11-test
        "123.456.789",    // fails the 11-test
        "000000000",      // passes the sum, all zeros
        "12345678",       // 8 digits
        "1234567820",     // inside a 10-digit run
        "123456782123",   // inside a 12-digit run
        "AP123456782",    // glued to letters
        "123456782a",     // glued to letters
        "file_123456782", // glued to an identifier
        "0,123456782",    // decimals
        "123456782,50",   // an amount with cents
        "€ 123456782",    // an amount
        "EUR 123456782",  // an amount
        "$111222333",     // an amount
        "1.123.456.782",  // thousands grouping
        "48 123 456 782", // part of a longer spaced chain
        "123.456.782.1",  // part of a longer dotted chain
        "12.34.56.782",   // not a BSN grouping
        "123.456 782",    // mixed separators
    ] {
        assert_clean(text);
    }
    // The same numbers, standing alone, are found: the rejections above are about the context.
    assert_single("€ 50, 123456782", PiiKind::Bsn, "123456782");
    assert_single("x 123 456 782", PiiKind::Bsn, "123 456 782");
}

/// Decision: a 9-digit run joined to a reference by '-' is still a standalone digit run, flagged
/// only when it passes the 11-test.
#[test]
fn nine_digits_after_a_hyphenated_reference() {
    assert_clean("AP-2026-123456789");
    assert_single("AP-2026-123456782", PiiKind::Bsn, "123456782");
}

#[test]
fn valid_ibans_are_found() {
    for iban in [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "nl91abna0417164300",
        "BE68539007547034",
        "BE68 5390 0754 7034",
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "GB29NWBK60161331926819",
        "GB29 NWBK 6016 1331 9268 19",
        "FR1420041010050500013M02606",
        "NO9386011117947",
        "CH9300762011623852957",
        "AT611904300234573201",
        "ES9121000418450200051332",
        "IT60X0542811101000000123456",
        "PL61109010140000071219812874",
        "SE4550000000058398257466",
        "IE29AIBK93115212345678",
        "LU280019400644750000",
        "PT50000201231234567890154",
        "DK5000400440116243",
        "FI2112345600000785",
    ] {
        assert_single(iban, PiiKind::Iban, iban);
        let sentence = format!("Betaald van IBAN: {iban}. Daarna niets.");
        assert_single(&sentence, PiiKind::Iban, iban);
    }
}

#[test]
fn invalid_ibans_are_not_flagged() {
    for text in [
        "NL91ABNA0417164301",      // one digit changed
        "NL91 ABNA 0417 1643 01",  // one digit changed, spaced
        "NL92ABNA0417164300",      // check digits changed
        "NL91ABNA041716430",       // too short for NL
        "NL91ABNA04171643000",     // too long for NL
        "NL91 ABNA 0417 1643 001", // too long for NL, spaced
        "BE685390075470",          // too short for BE
        "XX91ABNA0417164300",      // not an IBAN country
        "ANL91ABNA0417164300",     // glued to a word
        "NL91ABNA0417164300X",     // glued to a word
        "NL9 1ABNA0417164300",     // broken layout
        "NL91A BNA0417164300",     // space not after a group of 4
    ] {
        assert_clean(text);
    }
}

/// An IBAN-shaped string that fails the checks is not a card number, even if a card chain inside
/// it passes Luhn.
#[test]
fn failed_iban_masks_numbers_inside() {
    let card = with_luhn("411111111111111111");
    let card_spaced = grouped(&card, 4, " ");
    assert_single(&card_spaced, PiiKind::CardNumber, &card_spaced);
    let fake = format!("FR76 ABCD {card_spaced}");
    assert_clean(&fake);
}

#[test]
fn valid_card_numbers_are_found() {
    for card in [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555555555554444",
        "5555 5555 5555 4444",
        "378282246310005",
        "3782 822463 10005",
        "2223003122003222",
        "6011111111111117",
        "30569309025904",
        "4222222222222",
    ] {
        assert_single(card, PiiKind::CardNumber, card);
        let sentence = format!("Kaart {card}, verlopen.");
        assert_single(&sentence, PiiKind::CardNumber, card);
    }
    let visa19 = with_luhn("411111111111111111");
    assert_single(&visa19, PiiKind::CardNumber, &visa19);
}

#[test]
fn card_lookalikes_are_not_flagged() {
    for text in [
        "4111 1111 1111 1112",     // Luhn fails
        "5555555555554445",        // Luhn fails
        "378282246310006",         // Luhn fails
        "6666666666666",           // passes Luhn, all one digit
        "41 11 11 11 11 11 11 11", // passes Luhn, not a card grouping
        "4111  1111 1111 1111",    // double space
        "4111 1111-1111 1111",     // mixed separators
        "04111111111111111",       // inside a longer run
        "1761136200000",           // a millisecond timestamp
        "4111111111111111.5",      // a decimal
        "X4111111111111111",       // glued to a word
    ] {
        assert_clean(text);
    }
    // Luhn passes, but the length does not fit the network.
    for prefix in ["4", "37", "51", "2221", "9"] {
        for len in [13, 14, 15, 16, 17, 18, 19] {
            let fits = match prefix {
                "4" => [13, 16, 19].contains(&len),
                "37" => len == 15,
                "51" | "2221" => len == 16,
                _ => false,
            };
            let number = with_luhn(&format!("{prefix}{}", "1".repeat(len - prefix.len() - 1)));
            assert_eq!(number.len(), len);
            let expected = if fits { vec![(PiiKind::CardNumber, number.as_str())] } else { vec![] };
            assert_eq!(found(&number), expected, "{number}");
        }
    }
}

#[test]
fn phones_are_found() {
    for phone in [
        "0612345678",
        "06-12345678",
        "06 12345678",
        "06 1234 5678",
        "06-1234 5678",
        "06 12 34 56 78",
        "(06) 12345678",
        "020-1234567",
        "010 123 4567",
        "020 12 34 567",
        "0418-123456",
        "0418 12 34 56",
        "(0418) 123 456",
        "0612 345 678",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)20 123 4567",
        "+31(0)6-12345678",
        "+44 20 7946 0958",
        "+1 212 555 0100",
        "+49 30 12345678",
        "0031 6 12345678",
        "0031612345678",
    ] {
        assert_single(phone, PiiKind::Phone, phone);
        let sentence = format!("Bel {phone}.");
        assert_single(&sentence, PiiKind::Phone, phone);
    }
    // The longest valid prefix of a running chain.
    assert_single("bel 06 12345678 12 keer", PiiKind::Phone, "06 12345678");
    assert_single("+31 6 12345678 123 keer", PiiKind::Phone, "+31 6 12345678 123");
}

#[test]
fn phone_lookalikes_are_not_flagged() {
    for text in [
        "tel. 14 020",
        "order 1234567890",
        "0201234567",       // a bare landline-like run is not flagged
        "06-12-2026 10:30", // a date and time
        "22-10-2026",
        "12:30:00",
        "0612345",                    // too short
        "061234567890",               // too long
        "06 123456789",               // 9 digits after 06 (and no BSN)
        "020 123 45",                 // too short
        "020 123 45678",              // too long
        "+31 6 1234",                 // too short
        "+0 123 456 7890",            // no country code
        "2026-10-22T12:30:00+02:00",  // a time zone offset
        "2026-0612345678",            // inside a reference
        "a+31612345678",              // glued to a word
        "0612345678b",                // glued to a word
        "+31 6 12345678901234567890", // far too long
    ] {
        assert_clean(text);
    }
}

#[test]
fn lookalike_numbers_in_breach_descriptions_are_not_flagged() {
    for text in [
        "ACME-2026-0007",
        "2026-10-22T12:30:00Z",
        "2026-10-22T12:30:00.123456789Z",
        "48.000 leden",
        "versie 1.2.3",
        "v2.10.3-rc1",
        "192.168.1.10",
        "fe80::1ff:fe23:4567:890a",
        "€ 1.234.567,89",
        "€ 1.234,56",
        "AP-2026-123456789",
        "tel. 14 020",
        "order 1234567890",
        "550e8400-e29b-41d4-a716-446655440000",
        "12345678-1234-1234-1234-123456789012",
        "KvK 12345678, postcode 1234 AB",
        "22 oktober 2026 om 12:30",
        "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Op 22-10-2026 om 09:15 zijn bij ACME-2026-0007 ongeveer 48.000 records van 1.234 klanten \
         gelekt (schade € 12.345,67; melding AP-2026-123456789, server 10.0.0.12, versie 4.2.1).",
    ] {
        assert_clean(text);
    }
}

#[test]
fn enclosing_candidate_wins() {
    // 111222333 passes the 11-test, but here it is the subscriber part of a phone number.
    assert_single("+31 111222333", PiiKind::Phone, "+31 111222333");
    // Digits inside an address belong to the address.
    assert_single("123456782@example.nl", PiiKind::Email, "123456782@example.nl");
    assert_single("0612345678@example.nl", PiiKind::Email, "0612345678@example.nl");
}

#[test]
fn findings_are_in_order_with_byte_ranges() {
    let text = "Één: jan@example.nl, BSN 123456782, IBAN NL91ABNA0417164300, tel 06-12345678, \
                kaart 4111 1111 1111 1111.";
    let findings = scan(text);
    let got: Vec<_> = findings.iter().map(|f| (f.kind, &text[f.start..f.end])).collect();
    assert_eq!(
        got,
        [
            (PiiKind::Email, "jan@example.nl"),
            (PiiKind::Bsn, "123456782"),
            (PiiKind::Iban, "NL91ABNA0417164300"),
            (PiiKind::Phone, "06-12345678"),
            (PiiKind::CardNumber, "4111 1111 1111 1111"),
        ]
    );
    assert_eq!(findings[0].start, text.find("jan").unwrap());
    assert_eq!(
        kinds(text),
        [PiiKind::Email, PiiKind::Bsn, PiiKind::Iban, PiiKind::Phone, PiiKind::CardNumber]
    );
    assert_eq!(kinds("bel 0612345678 of 020-1234567, mail a@b.nl"), [PiiKind::Email, PiiKind::Phone]);
    assert_eq!(kinds("niets bijzonders, 48.000 leden"), []);
}

#[test]
fn redact_replaces_only_the_data() {
    let text = "Mail jan@example.nl of bel 06-12345678, BSN 123.456.782; \
                IBAN NL91 ABNA 0417 1643 00 en kaart 4111-1111-1111-1111. Klaar.";
    let redacted = redact(text);
    assert_eq!(
        redacted,
        "Mail [email] of bel [phone], BSN [bsn]; IBAN [iban] en kaart [card_number]. Klaar."
    );
    for data in ["jan@example.nl", "12345678", "123.456.782", "NL91", "0417", "4111"] {
        assert!(!redacted.contains(data), "{data} left in {redacted}");
    }
    assert_eq!(redact("niets te zien, 48.000 leden"), "niets te zien, 48.000 leden");
    assert_eq!(redact(""), "");
}

#[test]
fn redact_continues_until_nothing_is_left() {
    let text = "0612345678 123 456 782";
    // In one pass the spaced BSN continues the phone's digit chain ...
    assert_eq!(found(text), [(PiiKind::Phone, "0612345678")]);
    // ... but once the phone is redacted it stands alone.
    assert_eq!(redact(text), "[phone] [bsn]");
    assert_eq!(redact(&redact(text)), redact(text));
}

#[test]
fn first_in_returns_the_first_field_in_order() {
    let fields = [
        ("title", "Laptop kwijt"),
        ("summary", "Betrokkene 111222333 gebeld"),
        ("measures", "mail gestuurd naar jan@example.nl"),
    ];
    assert_eq!(first_in(&fields), Some(("summary", PiiKind::Bsn)));
    assert_eq!(first_in(&[fields[0], fields[2], fields[1]]), Some(("measures", PiiKind::Email)));
    assert_eq!(first_in(&[("title", "0612345678 en a@b.nl")]), Some(("title", PiiKind::Phone)));
    assert_eq!(first_in(&[("title", "Laptop kwijt"), ("summary", "48.000 leden")]), None);
    assert_eq!(first_in(&[]), None);
}

#[track_caller]
fn check_properties(text: &str) {
    let findings = scan(text);
    for f in &findings {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
    }
    for w in findings.windows(2) {
        assert!(w[0].end <= w[1].start, "{w:?}");
    }
    let once = redact(text);
    assert!(scan(&once).is_empty(), "{once:?}");
    assert_eq!(redact(&once), once);
}

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "06", "+31", "0031", "(0)", "(", ")", "020", " ", " ", "-", ".", ",", "@", ":", "example.nl",
            "jan", "NL91", "ABNA", "0417", "1643", "00", "4111", "1111", "123456782", "111", "222",
            "333", "1234", "€", "é", "日本", "[bsn]", "[phone]", "2x", "_",
        ])
        .prop_map(str::to_owned),
        1 => "[0-9]{1,6}",
        1 => "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn arbitrary_text_is_scanned_safely(text in "\\PC*") {
        check_properties(&text);
    }

    #[test]
    fn number_soup_is_scanned_safely(text in pieces()) {
        check_properties(&text);
    }

    #[test]
    fn arbitrary_chars_are_scanned_safely(text in any::<String>()) {
        check_properties(&text);
    }
}

// ---------------------------------------------------------------------------------------------------
// Obfuscation (issue 17, item 14): normalise first, then detect, then map back.

/// Identifiers hidden behind invisible characters, other spaces, other digits, other separators or
/// a written-out at-sign: each is found with its kind, and the finding covers exactly the original
/// characters, alone and inside a sentence.
#[test]
fn obfuscated_identifiers_are_found() {
    let table: &[(&str, PiiKind)] = &[
        // zero-width and other format characters
        ("111\u{200B}222\u{200B}333", PiiKind::Bsn),
        ("1112\u{200C}22333", PiiKind::Bsn),
        ("111\u{2060}222\u{2060}333", PiiKind::Bsn),
        ("111\u{FEFF}222333", PiiKind::Bsn),
        ("1\u{AD}1\u{AD}1\u{AD}2\u{AD}2\u{AD}2\u{AD}3\u{AD}3\u{AD}3", PiiKind::Bsn),
        ("NL91\u{200B}ABNA\u{200B}0417\u{200B}1643\u{200B}00", PiiKind::Iban),
        ("4111\u{200D}1111\u{200D}1111\u{200D}1111", PiiKind::CardNumber),
        ("jan\u{200B}@example\u{200B}.com", PiiKind::Email),
        ("jo\u{AD}hn@exam\u{AD}ple.com", PiiKind::Email),
        ("06\u{200B}12345678", PiiKind::Phone),
        // no-break and other spaces
        ("111\u{A0}222\u{A0}333", PiiKind::Bsn),
        ("111\u{202F}222\u{202F}333", PiiKind::Bsn),
        ("NL91\u{A0}ABNA\u{A0}0417\u{A0}1643\u{A0}00", PiiKind::Iban),
        ("4111\u{2009}1111\u{2009}1111\u{2009}1111", PiiKind::CardNumber),
        ("4111\u{3000}1111\u{3000}1111\u{3000}1111", PiiKind::CardNumber),
        ("06\u{A0}1234\u{A0}5678", PiiKind::Phone),
        ("111\t222\t333", PiiKind::Bsn),
        // full-width and other compatibility forms (NFKC)
        ("１１１２２２３３３", PiiKind::Bsn),
        ("１１１ ２２２ ３３３", PiiKind::Bsn),
        ("ＮＬ９１ＡＢＮＡ０４１７１６４３００", PiiKind::Iban),
        ("NL91 ABNA ０４１７ １６４３ ００", PiiKind::Iban),
        ("４１１１ １１１１ １１１１ １１１１", PiiKind::CardNumber),
        ("ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", PiiKind::Email),
        ("john＠example.com", PiiKind::Email),
        ("john﹫example.com", PiiKind::Email),
        ("０６１２３４５６７８", PiiKind::Phone),
        ("𝟏𝟏𝟏𝟐𝟐𝟐𝟑𝟑𝟑", PiiKind::Bsn),
        // digits of other scripts (NFKC leaves them alone; the normaliser maps them)
        ("١١١٢٢٢٣٣٣", PiiKind::Bsn),
        ("۱۱۱۲۲۲۳۳۳", PiiKind::Bsn),
        ("०६१२३४५६७८", PiiKind::Phone),
        // separators between digit groups
        ("111-222-333", PiiKind::Bsn),
        ("111/222/333", PiiKind::Bsn),
        ("1234-56-782", PiiKind::Bsn),
        ("111\u{2011}222\u{2011}333", PiiKind::Bsn),
        ("111\u{2013}222\u{2013}333", PiiKind::Bsn),
        ("NL91-ABNA-0417-1643-00", PiiKind::Iban),
        ("NL91.ABNA.0417.1643.00", PiiKind::Iban),
        ("4111.1111.1111.1111", PiiKind::CardNumber),
        ("4111/1111/1111/1111", PiiKind::CardNumber),
        ("06.12.34.56.78", PiiKind::Phone),
        ("06.12345678", PiiKind::Phone),
        ("06/12345678", PiiKind::Phone),
        ("020/123 45 67", PiiKind::Phone),
        ("06\u{2011}12345678", PiiKind::Phone),
        ("+31.6.1234.5678", PiiKind::Phone),
        // written-out at-signs
        ("john(at)example.com", PiiKind::Email),
        ("john[at]example.com", PiiKind::Email),
        ("john{AT}example.com", PiiKind::Email),
        ("john (at) example.com", PiiKind::Email),
        ("john [at] example.nl", PiiKind::Email),
        ("john at example.com", PiiKind::Email),
        ("j.de.vries AT gemeente.nl", PiiKind::Email),
        ("john(at)example.com", PiiKind::Email),
    ];
    for &(data, kind) in table {
        assert_single(data, kind, data);
        let sentence = format!("Zie {data}, graag.");
        assert_single(&sentence, kind, data);
    }
}

/// What a reporter writes about a breach stays clean, also in full-width or with other spaces.
#[test]
fn innocent_texts_are_not_flagged() {
    for text in [
        "2026-10-22",
        "２０２６-１０-２２",
        "22/10/2026",
        "22.10.2026 12.30",
        "06.12.2026",
        "06/12/2026",
        "06-12-2026 10:30",
        "12:30",
        "１２:３０",
        "1.2.3",
        "versie 1.2.3",
        "€ 1.234,56",
        "€\u{A0}1.234,56",
        "INC-2026-0007",
        "INC\u{2011}2026\u{2011}0007",
        "meet at example",
        "meet at example.com",
        "look at the logs",
        "look at example.com",
        "look at example",
        "errors at server.log",
        "deployed at 10.30",
        "at at at",
        "(at) example",
        "bel 112",
        "tel. 14 020",
        "0900-1234",
        "123456789",
        "123-456-789",
        "123.456.789",
        "１２３４５６７８９",
        "123\u{200B}456\u{200B}789",
        "192.168.1.10",
        "1\u{A0}234\u{A0}567 records",
        "AP-2026-123456789",
        "4111.1111.1111.1112",
        "logo@2x.png",
    ] {
        assert_clean(text);
    }
}

/// "Affected: 111222333 rows" is flagged (any 9-digit number passing the 11-test is a BSN: false
/// positives are the safe side), and the finding says which kind, so the reporter can judge.
#[test]
fn a_count_that_passes_the_eleven_test_is_reported_as_a_bsn() {
    let text = "Affected: 111222333 rows";
    assert_single(text, PiiKind::Bsn, "111222333");
    assert_eq!(first_in(&[("summary", text)]), Some(("summary", PiiKind::Bsn)));
    assert_eq!(PiiKind::Bsn.code(), "bsn");
    assert_eq!(PiiKind::Bsn.label(Locale::En), "citizen service number (BSN)");
    assert_eq!(PiiKind::Bsn.label(Locale::Nl), "burgerservicenummer (BSN)");
}

/// Findings refer to the original text: characters that normalised into more or fewer bytes before
/// and inside a finding do not shift it.
#[test]
fn findings_map_back_to_the_original_text() {
    let text = "ﬁle ½ e\u{301} Ｘ\u{200B}: １１１\u{A0}２２２\u{A0}３３３ en jan(at)voorbeeld.nl ①";
    assert_eq!(
        found(text),
        [(PiiKind::Bsn, "１１１\u{A0}２２２\u{A0}３３３"), (PiiKind::Email, "jan(at)voorbeeld.nl")]
    );
    assert_eq!(
        redact(text),
        "ﬁle ½ e\u{301} Ｘ\u{200B}: [bsn] en [email] ①",
        "redaction replaces the original characters"
    );
    // A dropped character at the edge is not part of the finding; inside it is.
    assert_eq!(found("\u{200B}111\u{200B}222333\u{200B}"), [(PiiKind::Bsn, "111\u{200B}222333")]);
}

#[test]
fn normalisation() {
    let n = Normalised::new("a\u{A0}b\u{200B}c\u{2013}１٣ﬁ\te\u{301}");
    assert_eq!(n.text, "a bc-13fi é");
    // Each normalised char back to its original bytes.
    let original = "a\u{A0}b\u{200B}c\u{2013}１٣ﬁ\te\u{301}";
    let back = |s: usize, e: usize| {
        let (s, e) = n.original(s, e);
        &original[s..e]
    };
    assert_eq!(back(0, 1), "a");
    assert_eq!(back(1, 2), "\u{A0}");
    assert_eq!(back(2, 3), "b");
    assert_eq!(back(2, 4), "b\u{200B}c");
    assert_eq!(back(5, 7), "１٣");
    assert_eq!(back(7, 8), "ﬁ", "a piece that changed maps as a whole");
    assert_eq!(back(8, 9), "ﬁ");
    assert_eq!(back(9, 10), "\t");
    assert_eq!(back(0, n.text.len()), original);
    assert_eq!(Normalised::new("").text, "");
    // Every digit block in the table is ten numeric characters, mapped to 0–9.
    for &zero in normalise::DIGIT_ZEROS {
        let digits: String = (zero..zero + 10).filter_map(char::from_u32).collect();
        assert!(digits.chars().all(char::is_numeric), "{zero:X}");
        assert_eq!(Normalised::new(&digits).text, "0123456789", "{zero:X}");
    }
}

/// Text soup with the obfuscations in it.
fn obfuscated_pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "\u{200B}", "\u{A0}", "\u{202F}", "\u{AD}", "\u{FEFF}", "\u{301}", "\u{FE0F}", "\u{20E3}",
            "１", "２", "٣", "۴", "５", "０", "ﬁ", "½", "①", "＠", "(at)", "[at]", " at ", "@", ".", "-", "/",
            " ", "06", "111", "222", "333", "NL91", "ABNA", "0417", "1643", "00", "4111", "1111", "jan",
            "example.nl", "é", "日本", "\u{2011}", "\t",
        ])
        .prop_map(str::to_owned),
        1 => "[0-9]{1,6}",
        1 => "\\PC{0,3}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

#[track_caller]
fn check_mapping(text: &str) {
    let n = Normalised::new(text);
    let bounds: Vec<usize> = n.text.char_indices().map(|(i, _)| i).chain([n.text.len()]).collect();
    let mut previous = (0, 0);
    for (k, &s) in bounds.iter().enumerate() {
        for &e in bounds.iter().skip(k + 1).take(3) {
            let (os, oe) = n.original(s, e);
            assert!(os <= oe && oe <= text.len(), "{s}..{e} -> {os}..{oe}");
            assert!(text.is_char_boundary(os) && text.is_char_boundary(oe), "{s}..{e} -> {os}..{oe}");
            assert!(os < oe, "a non-empty range maps to a non-empty range");
        }
        if let Some(&e) = bounds.get(k + 1) {
            let (os, oe) = n.original(s, e);
            assert!(os >= previous.0 && oe >= previous.1, "monotone");
            previous = (os, oe);
        }
    }
}

proptest! {
    #[test]
    fn normalisation_never_panics_and_maps_to_char_boundaries(text in any::<String>()) {
        check_mapping(&text);
        check_properties(&text);
    }

    #[test]
    fn obfuscated_soup_is_scanned_safely(text in obfuscated_pieces()) {
        check_mapping(&text);
        check_properties(&text);
    }
}
