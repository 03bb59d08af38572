//! The extractor against ten real EWT dev sentences (`ewt-dev-sample.conllu`), whose pairs
//! were worked out by hand from their trees.
use std::path::Path;

use super::*;

const SAMPLE: &str = include_str!("ewt-dev-sample.conllu");

fn sample() -> Vec<Sentence> {
    parse_conllu(SAMPLE, Path::new("ewt-dev-sample.conllu")).unwrap()
}

/// (prefix, good, bad, plural, attractors, distance, construction): one per expected pair.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    usize,
    usize,
    &'static str,
);

const EXPECTED: [Expected; 9] = [
    // "Maybe he doesn't want ...": the multiword token `doesn't` is skipped for its words;
    // `he` hangs from the infinitive `want`, whose aux `does` (VBZ) agrees.
    ("Maybe he", "does", "do", false, 0, 0, "pronoun"),
    // ... "when they want to..": the head itself is VBP.
    (
        "Maybe he does n't want to play when they",
        "want",
        "wants",
        true,
        0,
        0,
        "pronoun",
    ),
    // A copula (`is` hangs from the predicate `weapons`) and one attractor (`lists`), with two
    // stretches between: the PP (nmod) and `this year` (nmod:unmarked).
    (
        "The hottest item on Christmas wish lists this year",
        "is",
        "are",
        false,
        1,
        6,
        "noun+nmod+nmod:unmarked",
    ),
    // Two singular proper nouns between a plural subject and its verb; `only` hangs from the
    // verb.
    (
        "The civilians in the Department of Defense only",
        "know",
        "knows",
        true,
        2,
        6,
        "noun+nmod+advmod",
    ),
    // The contraction `That's`: `'s` is `be` (aux of `overstating`), so its plural is `'re`.
    // "I know" is left out: 1st person.
    ("That", "'s", "'re", false, 0, 0, "pronoun"),
    // A two-word name (`Goodger` is flat): the distance is counted from its last word.
    ("Ben Goodger", "is", "are", false, 0, 0, "proper"),
    // A name with hyphens: `Ash - Sharq al - Awsat` is one subject; `reports` gets its
    // plural from the lemma.
    (
        "Ash - Sharq al - Awsat",
        "reports",
        "report",
        false,
        0,
        0,
        "proper",
    ),
    // ... "that Fallujah was closed": passive subject, past `was` (aux:pass).
    (
        "Ash - Sharq al - Awsat reports that Fallujah",
        "was",
        "were",
        false,
        0,
        0,
        "proper",
    ),
    // "Destiny Allison's metal sculptures were my favorite.": the singular nouns before the
    // subject are no attractors; `Allison's` is a multiword token.
    (
        "Destiny Allison 's metal sculptures",
        "were",
        "was",
        true,
        0,
        0,
        "noun",
    ),
];

type Found = (String, String, String, bool, usize, usize, String);

fn owned(e: &Expected) -> Found {
    (
        e.0.into(),
        e.1.into(),
        e.2.into(),
        e.3,
        e.4,
        e.5,
        e.6.into(),
    )
}

#[test]
fn extracts_the_hand_checked_pairs_of_real_ewt_sentences() {
    let sentences = sample();
    assert_eq!(sentences.len(), 10);
    let e = extract(&sentences);
    let found: Vec<Found> = e
        .pairs
        .iter()
        .map(|p| {
            let prefix = p.prefix.join(" ");
            let (good, bad) = (p.good.clone(), p.bad.clone());
            (
                prefix,
                good,
                bad,
                p.plural,
                p.attractors,
                p.distance,
                p.construction(),
            )
        })
        .collect();
    let expected: Vec<Found> = EXPECTED.iter().map(owned).collect();
    assert_eq!(found, expected);
    assert_eq!(
        e.skipped,
        Skipped {
            // "President Bush on Tuesday nominated ...": the past tense shows no number.
            no_number: 1,
            // "Why were they suddenly acted on Saturday?"
            verb_first: 1,
            // "..., I know."
            first_or_second_person: 1,
            // "Laura and I are Methodists."
            coordinated: 1,
            mismatch: 0,
            nonstandard: 0,
        }
    );
    // The last noun before the verb: `year` (not the attractor `lists`), `Defense` against
    // `civilians`, none before `That 's`, `Awsat` before `reports`, `sculptures`.
    let last: Vec<Option<bool>> = e.pairs.iter().map(|p| p.last_noun).collect();
    let (s, p) = (Some(false), Some(true));
    assert_eq!(last, [None, None, s, s, None, s, s, s, p]);
    let goodger = &e.pairs[5];
    assert_eq!(
        (goodger.subject, goodger.subject_end, goodger.verb),
        (1, 2, 3)
    );
    assert_eq!(e.count(SubjectKind::Noun), 3);
    assert_eq!(e.attracted(SubjectKind::Noun), 2);
    assert_eq!(e.count(SubjectKind::Pronoun), 3);
}

#[test]
fn a_subject_whose_number_contradicts_its_verb_is_left_out() {
    // "Staff were pleasant." from EWT's dev file, with the subject's Number flipped.
    let text = "1\tStaff\tstaff\tNOUN\tNNS\tNumber=Sing\t3\tnsubj\t_\t_\n\
        2\twere\tbe\tAUX\tVBD\tNumber=Plur\t3\tcop\t_\t_\n\
        3\tpleasant\tpleasant\tADJ\tJJ\t_\t0\troot\t_\t_\n";
    let e = extract(&parse_conllu(text, Path::new("t")).unwrap());
    assert!(e.pairs.is_empty());
    assert_eq!(e.skipped.mismatch, 1);
    let e = extract(&parse_conllu(&text.replace("=Sing", "=Plur"), Path::new("t")).unwrap());
    assert_eq!(e.pairs.len(), 1);
    assert_eq!(
        (e.pairs[0].good.as_str(), e.pairs[0].bad.as_str()),
        ("were", "was")
    );
}

#[test]
fn a_verb_not_spelled_as_its_lemma_inflects_is_left_out() {
    // "Its all interesting stuff." from EWT's dev file: `s` is a typo of `'s` (Typo=Yes).
    let text = "1\tIt\tit\tPRON\tPRP\tNumber=Sing|Person=3\t5\tnsubj\t_\t_\n\
        2\ts\tbe\tAUX\tVBZ\tNumber=Sing|Typo=Yes\t5\tcop\t_\tCorrectForm='s\n\
        3\tall\tall\tADV\tRB\t_\t5\tadvmod\t_\t_\n\
        4\tinteresting\tinteresting\tADJ\tJJ\t_\t5\tamod\t_\t_\n\
        5\tstuff\tstuff\tNOUN\tNN\tNumber=Sing\t0\troot\t_\t_\n";
    let e = extract(&parse_conllu(text, Path::new("t")).unwrap());
    assert!(e.pairs.is_empty());
    assert_eq!(e.skipped.nonstandard, 1);
    let e = extract(&parse_conllu(&text.replace("\ts\tbe", "\t's\tbe"), Path::new("t")).unwrap());
    assert_eq!(e.pairs.len(), 1);
    assert_eq!(
        (e.pairs[0].good.as_str(), e.pairs[0].bad.as_str()),
        ("'s", "'re")
    );
}

#[test]
fn both_eval_formats_parse_back_with_every_column() {
    let e = extract(&sample());
    for (form, kind) in [
        (TsvForm::Pairs, crate::FileKind::MinimalPair),
        (TsvForm::Number, crate::FileKind::Number),
    ] {
        let text = write_tsv(&e, form, "ewt-dev-sample.conllu");
        let file = crate::parse_tsv(&text, Path::new("out.tsv")).unwrap();
        assert_eq!(file.kind, kind);
        assert_eq!(file.items.len(), e.pairs.len());
        for (item, pair) in file.items.iter().zip(&e.pairs) {
            let words: Vec<String> = pair.prefix.iter().map(|w| w.to_lowercase()).collect();
            assert_eq!(item.prefix, words);
            assert_eq!(item.attractors, Some(pair.attractors));
            assert_eq!(item.distance, Some(pair.distance));
            assert_eq!(item.construction, Some(pair.construction()));
            let answer = match form {
                TsvForm::Pairs => crate::Answer::Pair {
                    good: pair.good.clone(),
                    bad: pair.bad.clone(),
                },
                TsvForm::Number => crate::Answer::Number {
                    plural: pair.plural,
                },
            };
            assert_eq!(item.answer, answer);
        }
    }
}

#[test]
fn a_prefix_starting_with_a_hash_is_not_read_as_a_comment() {
    let text = "1\t#\t#\tSYM\tNN\tNumber=Sing\t2\tnsubj\t_\t_\n\
        2\tworks\twork\tVERB\tVBZ\tNumber=Sing\t0\troot\t_\t_\n";
    let e = extract(&parse_conllu(text, Path::new("t")).unwrap());
    let file = crate::parse_tsv(&write_tsv(&e, TsvForm::Number, "t"), Path::new("t")).unwrap();
    assert_eq!(file.items.len(), 1);
    assert_eq!(file.items[0].prefix, ["#"]);
}

#[test]
fn the_summary_counts_kinds_attractors_and_what_was_left_out() {
    let text = summary(&extract(&sample()));
    assert!(
        text.starts_with("10 sentences, 9 pairs (6 singular, 3 plural verbs)"),
        "{text}"
    );
    assert!(
        text.contains("noun     subjects:      3 pairs,     2 with >= 1 attractor"),
        "{text}"
    );
    assert!(
        text.contains("1 after their verb, 1 1st/2nd person, 1 coordinated"),
        "{text}"
    );
}

/// The `-s` rule against every present-tense singular verb of EWT's train split (1,368
/// tokens whose lemma is not `be` or `have`): it spells all of them from their lemma but six
/// misspellings or mis-tags of web text.
#[test]
fn the_singular_rule_spells_every_well_formed_vbz_of_ewt_train() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../experiments/data/ud-english-ewt/en_ewt-ud-train.conllu.gz");
    let sentences = read_conllu(&path).unwrap();
    let vbz: Vec<&Word> = sentences
        .iter()
        .flat_map(|s| &s.words)
        .filter(|w| w.xpos == "VBZ" && !["be", "have"].contains(&w.lemma.to_lowercase().as_str()))
        .collect();
    assert_eq!(vbz.len(), 1368);
    let mut missed: Vec<String> = vbz
        .iter()
        .filter(|w| to_singular(&w.lemma.to_lowercase()) != w.form.to_lowercase())
        .map(|w| format!("{}/{}", w.form.to_lowercase(), w.lemma.to_lowercase()))
        .collect();
    missed.sort();
    assert_eq!(
        missed,
        [
            "come/come",
            "enfurates/infuriate",
            "follow/follow",
            "seperates/separate",
            "sez/say",
            "varie$/vary"
        ]
    );
}
