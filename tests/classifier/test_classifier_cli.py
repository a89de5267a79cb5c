"""`moderato train`, `evaluate` and `score`, run as a user would, without a Flask app."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.classifier import load_current
from service.classifier.cli import evaluate_command, score_command, train_command

ROWS = [
    ("Thanks for the recipe, it worked perfectly.", "ham"),
    ("You are a stupid idiot and should shut up.", "abuse"),
    ("Cheap pills online!!! visit http://pills.example.com now", "spam"),
    ("I think the council is wrong about the new bike lanes.", "ham"),
]


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_commands_are_named_and_documented() -> None:
    for command, name in (
        (train_command, "train"),
        (evaluate_command, "evaluate"),
        (score_command, "score"),
    ):
        assert command.name == name
        assert command.help and "\n" not in command.help.strip()
        assert any("--models-dir" in p.opts for p in command.params)


def test_score_csv_in_order(runner: CliRunner, tmp_path: Path, shipped_dir: Path) -> None:
    path = _write_csv(
        tmp_path / "in.csv",
        ["id", "text", "author"],
        [(i, text, "ann") for i, (text, _) in enumerate(ROWS)],
    )
    result = runner.invoke(score_command, [str(path), "--models-dir", str(shipped_dir)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(ROWS)
    assert [line["decision"] for line in lines] == ["publish", "block", "block", "publish"]
    for line in lines:
        assert set(line) == {"spam", "abuse", "kinds", "decision"}
        assert 0 <= line["spam"] <= 1 and 0 <= line["abuse"] <= 1
        assert set(line["kinds"]) == {"insult", "threat", "identity_attack"}
        assert all(0 <= p <= line["abuse"] for p in line["kinds"].values())


def test_score_jsonl_from_stdin_with_explanations(runner: CliRunner, shipped_dir: Path) -> None:
    stdin = "\n".join(json.dumps({"text": text, "url": ""}) for text, _ in ROWS) + "\n"
    result = runner.invoke(
        score_command, ["-", "--explain", "--models-dir", str(shipped_dir)], input=stdin
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(ROWS)
    assert lines[1]["abuse"] > lines[0]["abuse"]
    assert lines[1]["explanation"]["abuse"]


def test_score_thresholds_come_from_the_environment(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path
) -> None:
    path = _write_csv(tmp_path / "in.csv", ["text"], [(ROWS[0][0],)])
    result = runner.invoke(
        score_command,
        [str(path), "--models-dir", str(shipped_dir)],
        env={"MODERATO_SPAM_HOLD": "0.0", "MODERATO_SPAM_BLOCK": "1.0"},
    )
    assert json.loads(result.stdout)["decision"] == "hold"


def test_score_rejects_a_file_without_text(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path
) -> None:
    path = _write_csv(tmp_path / "in.csv", ["body"], [("hello",)])
    result = runner.invoke(score_command, [str(path), "--models-dir", str(shipped_dir)])
    assert result.exit_code == 2
    assert "'text' column" in result.output
    assert "Traceback" not in result.output


def test_score_without_a_model(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", ["text"], [("hello",)])
    result = runner.invoke(score_command, [str(path), "--models-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no promoted model" in result.output


def test_evaluate_prints_metrics_per_label(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path
) -> None:
    path = _write_csv(tmp_path / "labeled.csv", ["text", "label"], ROWS * 3)
    result = runner.invoke(evaluate_command, [str(path), "--models-dir", str(shipped_dir)])
    assert result.exit_code == 0, result.output
    for word in (
        "spam:",
        "abuse:",
        "precision=",
        "recall=",
        "f1=",
        "roc_auc=",
        "pr_auc=",
        "confusion at hold 0.5 / block",
    ):
        assert word in result.output


def test_evaluate_and_score_hold_a_bare_comment_as_the_service_does(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path
) -> None:
    # A spam block threshold of 0 blocks every comment as spam, whatever the model says; of a
    # one-word comment with nothing to follow and a link drop, only the link drop is blocked.
    env = {"MODERATO_SPAM_HOLD": "0.0", "MODERATO_SPAM_BLOCK": "0.0"}
    rows = [("Subscribed!", "ham"), (ROWS[2][0], "spam")]
    path = _write_csv(tmp_path / "labeled.csv", ["text", "label"], rows)
    args = [str(path), "--models-dir", str(shipped_dir)]
    scored = runner.invoke(score_command, args, env=env)
    assert [json.loads(line)["decision"] for line in scored.stdout.splitlines()] == [
        "hold",
        "block",
    ]
    result = runner.invoke(evaluate_command, args, env=env)
    spam_part = result.output.split("abuse:")[0]
    assert "negative:       0       1       0" in spam_part
    assert "positive:       0       0       1" in spam_part


def test_evaluate_prints_metrics_per_language(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path
) -> None:
    rows = [(text, lang, label) for text, label in ROWS for lang in ("en", "es")]
    path = _write_csv(tmp_path / "labeled.csv", ["text", "lang", "label"], rows)
    result = runner.invoke(evaluate_command, [str(path), "--models-dir", str(shipped_dir)])
    assert result.exit_code == 0, result.output
    half = len(ROWS)
    for label in ("spam", "abuse"):
        assert f"{label}: n={2 * half} " in result.output
        for lang in ("en", "es"):
            assert f"  {lang} {label}: n={half} " in result.output


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (["body", "label"], [("hi", "ham")], "'text' column"),
        (["text", "label"], [("hi", "maybe")], "label must be one of"),
        (["text", "spam"], [("hi", "sometimes")], "must hold 0/1"),
        (["text", "lang"], [("hi", "en")], "needs a 'label' column"),
    ],
)
def test_evaluate_bad_files_give_a_clear_error(
    runner: CliRunner, tmp_path: Path, shipped_dir: Path, header, rows, message
) -> None:
    path = _write_csv(tmp_path / "bad.csv", header, rows)
    result = runner.invoke(evaluate_command, [str(path), "--models-dir", str(shipped_dir)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_train_writes_a_promoted_artifact(runner: CliRunner, tmp_path: Path) -> None:
    rows = [(f"{text} {tag}", label) for tag in "abcdef" for text, label in ROWS]
    data = _write_csv(tmp_path / "site.csv", ["text", "label"], rows)
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(
                {"text": t + " again", "spam": int(lab == "spam"), "abuse": int(lab == "abuse")}
            )
            for t, lab in rows
        )
    )
    out = tmp_path / "models"
    result = runner.invoke(
        train_command,
        ["--data", str(data), "--data", str(jsonl), "--out", str(out), "--version", "t-1"],
    )
    assert result.exit_code == 0, result.output
    assert "is now current" in result.output
    clf = load_current(out)
    assert clf.version == "t-1"
    meta = json.loads((out / "moderato-t-1.json").read_text())
    assert [f["rows"] for f in meta["training_files"]] == [24, 24]
    assert meta["label_counts"]["abuse"]["positive"] == 12
    assert meta["metrics"]["out_of_fold"]["spam"]["all"]["n"] == 48
    again = runner.invoke(
        train_command, ["--data", str(data), "--out", str(out), "--version", "t-1"]
    )
    assert again.exit_code == 1 and "already exists" in again.output
