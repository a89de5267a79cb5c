"""`moderato model list` and `moderato model use`: listing artifacts, promoting, rolling back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import skops.io as sio
from click.testing import CliRunner

from service.classifier import Classifier
from service.classifier.cli import model_group
from service.classifier.model import (
    ModelError,
    artifact_path,
    current_version,
    list_versions,
    load_current,
    metadata_path,
    use_version,
)


@pytest.fixture(scope="module")
def later_artifact(tmp_path_factory: pytest.TempPathFactory, shipped: Classifier) -> Path:
    """A second artifact, written once: the shipped arrays under another version name."""
    folder = tmp_path_factory.mktemp("later")
    sio.dump({**shipped.params, "version": "site-later"}, artifact_path(folder, "site-later"))
    metadata = {
        "version": "site-later",
        "created": "2099-01-01T00:00:00+00:00",
        "kind": "site",
        "parent": shipped.version,
        "metrics": {
            "held_out": {
                "spam": {"candidate": {"f1": 0.9, "roc_auc": 0.97}},
                "abuse": {"candidate": {"f1": 0.8, "roc_auc": 0.91}},
            }
        },
    }
    metadata_path(folder, "site-later").write_text(json.dumps(metadata))
    return folder


@pytest.fixture
def two_versions(models_copy: Path, later_artifact: Path) -> Path:
    for path in later_artifact.iterdir():
        shutil.copy(path, models_copy)
    return models_copy


def test_list_versions_marks_the_promoted_one(two_versions: Path) -> None:
    shipped = current_version(two_versions)
    infos = list_versions(two_versions)
    assert [i.version for i in infos] == [shipped, "site-later"]
    assert [i.current for i in infos] == [True, False]
    assert infos[0].metrics_source == "out-of-fold"
    assert set(infos[0].metrics) == {"spam", "abuse", "insult", "threat", "identity_attack"}
    assert set(infos[1].metrics) == {"spam", "abuse"}  # site layers learn those two only
    assert infos[1].metrics == {
        "spam": {"f1": 0.9, "roc_auc": 0.97},
        "abuse": {"f1": 0.8, "roc_auc": 0.91},
    }
    assert infos[1].kind == "site" and infos[1].parent == shipped


def test_list_command_prints_versions_and_figures(two_versions: Path) -> None:
    result = CliRunner().invoke(model_group, ["list", "--models-dir", str(two_versions)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    shipped = current_version(two_versions)
    assert any(line.startswith(f"* {shipped}") and "kinds AUC insult" in line for line in lines)
    later = next(line for line in lines if "site-later" in line)
    assert later.startswith("  ") and "2099-01-01" in later and "abuse F1 0.800" in later


def test_list_without_artifacts_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(model_group, ["list", "--models-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no model artifacts" in result.output


def test_use_promotes_and_rolls_back(two_versions: Path) -> None:
    shipped = current_version(two_versions)
    runner = CliRunner()
    result = runner.invoke(model_group, ["use", "site-later", "--models-dir", str(two_versions)])
    assert result.exit_code == 0, result.output
    assert load_current(two_versions).version == "site-later"
    result = runner.invoke(model_group, ["use", shipped, "--models-dir", str(two_versions)])
    assert result.exit_code == 0, result.output
    assert current_version(two_versions) == shipped


def test_use_unknown_version_names_the_available_ones(two_versions: Path) -> None:
    before = (two_versions / "current.json").read_text()
    result = CliRunner().invoke(model_group, ["use", "1999", "--models-dir", str(two_versions)])
    assert result.exit_code == 1
    assert "unknown version '1999'" in result.output and "site-later" in result.output
    assert (two_versions / "current.json").read_text() == before


@pytest.mark.parametrize("damage", ["truncate", "foreign"])
def test_use_refuses_an_artifact_that_fails_to_load(two_versions: Path, damage: str) -> None:
    path = two_versions / "moderato-site-later.skops"
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:1000])
    else:  # a valid artifact of another version copied under this name
        shutil.copy(two_versions / f"moderato-{current_version(two_versions)}.skops", path)
    before = json.loads((two_versions / "current.json").read_text())
    with pytest.raises(ModelError):
        use_version(two_versions, "site-later")
    result = CliRunner().invoke(
        model_group, ["use", "site-later", "--models-dir", str(two_versions)]
    )
    assert result.exit_code == 1 and "Error:" in result.output
    assert json.loads((two_versions / "current.json").read_text()) == before


def test_group_is_named_and_documented() -> None:
    assert model_group.name == "model"
    assert set(model_group.commands) == {"list", "use"}
    for command in model_group.commands.values():
        assert command.help and "\n" not in command.help.strip()


def test_list_reads_metadata_from_before_the_kinds(two_versions: Path) -> None:
    """A version written before the kinds existed still lists, with its spam and abuse figures."""
    path = metadata_path(two_versions, "site-later")
    old = json.loads(path.read_text())
    old["metrics"] = {"out_of_fold": {"spam": {"all": {"f1": 0.91, "roc_auc": 0.98}}}}
    path.write_text(json.dumps(old))
    result = CliRunner().invoke(model_group, ["list", "--models-dir", str(two_versions)])
    assert result.exit_code == 0, result.output
    later = next(line for line in result.stdout.splitlines() if "site-later" in line)
    assert "spam F1 0.910" in later and "kinds" not in later
