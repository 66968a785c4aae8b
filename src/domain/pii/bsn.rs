//! Dutch citizen service numbers (burgerservicenummer).

use super::*;

pub(super) fn bsns(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for start in run_starts(b) {
        let (groups, sep) = chain(b, start, b". -/", 3);
        let first_end = groups[0].1;
        if first_end - start == 9
            && free_before(text, start)
            && free_after(text, first_end)
            && eleven_test(&chain_digits(b, &groups[..1]))
        {
            out.push(Finding { kind: PiiKind::Bsn, start, end: first_end });
        }
        let sizes: Vec<usize> = groups.iter().map(|&(s, e)| e - s).collect();
        if sizes != [3, 3, 3] && sizes != [4, 2, 3] {
            continue;
        }
        let end = groups[2].1;
        if !continues_left(b, start, sep)
            && free_before(text, start)
            && free_after(text, end)
            && eleven_test(&chain_digits(b, &groups))
        {
            out.push(Finding { kind: PiiKind::Bsn, start, end });
        }
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), not all zeros.
pub(super) fn eleven_test(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 =
        d[..8].iter().zip((2..=9).rev()).map(|(&x, w)| i32::from(x) * w).sum::<i32>() - i32::from(d[8]);
    sum.rem_euclid(11) == 0
}
