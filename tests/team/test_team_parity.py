"""A panel's work from preparing a meeting to the chief officer's approval, run command for
command on a local store and on the team store (a real PostgreSQL server): each command ends
the same and says the same on both, and ``check`` finds both intact. What differs between the
two stores stays in store/; the services do not know which one they are given."""

from __future__ import annotations

import re

import pytest

from panelapp.cli import main
from tests.helpers import paper_files as files

#: a signing key's fingerprint, new on each store
FINGERPRINT = re.compile(r"\b(?:[0-9A-F]{2}:){31}[0-9A-F]{2}\b")

#: a time of day, as "signed ... at 3 December 2026 13:14" gives it
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")

CASES_CSV = (
    "reference,first name,last name,date of birth,primary need,request type,"
    "request received date,case officer\n"
    "NB-26-0900,Zara,Ahmed,05/05/2019,SLCN,EHCNA,01/01/2026,Claire Doyle\n"
)


def workflow(folder):
    """The commands, each with the exit status it must end with."""
    (folder / "cases.csv").write_text(CASES_CSV)
    (folder / "Zara EP advice.pdf").write_bytes(files.pdf(["Zara shows marked echolalia."]))
    out = folder / "out"
    out.mkdir()
    return [
        (0, ["demo"]),
        (0, ["meetings"]),
        (0, ["cases", "import", str(folder / "cases.csv"), "--meeting", "2"]),
        (0, ["papers", "add", "--meeting", "2", "--item", "5", str(folder / "Zara EP advice.pdf")]),
        (0, ["papers", "list", "--meeting", "2"]),
        (0, ["search", "echolalia"]),
        (2, ["papers", "add", "--meeting", "2", "--item", "40", str(folder / "cases.csv")]),
        (0, ["agenda", "export", "2", "--out", str(out), "--naming", "reference"]),
        (
            0,
            [
                "actions",
                "add",
                "--meeting",
                "1",
                "--owner",
                "SEND team",
                "--due",
                "2030-01-31",
                "Write to the school",
            ],
        ),
        (0, ["actions", "list", "--meeting", "1"]),
        (0, ["signing", "create", "Helen Whitaker"]),
        (0, ["minutes", "generate", "1", "--out", str(out)]),
        (0, ["minutes", "sign", "1", "--signer", "Helen Whitaker", "--out", str(out)]),
        (0, ["approvals", "list", "--pending"]),
        (0, ["approvals", "record", "1", "--item", "1", "--by", "Sam Reid", "--approved"]),
        (0, ["approvals", "list"]),
        (0, ["letters", "due"]),
        (0, ["show", "1"]),
        (0, ["check"]),
    ]


def run_all(capsys, base: list[str], folder) -> list:
    said = []
    for expected, argv in workflow(folder):
        code = main([*base, "--as", "Joanne Pike", *argv])
        out, err = capsys.readouterr()
        assert code == expected, (argv, out, err)
        out = "".join(
            line for line in out.splitlines(True) if not line.startswith("Created an encrypted")
        )
        said.append((argv, (code, _same_words(out, folder), _same_words(err, folder))))
    return said


def _same_words(said: str, folder) -> str:
    """What a command said, less what differs by nature: its folder, the fingerprint of a
    key made new on each store, and the minute it was done."""
    said = FINGERPRINT.sub("FINGERPRINT", said.replace(str(folder), "FOLDER"))
    return CLOCK.sub("HH:MM", said)


def _without_snippets(said: tuple[int, str, str]) -> tuple[int, str, str]:
    code, out, err = said
    return code, "".join(line for line in out.splitlines(True) if not line[:10].isspace()), err


def _without_database_check(said: tuple[int, str, str]) -> tuple[int, str, str]:
    code, out, err = said
    layer = ("ok: SQLite", "ok: SQLCipher", "ok: Team store:")
    return code, "".join(line for line in out.splitlines(True) if not line.startswith(layer)), err


@pytest.mark.usefixtures("memory_keyring")
def test_a_meeting_prepared_signed_and_approved_says_the_same_on_both_stores(
    capsys, tmp_path, store_path, team_url
):
    assert main(["team", "init", team_url]) == 0
    capsys.readouterr()
    local_folder, team_folder = tmp_path / "local", tmp_path / "team"
    local_folder.mkdir()
    team_folder.mkdir()

    local = run_all(capsys, ["--store", str(store_path)], local_folder)
    team = run_all(capsys, ["--team", team_url], team_folder)

    for (argv, on_local), (_same, on_team) in zip(local, team, strict=True):
        if argv[0] == "search":  # FTS5 and ts_headline cut the snippet a little differently
            assert "[echolalia]" in on_local[1] and "[echolalia]" in on_team[1]
            on_local, on_team = (_without_snippets(said) for said in (on_local, on_team))
        if argv[0] == "check":  # the database's own check differs: SQLCipher pages, or TLS
            assert "Team store: connected to PostgreSQL" in on_team[1]
            assert "SQLCipher page check" in on_local[1]
            on_local, on_team = (_without_database_check(said) for said in (on_local, on_team))
        assert on_team == on_local, argv
    assert "The store is intact." in team[-1][1][1]

    # a signed copy is checked against the certificates registered in the team store
    signed = [p for p in (team_folder / "out").glob("minutes-*.docx") if "draft" not in p.name]
    assert len(signed) == 1
    code = main(["--team", team_url, "verify", str(signed[0])])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "") and out.startswith("VALID")
    assert "TRUSTED: the certificate is the one the panel registered" in out
    assert "according to the team store" in out
