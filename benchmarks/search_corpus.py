"""A store of 10,000 decisions and their papers' text, and the queries run against it.

The store is filled by bulk inserts through panelapp's own tables in one transaction (building
it through the services, one unit of work per decision, would take most of the time budget),
but everything the full-text index holds gets there as in real use: the triggers of migration
0002 index every case and decision as its row is inserted, and each paper's text goes in
through ``panelapp.store.fulltext.index_paper``, the call the papers service makes.

Each decision has one paper: a report of about 1,400 words (roughly what pypdf extracts from a
five-page psychology or therapy report), made from a bank of sentences about SEND provision
with the child's name, school and reference in it, so common words match thousands of entries
and names, references and rarer words match a few.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import insert

from benchmarks.fiction import (
    DEFER_REASONS,
    FIRST_NAMES,
    LAST_NAMES,
    OFFICERS,
    SETTINGS,
    decision_kwargs,
    fictional_case,
)
from benchmarks.meetings import ACTOR, meeting_day, setup_panel
from benchmarks.papers_gen import HEADINGS, SENTENCES, TITLES
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.store import fulltext
from panelapp.store.engine import Store
from panelapp.store.tables import AgendaItem, Case, DecisionRow, Meeting, Paper

ITEMS_PER_MEETING = 40
WORDS_PER_PAPER = 1400
EXTRA_SENTENCES = (
    "Attendance at the resourced provision was discussed with the outreach team.",
    "A dyslexia screening was completed and a structured literacy programme started.",
    "The paediatrician confirmed a diagnosis of autism following the multi-agency assessment.",
    "Hydrotherapy sessions continue weekly and physiotherapy targets are reviewed each term.",
    "The hearing support service recommends a radio aid and a quiet workspace.",
    "A visual impairment teacher advised enlarged print and a tablet for board work.",
    "Transition to secondary school is planned with extra visits in the summer term.",
    "An emotionally based school avoidance plan was put in place with the family.",
    "The college offered a supported internship with a job coach three days a week.",
    "Respite through the short breaks service was agreed by social care in October.",
)


def _paper_text(rng: random.Random, n: int, first: str, setting: str) -> str:
    subject = {"first": first, "his": "their", "setting": setting}
    words: list[str] = []
    paragraphs = []
    while len(words) < WORDS_PER_PAPER:
        heading = rng.choice(HEADINGS)
        sentences = [s.format(**subject) for s in rng.sample(SENTENCES, k=4)]
        sentences.append(rng.choice(EXTRA_SENTENCES))
        if n % 17 == 0:
            sentences.append(f"The key worker is {rng.choice(OFFICERS)}.")
        paragraph = heading + "\n" + " ".join(sentences)
        paragraphs.append(paragraph)
        words.extend(paragraph.split())
    return "\n\n".join(paragraphs)


def build_corpus(store: Store, decisions: int) -> dict:
    """Fill an empty store with ``decisions`` decided items, each with one paper. One write
    transaction; returns counts."""
    panel_id, members = setup_panel(store)
    member_ids = sorted(members.values())
    chair_id = members["Margaret Holloway"]
    now = datetime(2026, 1, 1, 12, 0)
    meetings_needed = -(-decisions // ITEMS_PER_MEETING)
    with store.write() as session, session.begin():
        meeting_rows = [
            {
                "panel_id": panel_id,
                "meeting_date": meeting_day(k - meetings_needed),
                "start_time": time(9, 30),
                "venue": "Committee Room 1, Civic Centre",
                "status": MeetingStatus.SIGNED.value,
            }
            for k in range(meetings_needed)
        ]
        session.execute(insert(Meeting), meeting_rows)
        meeting_ids = [
            m for (m,) in session.execute(Meeting.__table__.select().with_only_columns(Meeting.id))
        ]
        case_rows, item_rows, decision_rows, paper_rows, texts = [], [], [], [], []
        for n in range(decisions):
            k = n // ITEMS_PER_MEETING
            day = meeting_day(k - meetings_needed)
            case = fictional_case(n, day)
            case_id = item_id = n + 1
            case_rows.append({"id": case_id, **case.__dict__, "created_at": now})
            item_rows.append(
                {
                    "id": item_id,
                    "meeting_id": meeting_ids[k],
                    "case_id": case_id,
                    "position": n % ITEMS_PER_MEETING + 1,
                    "minutes_allocated": 10,
                    "presenting_officer": case.case_officer,
                    "status": ItemStatus.DECIDED.value,
                    "discussion": "",
                    "chair_reason": "",
                }
            )
            kwargs = decision_kwargs(n, case.request_type, day)
            decision_rows.append(
                {
                    "agenda_item_id": item_id,
                    "outcome": kwargs.pop("outcome").value,
                    "rationale": kwargs.pop("rationale"),
                    **kwargs,
                    "chaired_by_member_id": chair_id,
                    "participant_ids": member_ids[:8],
                    "recorded_at": now,
                    "recorded_by": ACTOR,
                }
            )
            rng = random.Random(n)
            title = f"{TITLES[n % len(TITLES)]} {case.first_name} {case.last_name}"
            paper_rows.append(
                {
                    "id": n + 1,
                    "case_id": case_id,
                    "agenda_item_id": item_id,
                    "title": title,
                    "file_name": f"{TITLES[n % len(TITLES)].split()[0].lower()}-{n}.pdf",
                    "media_type": "application/pdf",
                    "size": 1_000_000,
                    "sha256": f"{n:064x}",
                    "pages": 5,
                    "received_at": now - timedelta(days=3),
                }
            )
            texts.append(
                (n + 1, case_id, title, _paper_text(rng, n, case.first_name, case.setting))
            )
        session.execute(insert(Case), case_rows)
        session.execute(insert(AgendaItem), item_rows)
        session.execute(insert(DecisionRow), decision_rows)  # triggers index each decision
        session.execute(insert(Paper), paper_rows)
        for paper_id, case_id, title, text in texts:
            fulltext.index_paper(session, paper_id, case_id, title, text)
    store.checkpoint()
    return {"decisions": decisions, "papers": decisions, "meetings": meetings_needed}


def queries(count: int = 200, seed: int = 11) -> list[str]:
    """Varied queries as officers type them: common and rare words, names, references,
    schools, prefixes, several words, and words that match nothing."""
    rng = random.Random(seed)
    common = [
        "assessment",
        "speech",
        "therapy",
        "provision",
        "attendance",
        "school",
        "reading",
        "sensory",
        "parents",
        "transition",
        "autism",
        "band",
        "placement",
        "college",
    ]
    rare = [
        "hydrotherapy",
        "dyslexia",
        "internship",
        "respite",
        "radio",
        "paediatrician",
        "avoidance",
        "enlarged",
        "outreach",
        "physiotherapy",
    ]
    prefixes = ["therap*", "assess*", "occup*", "transit*", "dysreg*", "commun*", "psycholog*"]
    phrases = [
        "speech language",
        "sensory circuit",
        "working memory",
        "key adult",
        "provision map",
        "short breaks",
        "ear defenders",
        "job coach",
        "secondary school visits",
        "notional SEN budget",
    ]
    absent = ["zebra", "xylophone", "quantum", "volcano"]
    made: list[str] = []
    kinds = [
        "common",
        "rare",
        "prefix",
        "phrase",
        "name",
        "reference",
        "school",
        "absent",
        "mixed",
        "officer",
    ]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        if kind == "common":
            made.append(rng.choice(common))
        elif kind == "rare":
            made.append(rng.choice(rare))
        elif kind == "prefix":
            made.append(rng.choice(prefixes))
        elif kind == "phrase":
            made.append(rng.choice(phrases))
        elif kind == "name":
            made.append(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        elif kind == "reference":
            n = rng.randrange(10_000)
            made.append(f"BM-{20 + n % 6}-{n:05d}")
        elif kind == "school":
            made.append(rng.choice(SETTINGS).split()[0])
        elif kind == "absent":
            made.append(rng.choice(absent))
        elif kind == "mixed":
            made.append(f"{rng.choice(common)} {rng.choice(rare)}")
        else:
            made.append(
                rng.choice(OFFICERS).split()[1] + " " + rng.choice(DEFER_REASONS).split()[3]
            )
    return made
