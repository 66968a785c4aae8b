//! Payment card numbers.

use super::*;

pub(super) fn cards(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for start in run_starts(b) {
        let (groups, sep) = chain(b, start, b" -./", 6);
        if groups.len() > 6 || continues_left(b, start, sep) {
            continue;
        }
        let sizes: Vec<usize> = groups.iter().map(|&(s, e)| e - s).collect();
        let n: usize = sizes.iter().sum();
        if !(13..=19).contains(&n) {
            continue;
        }
        if let [first, middle @ .., last] = sizes.as_slice()
            && (*first != 4 || middle.iter().any(|m| !(4..=6).contains(m)) || !(1..=6).contains(last))
        {
            continue;
        }
        let end = groups[groups.len() - 1].1;
        if !free_before(text, start) || !free_after(text, end) {
            continue;
        }
        let d = chain_digits(b, &groups);
        if plausible_iin(&d) && d.iter().any(|&x| x != d[0]) && luhn(&d) {
            out.push(Finding { kind: PiiKind::CardNumber, start, end });
        }
    }
}

/// The issuer prefix fits a card network, and the length fits that network.
fn plausible_iin(d: &[u8]) -> bool {
    let n = d.len();
    let p2 = u32::from(d[0]) * 10 + u32::from(d[1]);
    let p4 = p2 * 100 + u32::from(d[2]) * 10 + u32::from(d[3]);
    match d[0] {
        4 => matches!(n, 13 | 16 | 19),
        3 => match p2 {
            34 | 37 => n == 15,
            30 | 35 | 36 | 38 | 39 => (14..=19).contains(&n),
            _ => false,
        },
        5 if (51..=55).contains(&p2) => n == 16,
        5 | 6 => (13..=19).contains(&n),
        2 => (2221..=2720).contains(&p4) && n == 16,
        _ => false,
    }
}

pub(super) fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 { if x * 2 > 9 { x * 2 - 9 } else { x * 2 } } else { x }
        })
        .sum();
    sum.is_multiple_of(10)
}
