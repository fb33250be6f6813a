"""The five commands an operations officer uses to prepare a meeting, end to end on a real
store, and their help."""

from __future__ import annotations

import zipfile

import pytest

from panelapp.cli import main
from tests.helpers import paper_files as files

COMMANDS = [
    ["papers", "add"],
    ["cases", "import"],
    ["agenda", "export"],
    ["packs", "export"],
    ["search"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_command_explains_itself_with_examples(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"panelapp {' '.join(command)}" in out


@pytest.fixture
def demo_store(demo_command_store):
    return str(demo_command_store)


def test_an_officer_prepares_the_next_meeting_from_the_command_line(demo_store, tmp_path, capsys):
    run = lambda *args: main(["--store", demo_store, "--as", "Joanne Pike", *args])  # noqa: E731

    cases = tmp_path / "cases.csv"
    cases.write_text(
        "reference,first name,last name,date of birth,primary need,request type,"
        "request received date,case officer\n"
        "NB-26-0900,Zara,Ahmed,05/05/2019,SLCN,EHCNA,01/01/2026,Claire Doyle\n"
    )
    assert run("cases", "import", str(cases), "--meeting", "2") == 0
    assert "Imported 1 case(s)" in capsys.readouterr().out

    (tmp_path / "Zara EP advice.pdf").write_bytes(files.pdf(["Zara shows marked echolalia."]))
    (tmp_path / "setup.exe").write_bytes(b"MZ" + bytes(300))
    code = run(
        "papers",
        "add",
        "--meeting",
        "2",
        "--item",
        "5",
        str(tmp_path / "Zara EP advice.pdf"),
        str(tmp_path / "setup.exe"),
    )
    out = capsys.readouterr().out
    assert code == 2, "a refused file makes the exit status 2"
    assert "  ok  Zara EP advice.pdf stored (PDF, 1 page" in out
    assert "  NO  setup.exe is a program or script" in out
    assert "1 of 2 file(s) stored for item 5 of meeting 2" in out

    assert run("papers", "list", "--meeting", "2") == 0
    listed = capsys.readouterr().out
    assert " 5. ZA (NB-26-0900)  (1 paper(s))" in listed and "ZA EP advice [PDF]" in listed

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert run("agenda", "export", "2", "--out", str(out_dir), "--naming", "reference") == 0
    assert "Wrote the agenda (5 item(s)" in capsys.readouterr().out
    (agenda,) = out_dir.glob("Agenda - *.docx")

    assert (
        run("packs", "export", "2", "--out", str(out_dir), "--member", "Dr Priya Nair", "--zip")
        == 0
    )
    assert "Dr Priya Nair:" in capsys.readouterr().out
    (pack,) = out_dir.glob("Pack - Dr Priya Nair - *.zip")
    assert "Item 05 - 1 ZA EP advice.pdf" in zipfile.ZipFile(pack).namelist()

    assert run("search", "echolalia") == 0
    found = capsys.readouterr().out
    # By the panel's naming (initials), the paper's title names the child by initials too (R18).
    assert "paper     ZA (NB-26-0900): ZA EP advice" in found and "[echolalia]" in found
    assert "Zara" not in found


def test_mistakes_end_in_one_line_that_says_what_to_do(demo_store, tmp_path, capsys):
    (tmp_path / "a.txt").write_text("hello")
    assert (
        main(
            [
                "--store",
                demo_store,
                "papers",
                "add",
                "--meeting",
                "2",
                "--item",
                "40",
                str(tmp_path / "a.txt"),
            ]
        )
        == 2
    )
    assert "Meeting 2 has items 1 to 4; there is no item 40" in capsys.readouterr().err
    assert main(["--store", demo_store, "agenda", "export", "9"]) == 2
    assert "no meeting with id 9" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,first name,last name,date of birth,primary need,request type,"
        "request received date\nNB-1,A,B,not a date,SLCN,EHCNA,01/01/2026\n"
    )
    assert main(["--store", demo_store, "cases", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 2, column D (date of birth): is not a date" in err and "Nothing was imported" in err
    assert main(["--store", demo_store, "search", "zzzunfound"]) == 0
    assert "Nothing found" in capsys.readouterr().out


def test_a_folder_given_says_what_it_held_that_was_not_imported(demo_store, tmp_path, capsys):
    import os

    run = lambda *args: main(["--store", demo_store, "--as", "Joanne Pike", *args])  # noqa: E731
    folder = tmp_path / "papers for item 1"
    (folder / "superseded").mkdir(parents=True)
    (folder / "superseded" / "old advice.pdf").write_bytes(files.pdf(["Bandicoot Road."]))
    (folder / "EP advice.pdf").write_bytes(files.pdf(["Numbat Hill speech therapy."]))
    os.mkfifo(folder / "scanner queue")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")

    assert run("papers", "add", "--meeting", "2", "--item", "1", str(folder)) == 0
    out = capsys.readouterr().out
    assert "  ok  EP advice.pdf stored (PDF" in out
    assert "1 of 1 file(s) stored" in out
    assert (
        "Not imported: superseded/ (a folder inside the one given is not opened: give it on "
        "its own to import its papers); gone.pdf and scanner queue (not files)."
    ) in out
    assert run("search", "Bandicoot") == 0
    assert "Nothing found" in capsys.readouterr().out
