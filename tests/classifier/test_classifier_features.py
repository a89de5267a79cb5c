"""Text features: normalization semantics, batch/alone equality, hashing layout, logits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from service.classifier import ModelError, Sample, lexicon
from service.classifier import features as fx
from service.classifier.model import HEADS, Classifier, load_artifact, make_params

TEXTS = [
    "",
    " ",
    "Check http://cheap-followers.example.com/x?y=1 and WWW.Foo.fr or bit.ly/abc now",
    "Mail me at john.doe+x@mail.example.org, or @johnny on twitter",
    "@USER @USER RT @bob: look URL &#128512; &amp; &lt;b&gt;",
    "y0u stup1d 1d10t!!!!!! l33t h4x0r 1337 a1 b2c",
    "Café, niño, ÀÉÎÕÜ, ＦＵＬＬ１２３ ß İ ſ",
    "soooooo gooood   \t\n  spaces",
    "call 12 or 123 or 12345 or ١٢٣ now",
    "it\u2019s \u201cquoted\u201d #tag",
    "x\x00y\x01\x7f\ud800\udfff\u200b\ufeff\u0301",
    "日本語のコメントです。 مقال رائع",
    "😀" * 50,
    "ab" * fx.MAX_CHARS + " tail",
    "WHY ARE YOU SHOUTING AT EVERYONE HERE???",
    "more at bit[.]ly/x or shop(dot)example(punto)com, hxxps://a[.]example[.]io, t\u3002me/y"
    " or example dot com",
    "{Hi|Hello}! {Great|Nice} post, visit my {site|blog}",
    "F*ck this, SH!T, vete a la m*erda p*ta, a**hole; *so* good! wow! a*b and f***",
    "Support line +1 (844) 555-0123, 24/7. Already 2.100.000.000 views",
]


def test_normalization_semantics() -> None:
    got = fx.normalize_many(TEXTS)
    assert got[0] == got[1] == ""
    assert got[2] == "check xurl and xurl or xurl now"
    assert got[3] == "mail me at xemail , or on twitter"
    assert "user" not in got[4] and "url" not in got[4] and "rt" not in got[4].split()
    assert got[5].startswith("you stupid idiot!! leet haxor 00 a0 b0c")
    assert got[6] == "cafe, nino, aeiou, full00 ss i s"
    assert got[7] == "soo good spaces"
    assert got[8] == "call 0 or 00 or 000 or 00 now"
    assert got[9] == 'it\'s "quoted" tag'
    assert len(got[13]) == fx.MAX_CHARS and set(got[13]) == {"a", "b"}
    assert got[17] == (
        "fuck this, shit, vete a la mierda puta, asshole; *so* good! wow! a*b and fck"
    )


@pytest.mark.parametrize("small", [0, 10**9])
def test_batch_paths_agree_with_one_at_a_time(monkeypatch: pytest.MonkeyPatch, small: int) -> None:
    # Large batches go through numpy, short input through regexes: same output either way.
    expected_text = [fx.normalize(t) for t in TEXTS]
    expected_shape = [fx.shape_tokens([t])[0] for t in TEXTS]
    monkeypatch.setattr(fx, "_SMALL", small)
    assert fx.normalize_many(TEXTS) == expected_text
    assert fx.shape_tokens(TEXTS) == expected_shape
    assert fx.normalize_many(TEXTS * 3) == expected_text * 3


def test_shape_tokens() -> None:
    tokens = fx.shape_tokens(TEXTS)
    # Only what stands out gets a token: nothing for an ordinary or empty text.
    assert tokens[0] == [] and fx.shape_tokens(["I disagree with this policy."]) == [[]]
    assert tokens[13] == ["shape:length:xl"]
    assert "shape:links:3+" in tokens[2] and "link:domain:bit.ly" in tokens[2]
    assert "shape:repeated-characters" in tokens[5] and "shape:repeated-punctuation" in tokens[5]
    assert "shape:capitals:most" in tokens[14]


def test_links_written_to_get_past_filters_count_as_links() -> None:
    text = TEXTS[15]
    assert fx.normalize(text) == "more at xurl or xurl , xurl xurl or xurl"
    (tokens,) = fx.shape_tokens([text])
    assert "shape:hidden-link" in tokens and "shape:links:3+" in tokens
    assert {"link:domain:bit.ly", "link:domain:t.me"} <= set(tokens)
    # A plain link is a link, not a hidden one; brackets and words that hide no link stay.
    assert fx.shape_tokens(["see https://cheap-pills.net"]) == [
        ["shape:links:1", "link:domain:cheap-pills.net", "link:tld:net"]
    ]
    assert fx.normalize("The dot is [sic] (here). Dot com bubble") == (
        "the dot is [sic] (here). dot com bubble"
    )
    assert fx.shape_tokens(["The dot is [sic] (here). Dot com bubble"]) == [[]]


def test_placeholder_domains_count_as_links_without_a_domain() -> None:
    # "example.com" and its kin are what corpora are written with; no real comment links
    # there, so a weight for them would learn only who wrote which rows.
    for text in ("see https://shop.example.com/x", "see www.example.es", "https://a.example/x"):
        assert fx.shape_tokens([text]) == [["shape:links:1"]]
    (tokens,) = fx.shape_tokens(["https://shop.example.com and https://deals.example.net/b"])
    assert tokens == ["shape:links:2"]


def test_links_to_public_institutions_and_reference_works_share_a_token() -> None:
    public = (
        "Source: https://www.census.gov/data",
        "los datos en bcra.gob.ar/estadisticas",
        "see www.ox.ac.uk/admissions",
        "https://es.wikipedia.org/wiki/Corralito",
        "https://doi.org/10.1000/182",
    )
    for text in public:
        assert "link:public-reference" in fx.shape_tokens([text])[0], text
    # Bare .gov and .edu addresses are links too.
    assert fx.normalize("the table at census.gov/x") == "the table at xurl"
    for text in ("https://bit.ly/x", "cheap-gov-loans.com", "https://govdeals.net", "aemet.es"):
        assert "link:public-reference" not in fx.shape_tokens([text])[0], text
    # One token, however many such links.
    (tokens,) = fx.shape_tokens(["https://census.gov and https://bls.gov"])
    assert tokens.count("link:public-reference") == 1
    assert fx.token_name("link:public-reference").startswith("(link to a public")


def test_link_and_email_patterns_are_bounded_like_dns() -> None:
    # Labels of at most 63 characters, at most 10 of them: what keeps the patterns linear on
    # runs of dotted words (bench_classifier.py --only speed prints their cost).
    assert fx.normalize("see " + "a" * 63 + ".com now") == "see xurl now"
    assert "xurl" not in fx.normalize("see " + "a" * 64 + ".com now")
    assert fx.normalize("mail " + "b" * 64 + "@example.org") == "mail xemail"
    # A longer chain still holds a link: its last labels.
    assert "xurl" in fx.normalize(".".join("abcdefghijkl") + ".com")
    # Dotted words that end in no known domain are words.
    assert "xurl" not in fx.normalize("a." * 1000 + " ok")


def test_spam_template_markup_gets_a_token() -> None:
    assert "shape:spintax" in fx.shape_tokens(TEXTS)[16]
    # One group is code or an aside, not a spam tool's template.
    assert fx.shape_tokens(["In Rust, match x {A|B => 1}; easy."]) == [[]]
    assert fx.token_name("shape:spintax") == "(spam-template markup {a|b})"


def test_phone_numbers_get_a_token() -> None:
    assert "shape:phone-number" in fx.shape_tokens(TEXTS)[-1]
    for text in (
        "Call our helpline at +1-800-555-0142 now",
        "Llame al 900 555 014 para asistencia",
        "WhatsApp +34 611 555 013",
        "ring 0800.555.0147 today",
        "text me on 07700900123",
    ):
        assert fx.shape_tokens([text]) == [["shape:phone-number"]], text
    # Amounts, dates, short numbers, handles and numbers inside links are not phone numbers.
    for text in (
        "Now at 1,884,034,783 views, or 2.100.000.000 in Spanish",
        "Published 2024-03-17, updated 17/03/2024",
        "I paid 350 and then 1200 more",
        "@100046729 lol",
        "read https://example.org/news/2024/123456789012 first",
    ):
        assert "shape:phone-number" not in fx.shape_tokens([text])[0], text
    assert fx.token_name("shape:phone-number") == "(phone number)"


def test_phrases_of_intimidation_count_as_one_shared_phrase() -> None:
    texts = fx.normalize_many(
        [
            "We KNOW where you live. Watch your back.",
            "Sabemos dónde vives; te tenemos fichado.",
            "we're coming for you",
            "Who will pay for this? I know where you stand.",
        ]
    )
    hashed = fx.hash_texts(texts, spans=True)
    in_class = hashed.bucket == fx.INTIMIDATION_BUCKET
    counts = np.bincount(hashed.doc[in_class], minlength=4) // fx.CLASS_COUNT
    # Overlapping phrases ("we're coming for you", "coming for you") count once.
    assert counts.tolist() == [2, 2, 1, 0]
    at = np.flatnonzero(in_class)
    spans = {hashed.text[hashed.start[i] : hashed.start[i] + hashed.length[i]] for i in at}
    assert spans == {
        "know where you live",
        "watch your back",
        "sabemos donde vives",
        "te tenemos fichado",
        "we're coming for you",
    }
    # After the words' class: the word n-grams keep their places for site retraining.
    assert set(hashed.parts[-1][1].tolist()) == {fx.INTIMIDATION_BUCKET}
    assert np.all(np.diff(hashed.parts[-1][0]) >= 0)
    # A phrase never spans two comments.
    _never_across_comments("I know where", "you live now", fx.INTIMIDATION_BUCKET)


def _never_across_comments(first: str, second: str, bucket: int) -> None:
    """Words that would match `bucket` together, split over two comments, do not."""
    assert bucket not in fx.hash_texts(fx.normalize_many([first, second])).bucket


def _pseudo_word(texts: list[str], bucket: int) -> tuple[fx.Hashed, list[int], set[str]]:
    """The texts hashed with spans, how often each matched the pseudo-word `bucket`, and the
    words that matched."""
    hashed = fx.hash_texts(fx.normalize_many(texts), spans=True)
    at = np.flatnonzero(hashed.bucket == bucket)
    counts = np.bincount(hashed.doc[at], minlength=len(texts)) // fx.CLASS_COUNT
    words = {hashed.text[hashed.start[i] : hashed.start[i] + hashed.length[i]] for i in at}
    return hashed, counts.tolist(), words


def test_an_insult_aimed_at_you_counts_as_one_shared_word() -> None:
    texts = [
        "You're the DUMBEST person on this blog, you idiot.",
        "Joder, qué tonto eres.",
        "Cállate, ignorante.",
        "This law is stupid and the minister is a clown.",
        "Thank you. Stupid me, I forgot the link.",
        "You should read the report; it is all there, stupid as the headline is.",
        "You're not stupid, the form is badly designed.",
        "No eres tonto por preguntar.",
        "Your argument is stupid and you know it.",
        "Your plan is stupid.",
        "Te parecerá tonto, pero funciona.",
        "Vos sos un bobo, Facundo.",
        "No sos tonta por preguntar.",
    ]
    hashed, counts, words = _pseudo_word(texts, fx.AIMED_INSULT_BUCKET)
    # Mild words judge ideas unless aimed at someone. A sentence's end, a distance of more
    # than AIM_WINDOW words, a conjunction or a negation parts them from "you"; "your" names
    # a thing of yours, and "te" to whom something seems, not who is insulted.
    assert counts == [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert words == {"dumbest", "idiot", "tonto", "ignorante", "bobo"}
    # Its own part, after the classes': the word n-grams keep their places.
    assert set(hashed.parts[-1][1].tolist()) == {fx.AIMED_INSULT_BUCKET}
    _never_across_comments("thank you", "stupid rule", fx.AIMED_INSULT_BUCKET)


def test_a_group_called_vermin_counts_as_one_shared_word() -> None:
    texts = [
        "Jews are rats in suits.",
        "They're vermin, every one of them.",
        "Los inmigrantes son ratas, todos.",
        "Rats are everywhere in the subway since the bins were moved.",
        "Refugees were treated like animals in those camps.",
        "Immigrants are not vermin.",
        "No son ratas, son personas.",
        "Los refugiados no son alimañas.",
        "They are hungry. Animals in the zoo eat better.",
        "My neighbours are kind and rats live under their shed.",
        "Squirrels are vermin in my garden.",
        "Los perros son animales, no juguetes.",
    ]
    hashed, counts, words = _pseudo_word(texts, fx.CALLED_VERMIN_BUCKET)
    # Only after "are" / "son": the animal named as the subject, or people compared "like
    # animals", does not count; nor does a negation, a sentence's end or a conjunction; nor
    # an animal said to be one, in the literal sense.
    assert counts == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert words == {"rats", "vermin", "ratas"}
    # Its own part, after the aimed insult's: the word n-grams keep their places.
    assert set(hashed.parts[-1][1].tolist()) == {fx.CALLED_VERMIN_BUCKET}
    _never_across_comments("they are", "rats", fx.CALLED_VERMIN_BUCKET)


def test_harm_wished_on_someone_counts_as_one_shared_word() -> None:
    texts = [
        "I hope you die slowly.",
        "You deserve to rot, honestly.",
        "Ojalá te mueras.",
        "Ojalá te atropelle un camión.",
        "Die in a fire. Just go die already.",
        "kys",
        "Tírate de un puente.",
        "I hope the bill dies in committee.",
        "I hope nobody else dies on that road.",
        "I hope you don't burn out.",
        "Ojalá no muera nadie más.",
        "Espero que la ley muera en el Senado.",
        "I hope you do well. People die on that road.",
        "Don't kill yourself over the deadline.",
        "If you are terminally ill, you deserve to die with dignity.",
        "Espero que te mueras de envidia con las fotos.",
    ]
    hashed, counts, words = _pseudo_word(texts, fx.WISHED_HARM_BUCKET)
    # English wishes harm on "you", not on a thing; Spanish says whom by the verb's form or
    # "te". A negation parts them, and so does a sentence's end; "kill yourself" alone is an
    # idiom too often to count, and so are dying with dignity and "de envidia".
    assert counts == [1, 1, 1, 1, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert words == {
        "die",
        "rot",
        "mueras",
        "atropelle",
        "go die",
        "die in a fire",
        "kys",
        "tirate de un puente",
    }
    _never_across_comments("I hope you", "die", fx.WISHED_HARM_BUCKET)


def test_a_group_told_to_leave_the_country_counts_as_one_shared_word() -> None:
    texts = [
        "Go back to your own country, all of you.",
        "Que se vuelvan a su país.",
        "Largaos de vuestra tierra.",
        "Send them all back where they came from.",
        "Que se vayan por donde vinieron.",
        "I moved back to my country after ten years abroad.",
        "Young people leave their country because there are no jobs.",
        "Companies move jobs out of the country.",
        "The economy of their country is collapsing.",
        "Quieren volver a su país cuando acabe la guerra.",
        "Mi hermano estudia fuera de su país.",
        "Nobody went back. Their country was at war.",
    ]
    hashed, counts, words = _pseudo_word(texts, fx.TOLD_TO_LEAVE_BUCKET)
    # A homeland with "your" or "su" and a verb of sending back before it, or the stock
    # phrase; not one's own journey back, nor leaving, nor a country merely named, nor "fuera"
    # (abroad), nor a sentence's end between.
    assert counts == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert words == {"country", "pais", "tierra", "back where _ came from", "por donde vinieron"}
    _never_across_comments("go back to your", "country", fx.TOLD_TO_LEAVE_BUCKET)


def test_aimed_insult_words_are_listed_apart_from_the_classes() -> None:
    # The mild words stay out of every class ("a stupid law"); "you" words are no insult.
    listed = frozenset().union(*fx.WORD_CLASSES.values(), lexicon.PROFANITY)
    assert not lexicon.MILD_INSULT & listed
    assert not lexicon.SECOND_PERSON & (listed | lexicon.MILD_INSULT)
    lists = (
        lexicon.MILD_INSULT,
        lexicon.SECOND_PERSON,
        lexicon.NEGATION,
        lexicon.CONJUNCTION,
        lexicon.DEHUMANIZING,
        lexicon.BEING_PLURAL,
        lexicon.ANIMALS,
        lexicon.HARM_WISHED_EN,
        lexicon.HARM_WISHED_ES_YOU,
        lexicon.HARM_WISHED_ES,
        lexicon.WISHING,
        lexicon.ADDRESSEE,
        lexicon.ADDRESSEE_ES,
        lexicon.HARM_URGED_WORDS,
        lexicon.HARMLESS_AFTER,
    )
    for words in lists:
        assert all(w == fx.normalize(w) and w.isalpha() for w in words)


def test_hash_layout() -> None:
    texts = fx.normalize_many(TEXTS)
    hashed = fx.hash_texts(texts, fx.shape_tokens(TEXTS))
    # Character and word n-grams, then the word classes' part ("idiot", "asshole"), then the
    # insults aimed at "you" ("you idiot").
    assert len(hashed.parts) == len(fx.CHAR_NGRAMS) + len(fx.WORD_NGRAMS) + 2
    for docs, buckets in hashed.parts:
        assert docs.dtype == buckets.dtype == np.int64
        assert np.all(np.diff(docs) >= 0)  # scoring relies on documents in order
        assert np.all((buckets >= 0) & (buckets < fx.N_TEXT_FEATURES))
    docs, buckets = hashed.meta
    assert np.all(buckets >= fx.N_TEXT_FEATURES) and np.all(buckets < fx.N_FEATURES)
    fx._TOKEN_BUCKETS.clear()  # cached and freshly hashed tokens land in the same buckets
    again = fx.hash_texts(texts, fx.shape_tokens(TEXTS))
    assert np.array_equal(again.meta[1], buckets)


def test_masked_swear_words_are_read_as_the_word() -> None:
    got = fx.normalize_many(
        ["f**king idiots", "sh!!t", "que p*to asco", "ok*", "x*y*z", "Hola!! Que tal"]
    )
    # Each mark stands for one letter (runs are two at most after normalization, so a run
    # may stand for a few); a mask that fits no listed word is left alone.
    assert got == [
        "fucking idiots",
        "shit",
        "que puto asco",
        "ok*",
        "x*y*z",
        "hola!! que tal",
    ]


def test_letters_disguised_to_slip_past_filters_are_read_plainly() -> None:
    got = fx.normalize_many(
        [
            "You are an id\u200biot and a s\u00adtupid troll",  # zero-width space, soft hyphen
            "Buy \u0441heap v\u0456agra onl\u0456ne",  # Cyrillic "с" and "і" in Latin words
            "\U0001d401\U0001d42e\U0001d432 now",  # mathematical bold "Buy"
            "you s t u p i d troll, buy v.i.a.g.r.a, i-d-i-o-t",
            "the u.s.a. and a b c, plan a, b or c",  # fewer than four letters: left alone
            "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?",
            "line\u2028break",
        ]
    )
    assert got[0] == "you are an idiot and a stupid troll"
    assert got[1] == "buy cheap viagra online"
    assert got[2] == "buy now"
    assert got[3] == "you stupid troll, buy viagra, idiot"
    assert got[4] == "the u.s.a. and a b c, plan a, b or c"
    # A Cyrillic comment is not read as Latin: only a text of mostly Latin letters is.
    assert (
        got[5]
        == "\u043f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?"
    )
    assert got[6] == "line break"
    # Styled letters hold links and capitals like plain ones.
    styled = "".join(chr(0x1D41A + ord(c) - 97) if c.isalpha() else c for c in "see bit.ly/x")
    assert fx.normalize(styled) == "see xurl"
    (tokens,) = fx.shape_tokens([styled])
    assert "link:domain:bit.ly" in tokens
    assert fx.normalize("\uff42\uff55\uff59 \u24dd\u24de\u24e6") == "buy now"  # fullwidth, circled


def test_word_classes_are_disjoint_normalized_words() -> None:
    classes = [*fx.WORD_CLASSES.values(), lexicon.PROFANITY]
    for i, words in enumerate(classes):
        assert words and all(w == fx.normalize(w) and w.isalpha() for w in words)
        for other in classes[i + 1 :]:
            assert not words & other
    # Words with a common harmless sense stay out of every class: the Spanish colour, group
    # names, animals, and ordinary political labels, however heated.
    listed = frozenset().union(*classes)
    for word in (
        "negro",
        "gay",
        "jew",
        "musulman",
        "gitano",
        "liberal",
        "facha",
        "rojo",
        "perro",
        "rata",
        "ass",
        "damn",
        "stupid",
        "traitor",
        "clown",
        "basura",
    ):
        assert word not in listed


@pytest.mark.parametrize(
    ("text", "bucket", "word"),
    [
        ("what a cretin", "INSULT_BUCKET", "cretin"),
        ("menudo gilipollas", "INSULT_BUCKET", "gilipollas"),
        ("go home, sudaca", "SLUR_BUCKET", "sudaca"),
        ("you p*ssy d*uche", "INSULT_BUCKET", "douche"),
    ],
)
def test_abusive_words_count_as_their_class(text: str, bucket: str, word: str) -> None:
    hashed = fx.hash_texts(fx.normalize_many([text]), spans=True)
    at = np.flatnonzero(hashed.bucket == getattr(fx, bucket))
    assert at.shape[0] == fx.CLASS_COUNT
    assert {hashed.text[hashed.start[i] : hashed.start[i] + hashed.length[i]] for i in at} == {word}
    others = {fx.VIOLENCE_BUCKET, fx.INSULT_BUCKET, fx.SLUR_BUCKET}
    assert not np.isin(hashed.bucket, list(others - {getattr(fx, bucket)})).any()


def test_profanity_is_not_pooled() -> None:
    # Swearing names no one: its words (masked or not) keep their own n-grams only.
    texts = fx.normalize_many(["what a load of bullsh*t", "qué puta vergüenza de ley"])
    hashed = fx.hash_texts(texts)
    assert texts[0] == "what a load of bullshit"
    assert len(hashed.parts) == len(fx.CHAR_NGRAMS) + len(fx.WORD_NGRAMS)


def test_words_of_a_class_also_count_as_the_class() -> None:
    texts = fx.normalize_many(
        ["I will STAB you", "te voy a apuñalar y a matarte", "gas prices; hang out", "st4bbing"]
    )
    hashed = fx.hash_texts(texts)
    in_class = hashed.bucket == fx.VIOLENCE_BUCKET
    counts = np.bincount(hashed.doc[in_class], minlength=4) // fx.CLASS_COUNT
    assert counts.tolist() == [1, 2, 0, 1]
    # The class comes after the word n-grams, which keep their places for site retraining.
    assert len(hashed.parts) == len(fx.CHAR_NGRAMS) + len(fx.WORD_NGRAMS) + 1
    assert set(hashed.parts[-1][1].tolist()) == {fx.VIOLENCE_BUCKET}
    # An explanation credits the class's weight to the word that carries it.
    one = fx.hash_texts([texts[0]], spans=True)
    at = np.flatnonzero(one.bucket == fx.VIOLENCE_BUCKET)[0]
    assert one.text[one.start[at] : one.start[at] + one.length[at]] == "stab"


def test_a_short_comment_is_divided_by_the_floor_not_by_its_own_norm() -> None:
    # Over its own small norm, each word of a short comment weighed as much as a long
    # comment's whole text; under the floor a short comment's n-grams weigh less.
    idf = np.full(fx.N_FEATURES, 10.0, dtype=np.float32)  # about a large corpus's idf
    short, long = "Nice post.", " ".join(["The council voted on the budget again."] * 5)
    hashed = fx.hash_texts(fx.normalize_many([short, long]))
    squares = np.bincount(hashed.doc, minlength=2) * 100.0
    assert squares[0] < fx.NORM_FLOOR < squares[1]
    X = fx.weighted_matrix(hashed, idf).toarray().astype(np.float64)
    # Each occurrence of the short comment is idf over the floor's root, not over its own norm.
    np.testing.assert_allclose(X[0][X[0] > 0], 10.0 / np.sqrt(fx.NORM_FLOOR), rtol=1e-6)
    # Its own norm would have made this 1 (the short comment repeats no n-gram).
    assert (X[0] ** 2).sum() == pytest.approx(squares[0] / fx.NORM_FLOOR, rel=1e-5)
    # The long one has its own unit norm (at least 1 once repeated n-grams are summed).
    assert (X[1] ** 2).sum() >= 1.0 - 1e-6
    assert fx.text_norms(np.zeros(1))[0] > 0  # a text without n-grams divides by the floor


@pytest.mark.parametrize("heads", [2, 5])
def test_logits_match_the_weighted_matrix(heads: int) -> None:
    rng = np.random.default_rng(0)
    params = {
        "version": "test",
        "idf": rng.uniform(1, 5, fx.N_FEATURES).astype(np.float32),
        "coef": rng.normal(0, 1, (fx.N_FEATURES, heads)).astype(np.float32),
        "intercept": rng.normal(0, 1, heads),
        "calibration": np.ones((heads, 2)),
    }
    clf = Classifier(params)
    samples = [Sample(t, email="a@b.example.com" if i % 2 else "") for i, t in enumerate(TEXTS)]
    hashed = clf._hash(samples)
    got = clf._logits(hashed)
    matrix = fx.weighted_matrix(hashed, params["idf"]).astype(np.float64)
    expected = matrix @ params["coef"].astype(np.float64) + params["intercept"]
    assert got.shape == (len(samples), heads)
    assert clf._logits(clf._hash([])).shape == (0, heads)
    # weighted_matrix sums repeated n-grams in float32: close, not equal, on the long text.
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3)
    for i, sample in enumerate(samples):
        np.testing.assert_allclose(clf._logits(clf._hash([sample]))[0], got[i], atol=1e-9)


@pytest.mark.parametrize("version", [None, fx.FEATURE_VERSION + 1])
def test_artifact_for_other_features_is_refused(tmp_path: Path, version: int | None) -> None:
    params = make_params(
        "t-1",
        idf=np.ones(fx.N_FEATURES, dtype=np.float32),
        coef=np.zeros((fx.N_FEATURES, len(HEADS)), dtype=np.float32),
        intercept=np.zeros(len(HEADS)),
        calibration=np.tile([1.0, 0.0], (len(HEADS), 1)),
    )
    assert params["feature_version"] == fx.FEATURE_VERSION
    sio.dump(params, tmp_path / "ok.skops")
    load_artifact(tmp_path / "ok.skops")
    if version is None:  # written before artifacts named their features: version 1
        del params["feature_version"]
    else:
        params["feature_version"] = version
    sio.dump(params, tmp_path / "other.skops")
    with pytest.raises(ModelError, match="built for other text features"):
        load_artifact(tmp_path / "other.skops")


def test_large_batches_are_scored_in_chunks_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.classifier import model

    rng = np.random.default_rng(1)
    params = {
        "version": "test",
        "idf": rng.uniform(1, 5, fx.N_FEATURES).astype(np.float32),
        "coef": rng.normal(0, 1, (fx.N_FEATURES, 2)).astype(np.float32),
        "intercept": np.zeros(2),
        "calibration": np.ones((2, 2)),
    }
    clf = Classifier(params)
    samples = [Sample(t) for t in TEXTS]
    whole = clf.logits(samples)
    monkeypatch.setattr(model, "SCORING_CHUNK", 4)
    np.testing.assert_allclose(clf.logits(samples), whole, atol=1e-9)
