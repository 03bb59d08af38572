//! English present-tense (and `be`'s past) number inflection: the wrong form of a minimal
//! pair is the verb the subject's other number would take (Linzen, Dupoux & Goldberg 2016
//! built their pairs the same way: "the keys to the cabinet [are|*is]").
//!
//! Third-person singular from the plural (base) form follows the spelling rules of English
//! `-s` (Quirk et al. 1985, §3.5): `-ies` after a consonant + `y` (`try` → `tries`), `-es` after
//! a sibilant spelled s, x, z, ch or sh (`watch` → `watches`), `-s` otherwise; a table holds
//! the verbs that do not follow them (`be`, `have`, `do`, `go` and the contracted `'re`/`'ve`).
//! The plural from the singular uses the treebank's lemma when there is one (the base form is
//! the plural form for every verb but `be`), else undoes the same spelling rules.

/// Irregular pairs: (singular, plural). `'s` is both `is` and `has`, so it is resolved by the
/// lemma in [`to_plural`]; from the plural side `'re` and `'ve` both give `'s`.
const IRREGULAR: [(&str, &str); 6] = [
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("does", "do"),
    ("goes", "go"),
    ("'s", "'re"),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The third-person singular of a plural (base) verb form: `are` → `is`, `try` → `tries`,
/// `watch` → `watches`, `like` → `likes`. Lower-case in, lower-case out.
pub fn to_singular(plural: &str) -> String {
    if let Some((sg, _)) = IRREGULAR.iter().find(|(_, pl)| *pl == plural) {
        return sg.to_string();
    }
    match plural {
        "'ve" => return "'s".into(),
        "am" => return "is".into(),
        _ => {}
    }
    let mut chars = plural.chars().rev();
    let (last, before) = (chars.next(), chars.next());
    if last == Some('y') && before.is_some_and(|c| c.is_alphabetic() && !is_vowel(c)) {
        return format!("{}ies", &plural[..plural.len() - 1]);
    }
    let sibilant = ["s", "x", "z", "ch", "sh"];
    if sibilant.iter().any(|end| plural.ends_with(end)) {
        return format!("{plural}es");
    }
    format!("{plural}s")
}

/// The plural form of a third-person singular verb: `is` → `are`, `'s` → `'re` or `'ve` (by
/// `lemma`: `be` or `have`), otherwise the lemma when given (`tries`/`try` → `try`), else the
/// spelling rules undone: `-ies` → `-y`, `-es` after s, x, z, ch, sh → drop `es`, `-s` → drop
/// it. Lower-case in, lower-case out.
pub fn to_plural(singular: &str, lemma: Option<&str>) -> String {
    if singular == "'s" {
        return if lemma == Some("have") { "'ve" } else { "'re" }.into();
    }
    if let Some((_, pl)) = IRREGULAR.iter().find(|(sg, _)| *sg == singular) {
        return pl.to_string();
    }
    if let Some(lemma) = lemma.filter(|l| !l.is_empty() && *l != "_" && *l != "be") {
        return lemma.to_lowercase();
    }
    if let Some(stem) = singular.strip_suffix("ies") {
        if stem.len() > 1 {
            return format!("{stem}y");
        }
    }
    if let Some(stem) = singular.strip_suffix("es") {
        if ["ss", "x", "z", "ch", "sh"]
            .iter()
            .any(|end| stem.ends_with(end))
        {
            return stem.to_string();
        }
    }
    singular
        .strip_suffix('s')
        .filter(|s| !s.is_empty())
        .unwrap_or(singular)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_verbs_go_both_ways() {
        for (sg, pl) in [
            ("is", "are"),
            ("was", "were"),
            ("has", "have"),
            ("does", "do"),
            ("goes", "go"),
        ] {
            assert_eq!(to_singular(pl), sg);
            assert_eq!(to_plural(sg, None), pl);
            // The lemma of `is` and `are` is `be`, which is no verb form of either.
            assert_eq!(to_plural(sg, Some(if sg == "is" { "be" } else { pl })), pl);
        }
        assert_eq!(to_plural("'s", Some("be")), "'re");
        assert_eq!(to_plural("'s", Some("have")), "'ve");
        assert_eq!(to_singular("'re"), "'s");
        assert_eq!(to_singular("'ve"), "'s");
    }

    #[test]
    fn regular_spelling_rules() {
        for (pl, sg) in [
            ("try", "tries"),
            ("carry", "carries"),
            ("play", "plays"),
            ("watch", "watches"),
            ("wish", "wishes"),
            ("fix", "fixes"),
            ("buzz", "buzzes"),
            ("pass", "passes"),
            ("like", "likes"),
            ("need", "needs"),
        ] {
            assert_eq!(to_singular(pl), sg, "{pl}");
            assert_eq!(to_plural(sg, None), pl, "{sg}");
            assert_eq!(to_plural(sg, Some(pl)), pl, "{sg}");
        }
    }

    #[test]
    fn the_lemma_settles_what_the_spelling_cannot() {
        // `uses` looks like `-es` after s, `dies` like `-ies` after a consonant.
        assert_eq!(to_plural("uses", Some("use")), "use");
        assert_eq!(to_plural("dies", Some("die")), "die");
        assert_eq!(to_plural("Says", Some("Say")), "say");
    }
}
