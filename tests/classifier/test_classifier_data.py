"""Format detection and label mapping, on small files in each format and on the public sets."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from service.classifier.data import DataError, load_file, load_path
from service.classifier.features import hash_texts, normalize, normalize_many


def test_youtube_format(tmp_path: Path) -> None:
    path = tmp_path / "Youtube09-Test.csv"
    path.write_text(
        '"COMMENT_ID","AUTHOR","DATE","CONTENT","CLASS"\n'
        'a,Ann,2014-01-01,"check my channel",1\nb,Bob,2014-01-01,"nice song",0\n'
    )
    d = load_file(path)
    assert d.source == "youtube" and d.texts == ["check my channel", "nice song"]
    assert d.spam.tolist() == [1, 0] and d.abuse.tolist() == [0, 0]
    assert load_path(tmp_path)[0].name == "youtube_spam/Youtube09-Test.csv"


def test_sms_format(tmp_path: Path) -> None:
    path = tmp_path / "SMSSpamCollection"
    path.write_text("ham\tsee you later\nspam\tWIN a prize, txt 80082\n")
    d = load_path(tmp_path)[0]
    assert d.source == "sms" and d.spam.tolist() == [0, 1]


def test_davidson_mapping(tmp_path: Path) -> None:
    path = tmp_path / "labeled_data.csv"
    path.write_text(
        ",count,hate_speech,offensive_language,neither,class,tweet\n"
        "0,3,3,0,0,0,hateful\n1,3,0,3,0,1,profane\n2,3,0,0,3,2,fine\n"
    )
    d = load_file(path)
    assert d.abuse[0] == 1 and math.isnan(d.abuse[1]) and d.abuse[2] == 0


def test_olid_mapping(tmp_path: Path) -> None:
    path = tmp_path / "olid-training-v1.0.tsv"
    path.write_text(
        "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\t@USER idiot\tOFF\tTIN\tIND\n"
        "2\tdamn it URL\tOFF\tUNT\tNULL\n3\tnice\tNOT\tNULL\tNULL\n"
    )
    d = load_file(path)
    assert d.abuse[0] == 1 and math.isnan(d.abuse[1]) and d.abuse[2] == 0


def test_olid_test_set_needs_its_labels(tmp_path: Path) -> None:
    (tmp_path / "testset-levela.tsv").write_text("id\ttweet\n7\tyou fool\n8\thello\n")
    (tmp_path / "labels-levela.csv").write_text("7,OFF\n8,NOT\n")
    d = load_file(tmp_path / "testset-levela.tsv")
    assert d.abuse.tolist() == [1, 0] and d.raw["subtask_a"] == ["OFF", "NOT"]


def test_generic_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "site.jsonl"
    path.write_text('{"text": "hi", "spam": 0, "abuse": false}\n{"text": "buy", "spam": 1}\n')
    d = load_file(path)
    assert d.spam.tolist() == [0, 1] and d.abuse[0] == 0 and math.isnan(d.abuse[1])


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "no rows"), ("a,b\n1,2\n", "'text' column"), ("text,label\nx,eggs\n", "label must")],
)
def test_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        load_file(path)


def test_missing_path() -> None:
    with pytest.raises(DataError, match="no such file"):
        load_path(Path("/nonexistent/data.csv"))


def test_seed_corpus_loads(seed_csv: Path) -> None:
    d = load_file(seed_csv)
    assert d.source == "seed" and len(d) >= 400
    assert set(d.raw["label"]) == {"ham", "spam", "abuse"}
    assert not any(math.isnan(v) for v in d.spam)


def test_public_folders_load(shared_data: Path) -> None:
    sizes = {
        "youtube_spam": 1956,
        "sms_spam": 5574,
        "davidson_offensive": 24783,
        "olid": 13240,
    }
    for folder, rows in sizes.items():
        assert sum(len(d) for d in load_path(shared_data / folder)) == rows


def test_normalization_removes_corpus_artifacts_and_accents() -> None:
    assert normalize("@USER @USER Go home URL #MAGA") == "go home maga"
    assert normalize("RT @someone: Él es IDIOTA!!!!!!") == ": el es idiota!!"
    assert normalize("mail me: a.b@example.com or www.example.com/x") == "mail me: xemail or xurl"
    assert normalize("call 0800123456 now, 2 for 1") == "call 000 now, 0 for 0"
    assert normalize("st00p1d 1d10t") == "stoopid idiot"
    assert normalize_many(["a", "", "b"]) == ["a", "", "b"]


def test_words_that_only_say_which_ones_become_one_mark() -> None:
    # Whole words only: "tall", "ballast", "losing", "anthem" and "todo" keep their letters.
    assert normalize("Vote them ALL out, all of THESE") == "vote _ _ out, _ of _"
    assert normalize("Que se vayan todos. Los de siempre, las de siempre") == (
        "que se vayan _. _ de siempre, _ de siempre"
    )
    assert normalize("a tall ballast, losing the anthem, todo") == (
        "a tall ballast, losing the anthem, todo"
    )


def test_hashing_is_independent_of_the_batch() -> None:
    texts = [normalize(t) for t in ("you fool", "", "una frase en español", "x")]
    together = hash_texts(texts)
    for i, text in enumerate(texts):
        alone = hash_texts([text])
        assert sorted(alone.bucket.tolist()) == sorted(together.bucket[together.doc == i].tolist())


@pytest.mark.parametrize(
    ("name", "labels", "rows"),
    [
        ("heldout-blog.csv", {"ham", "spam"}, 140),
        ("heldout-address.csv", {"ham", "abuse"}, 100),
        ("heldout-profanity.csv", {"ham", "abuse"}, 100),
        ("heldout-links.csv", {"ham", "spam"}, 73),
        ("heldout-praise.csv", {"ham", "spam"}, 100),
        ("heldout-short.csv", {"ham", "spam", "abuse"}, 117),
        ("group-probe.csv", {"ham", "abuse"}, 342),
    ],
)
def test_held_out_comments_are_not_in_the_seed(
    seed_csv: Path, name: str, labels: set[str], rows: int
) -> None:
    # The held-out files measure the shipped model on comments it never saw; a text that is
    # also in the training seed would make that measure optimistic.
    held_out = load_file(seed_csv.parent / name)
    assert set(held_out.raw["label"]) == labels and len(held_out) == rows
    seed = set(normalize_many(load_file(seed_csv).texts))
    assert not seed & set(normalize_many(held_out.texts))
