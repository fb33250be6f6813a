"""Minutes, signatures and decision records from the command line.

``minutes`` (generate, sign, amend, versions, export), ``signing`` (create, import, list),
``decisions export`` and ``verify``. Thin layers over the services; files are written only
where ``--out`` says, whole or not at all, and each says how confidential it is.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from panelapp.commands import numbers
from panelapp.commands.caseload import iso_date
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date, uk_moment
from panelapp.domain.vocabulary import NamingMode

logger = logging.getLogger(__name__)
T = TypeVar("T")  # what the work under _with_secrets returns

P12_PASSWORD_VARIABLE = "PANELAPP_P12_PASSWORD"
_FORMATTER = argparse.RawDescriptionHelpFormatter
_NAMING_HELP = (
    "how children are named: full, initials or reference (default: the draft's, or the "
    "panel's own setting)"
)


def _confidential(what: str, naming: NamingMode) -> str:
    return (
        f"{what} marked OFFICIAL-SENSITIVE: personal data about children "
        f"({naming.label.lower()}). Keep it on council systems and send it only by a secure "
        "route. The export is recorded in the audit trail."
    )


_moment = uk_moment


def _write_version(store, args, meeting_id: int, version: int | None) -> None:
    from panelapp.services.minutes import export_minutes

    target, info = export_minutes(
        store,
        args.actor,
        meeting_id,
        Path(args.out).expanduser(),
        version=version,
        overwrite=args.overwrite,
    )
    state = "signed" if info.signed else "draft, not signed"
    print(f"Wrote {target} (version {info.version}, {state}).")
    print(_confidential("It is", info.naming))


def _with_secrets(work: Callable[[dict[int, str]], T]) -> T:
    """Run ``work(secrets)`` (secrets: member id -> their signing passphrase or certificate
    password), asking in the terminal for each secret a signer's key needs. Without a
    terminal, the message says to set PANELAPP_SIGNING_PASSPHRASE."""
    from panelapp.services.signer_keys import SigningSecretNeeded

    secrets: dict[int, str] = {}
    for _ in range(8):
        try:
            return work(secrets)
        except SigningSecretNeeded as need:
            if not sys.stdin.isatty() or need.member_id in secrets:
                raise
            secrets[need.member_id] = _ask_secret(need)
    raise PanelappError("Too many signing passphrases were asked for. Run the command again.")


def _ask_secret(need) -> str:
    if need.kind == "new passphrase":
        print(need)
        first = getpass.getpass(f"{need.member_name}, choose your signing passphrase: ")
        if getpass.getpass("Type it again: ") != first:
            raise PanelappError("The two passphrases differ. Run the command again.")
        return first
    if need.kind == "certificate password":
        return getpass.getpass(f"{need.member_name}, the password of your certificate file: ")
    return getpass.getpass(f"{need.member_name}, your signing passphrase: ")


# -- minutes ----------------------------------------------------------------------------------


def cmd_minutes_generate(args) -> int:
    from panelapp.services.minutes import generate_minutes
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store:
        with UnitOfWork(store, args.actor) as uow:
            info = generate_minutes(
                uow, args.meeting, NamingMode(args.naming) if args.naming else None
            )
        print(
            f"Made the draft minutes of meeting {args.meeting}, version {info.version} "
            f"(children: {info.naming.label.lower()})."
        )
        if args.out:
            _write_version(store, args, args.meeting, info.version)
        else:
            print(
                f"Kept in the store. Write a copy for the chair to read with --out FILE, or "
                f"later with 'panelapp minutes export {args.meeting} --out FILE'."
            )
    return EXIT_OK


def cmd_minutes_sign(args) -> int:
    from panelapp.services.minutes import minutes_signer, sign_minutes
    from panelapp.services.signing import find_member
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.tables import Meeting

    with opened_store(args, writing=True) as store:

        def sign(secrets):
            with UnitOfWork(store, args.actor) as uow:
                meeting = uow.get(Meeting, args.meeting, "meeting")
                if args.signer:
                    signer_id = find_member(uow.session, args.signer, panel_id=meeting.panel_id).id
                else:
                    signer_id = minutes_signer(uow.session, args.meeting).member_id
                return sign_minutes(uow, args.meeting, signer_id, passphrase=secrets.get(signer_id))

        info = _with_secrets(sign)
        print(
            f"{info.signed_by} signed version {info.version} of the minutes of meeting "
            f"{args.meeting} at {_moment(info.signed_at)}. The meeting's decisions are now "
            "locked; a correction is an amendment ('panelapp minutes amend')."
        )
        if args.out:
            _write_version(store, args, args.meeting, info.version)
    return EXIT_OK


def cmd_minutes_amend(args) -> int:
    from panelapp.services.minutes import start_amendment
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store:
        with UnitOfWork(store, args.actor) as uow:
            info = start_amendment(uow, args.meeting, reason=args.reason)
    print(
        f"Started version {info.version} of the minutes of meeting {args.meeting}; version "
        f"{info.version - 1} is kept unchanged. The meeting is unlocked (closed): reopen it in "
        "panelapp to correct its records, close it, run 'panelapp minutes generate "
        f"{args.meeting}', and have the chair sign again."
    )
    return EXIT_OK


def cmd_minutes_versions(args) -> int:
    from panelapp.services.minutes import minutes_versions

    with opened_store(args) as store:
        with store.read() as session:
            versions = minutes_versions(session, args.meeting)
    if not versions:
        print(f"Meeting {args.meeting} has no minutes yet ('panelapp minutes generate').")
        return EXIT_OK
    for v in versions:
        state = (
            f"signed by {v.signed_by} on {_moment(v.signed_at)}"
            if v.signed
            else f"draft made {_moment(v.created_at)}"
        )
        print(f"version {v.version}: {state}; children {v.naming.label.lower()}; sha256 {v.sha256}")
        if v.reason:
            print(f"    amendment: {v.reason}")
    return EXIT_OK


def cmd_minutes_export(args) -> int:
    with opened_store(args, writing=True) as store:
        _write_version(store, args, args.meeting, args.version)
    return EXIT_OK


# -- signing ----------------------------------------------------------------------------------


def _p12_password() -> str | None:
    if P12_PASSWORD_VARIABLE in os.environ:
        return os.environ[P12_PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return getpass.getpass("Password of the certificate file (empty if none): ") or None
    return None


def _print_identity(info) -> None:
    kind = "self-signed, made in panelapp" if info.self_signed else "issued to the member"
    print(f"  certificate: {info.common_name} ({kind})")
    print(f"  fingerprint (SHA-256): {info.fingerprint}")
    print(f"  valid until: {format_date(info.valid_until.date())}")


def cmd_signing_create(args) -> int:
    from panelapp.services.signing import create_signing_identity, find_member
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store:

        def create(secrets):
            with UnitOfWork(store, args.actor) as uow:
                member = find_member(uow.session, args.member)
                return create_signing_identity(
                    uow, member.id, valid_days=args.valid_days, passphrase=secrets.get(member.id)
                )

        info = _with_secrets(create)
    print(
        f"Made a signing certificate for {info.member_name}. Its key is kept in the store, "
        "locked with their own signing passphrase, which is asked for each time they sign."
    )
    _print_identity(info)
    print(
        "Give this fingerprint to the people who receive signed documents, so they can check "
        "who signed: Word and LibreOffice show a self-signed certificate as not trusted."
    )
    return EXIT_OK


def cmd_signing_import(args) -> int:
    from panelapp.services.signing import find_member, import_signing_identity
    from panelapp.services.unit_of_work import UnitOfWork

    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PanelappError(
            f"The certificate file could not be read ({exc.strerror}). Check the path."
        ) from None
    password = _p12_password()
    with opened_store(args, writing=True) as store:

        def keep(secrets):
            with UnitOfWork(store, args.actor) as uow:
                member = find_member(uow.session, args.member)
                return import_signing_identity(
                    uow, member.id, data, password, passphrase=secrets.get(member.id)
                )

        from panelapp.services.signer_keys import SigningSecretNeeded

        try:
            info = _with_secrets(keep)
        except SigningSecretNeeded:
            raise
        except PanelappError as exc:
            if password is None and not sys.stdin.isatty():
                raise PanelappError(
                    f"{exc} If the file has a password, set {P12_PASSWORD_VARIABLE}."
                ) from None
            raise
    print(f"Imported the council's signing certificate for {info.member_name}.")
    _print_identity(info)
    if info.common_name.lower() != info.member_name.lower():
        print(
            f"Note: the certificate is in the name '{info.common_name}'. Check that it is "
            f"{info.member_name}'s."
        )
    return EXIT_OK


def cmd_signing_list(args) -> int:
    from sqlalchemy import select

    from panelapp.services.signing import identities_for_panel
    from panelapp.store.tables import Panel

    with opened_store(args) as store:
        with store.read() as session:
            panels = list(session.scalars(select(Panel).order_by(Panel.id)))
            listing = [(p.name, identities_for_panel(session, p.id)) for p in panels]
    if not any(found for _, found in listing):
        print("No member has a signing certificate yet ('panelapp signing create MEMBER').")
    for panel_name, found in listing:
        if not found:
            continue
        print(panel_name)
        for info in found:
            print(f" member {info.member_id}: {info.member_name} ({info.origin})")
            _print_identity(info)
    return EXIT_OK


# -- decisions and verify -----------------------------------------------------------------------


def cmd_decisions_export(args) -> int:
    from panelapp.services.decision_records import export_decision_records

    naming = NamingMode(args.naming)
    with opened_store(args, writing=True) as store:
        folder, records = _with_secrets(
            lambda secrets: export_decision_records(
                store,
                args.actor,
                args.meeting,
                Path(args.out).expanduser(),
                naming,
                overwrite=args.overwrite,
                passphrases=secrets,
            )
        )
    print(f"Wrote {len(records)} signed decision records to {folder}:")
    for record in records:
        print(f"  {record.file_name}")
    print(_confidential("Each is", naming).replace("send it", "send each"))
    return EXIT_OK


def cmd_decisions_table(args) -> int:
    from panelapp.services.decisions_table import export_decisions_table

    if args.meeting is None and (args.from_ is None or args.to is None):
        raise PanelappError("Give a meeting number, or a period with --from and --to.")
    if args.meeting is not None and (args.from_ or args.to):
        raise PanelappError("Give a meeting number or a period, not both.")
    naming = NamingMode(args.naming)
    with opened_store(args, writing=True) as store:
        result = export_decisions_table(
            store,
            args.actor,
            Path(args.out).expanduser(),
            meeting_id=args.meeting,
            start=args.from_,
            end=args.to,
            fmt=args.format,
            naming=naming,
            overwrite=args.overwrite,
        )
    print(f"Wrote {result.rows} decisions to {result.path}")
    print(_confidential("It is", naming))
    return EXIT_OK


def _trust_sources(args):
    """What the reader trusts: the store's registered certificates (when a store is here and
    opens without asking), the trust files and CA files given."""
    from panelapp.documents.certificate_trust import load_authorities, read_trust_file
    from panelapp.documents.signing_errors import SigningError
    from panelapp.services.verification import TrustSources, registered_in_store

    registered, authorities, consulted, notes = [], [], [], []
    for name in args.trust or []:
        path = Path(name).expanduser()
        try:
            registered.extend(read_trust_file(path.read_bytes()))
        except OSError as exc:
            raise PanelappError(
                f"The trust file {path} could not be read ({exc.strerror}). Check the path."
            ) from None
        except SigningError as exc:
            raise PanelappError(f"{path}: {exc}") from None
        consulted.append(f"the trust file {path.name}")
    for name in args.ca or []:
        path = Path(name).expanduser()
        try:
            authorities.extend(load_authorities(path.read_bytes()))
        except OSError as exc:
            raise PanelappError(
                f"The certificate authority file {path} could not be read ({exc.strerror})."
            ) from None
        except SigningError as exc:
            raise PanelappError(f"{path}: {exc}") from None
    if not args.no_store:
        from panelapp.commands.common import store_path, team_url
        from panelapp.store.lifecycle import open_store

        url = team_url(args)
        path = None if url is not None else store_path(args)
        if url is not None:
            _consult_team_store(url, registered, consulted, notes)
        elif path.exists():
            try:
                store = open_store(path, passphrase_provider=_no_prompt)
            except PanelappError as exc:
                notes.append(f"The store {path.name} was not consulted: {exc}")
            else:
                try:
                    with store.read() as session:
                        registered.extend(registered_in_store(session))
                finally:
                    store.close()
                consulted.append(f"the store {path.name}")
    return (
        TrustSources(tuple(registered), tuple(authorities), tuple(consulted)),
        notes,
    )


def _consult_team_store(url: str, registered: list, consulted: list, notes: list) -> None:
    """The team store's registered certificates, when its password is in the OS keyring (a
    check of a signed file never stops to ask for one)."""
    from panelapp.services.verification import registered_in_store
    from panelapp.store.lifecycle import open_team_store

    try:
        store = open_team_store(url)
    except PanelappError as exc:
        notes.append(f"The team store was not consulted: {exc}")
        return
    try:
        with store.read() as session:
            registered.extend(registered_in_store(session))
    finally:
        store.close()
    consulted.append(store.label)


def _no_prompt(prompt: str, confirm: bool) -> str:
    from panelapp.store.errors import KeyUnavailable

    raise KeyUnavailable("it is locked with a passphrase (set PANELAPP_PASSPHRASE to use it)")


def cmd_verify(args) -> int:
    from panelapp.services.verification import (
        assess_trust,
        exit_status,
        report_lines,
        verify_file,
    )

    report = verify_file(Path(args.file).expanduser())
    sources, notes = _trust_sources(args)
    verdict = assess_trust(report, sources) if report.signed else None
    for line in report_lines(report, verdict):
        print(line)
    for note in notes:
        print(note)
    return exit_status(report, verdict)


def cmd_signing_export_trust(args) -> int:
    from panelapp.services.signing import export_trust_file

    target = Path(args.out).expanduser()
    with opened_store(args) as store:
        count = export_trust_file(store, args.actor, target, overwrite=args.overwrite)
    print(f"Wrote the panel's trust file with {count} certificate(s) to {target}.")
    print(
        "Publish it where chief officers can get it from the council (not by the same email "
        "as the documents): 'panelapp verify FILE.docx --trust' it to check who signed."
    )
    return EXIT_OK


# -- registration -----------------------------------------------------------------------------


def _out(p, what: str, *, required: bool = False) -> None:
    p.add_argument(
        "--out",
        metavar="PATH",
        required=required,
        help=f"write {what} here: a .docx file name, or a folder for the default name",
    )
    p.add_argument("--overwrite", action="store_true", help="replace the file if it exists")


def register(sub) -> None:
    p = sub.add_parser(
        "minutes",
        help="make, sign, amend and export a meeting's minutes",
        description="A meeting's minutes: drafts, the chair's signature and amendments.",
    )
    minutes = p.add_subparsers(dest="minutes_command", metavar="ACTION", required=True)

    g = minutes.add_parser(
        "generate",
        help="make the draft minutes from the store (replacing an unsigned draft)",
        formatter_class=_FORMATTER,
        description=(
            "Make the minutes of a meeting as a Word document from what the store holds:\n"
            "attendance, declarations, each case with its papers, decision or deferral, the\n"
            "actions and the signature block. They are kept in the store as the latest,\n"
            "unsigned version (a draft), replacing an earlier draft; signed versions are never\n"
            "touched. The Word template is the council's own when it has one (see README)."
        ),
        epilog=(
            "examples:\n"
            "  panelapp minutes generate 3 --out ~/Panel/ --naming initials\n"
            "  panelapp minutes sign 3 --signer 'Helen Whitaker' --out ~/Panel/"
        ),
    )
    g.add_argument(
        "meeting", type=numbers.record_number, help="the meeting number ('panelapp meetings')"
    )
    g.add_argument("--naming", choices=[m.value for m in NamingMode], help=_NAMING_HELP)
    _out(g, "a copy of the draft")
    g.set_defaults(func=cmd_minutes_generate)

    s = minutes.add_parser(
        "sign",
        help="the chair signs the draft minutes; the decisions are then locked",
        formatter_class=_FORMATTER,
        description=(
            "Sign the draft minutes with the chair's signing certificate. The signature is an\n"
            "Office document signature inside the .docx, which Word and LibreOffice check\n"
            "themselves. Only the panel's chair signs (the vice-chair when the chair missed\n"
            "the meeting). Signing is refused if the records changed since the draft was\n"
            "made: generate again and read them first. Afterwards the meeting is locked.\n"
            "The signer's own signing passphrase (or certificate password) is asked for in\n"
            "the terminal, or read from PANELAPP_SIGNING_PASSPHRASE (for automation)."
        ),
    )
    s.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    s.add_argument(
        "--signer",
        metavar="MEMBER",
        help="the chair's member number or full name (default: whoever must sign: the chair, "
        "or the vice-chair if the chair missed the meeting)",
    )
    _out(s, "a copy of the signed minutes")
    s.set_defaults(func=cmd_minutes_sign)

    a = minutes.add_parser(
        "amend",
        help="start a correction of signed minutes (a new version, signed again)",
        description=(
            "Unlock a signed meeting for a correction. A new version of the minutes is started "
            "with the reason; the signed versions stay in the store unchanged."
        ),
    )
    a.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    a.add_argument("--reason", required=True, help="why the minutes are being amended")
    a.set_defaults(func=cmd_minutes_amend)

    v = minutes.add_parser("versions", help="list every version of a meeting's minutes")
    v.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    v.set_defaults(func=cmd_minutes_versions)

    e = minutes.add_parser(
        "export", help="write a stored version of the minutes exactly as it was kept"
    )
    e.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    e.add_argument(
        "--version", type=numbers.record_number, help="the version (default: the latest)"
    )
    _out(e, "the minutes", required=True)
    e.set_defaults(func=cmd_minutes_export)

    p = sub.add_parser(
        "signing",
        help="members' signing certificates (create, import a .p12/.pfx, list)",
        description="Signing certificates for the members who sign minutes and decisions.",
    )
    signing = p.add_subparsers(dest="signing_command", metavar="ACTION", required=True)
    c = signing.add_parser(
        "create",
        help="make a self-signed signing certificate for a member",
        description=(
            "Make a signing certificate and key for a member (usually the chair and the "
            "vice-chair). The key is kept in the store locked with the member's own signing "
            "passphrase (asked for, or PANELAPP_SIGNING_PASSPHRASE for automation), which is "
            "asked for each time they sign: the store key alone cannot sign."
        ),
    )
    c.add_argument("member", metavar="MEMBER", help="the member's number or full name")
    c.add_argument(
        "--valid-days",
        type=numbers.days,
        default=3 * 365,
        help="how long it is valid (default: 1095)",
    )
    c.set_defaults(func=cmd_signing_create)
    i = signing.add_parser(
        "import",
        help="import the council's certificate (.p12/.pfx) for a member",
        description=(
            "Keep a certificate and key from a PKCS#12 file for a member. The file's password "
            f"comes from {P12_PASSWORD_VARIABLE}, or is asked for. The file is kept as it is, "
            "still encrypted with that password, which is asked for at each signing; a file "
            "without a password gets the member's signing passphrase instead."
        ),
    )
    i.add_argument("member", metavar="MEMBER", help="the member's number or full name")
    i.add_argument("file", metavar="FILE.p12", help="the .p12 or .pfx file")
    i.set_defaults(func=cmd_signing_import)
    lst = signing.add_parser("list", help="list members' signing certificates")
    lst.set_defaults(func=cmd_signing_list)
    t = signing.add_parser(
        "export-trust",
        help="write the trust file: the certificates registered for members",
        description=(
            "Write a trust file listing every certificate the panel registered for a member "
            "(current and retired). Readers give it to 'panelapp verify --trust' to check that "
            "a signed document was signed by the member it names."
        ),
    )
    t.add_argument("--out", required=True, metavar="FILE", help="the trust file to write")
    t.add_argument("--overwrite", action="store_true", help="replace the file if it exists")
    t.set_defaults(func=cmd_signing_export_trust)

    p = sub.add_parser(
        "decisions",
        help="export signed decision records for chief officers",
        description="Decision records: one signed Word file per case, for chief officers.",
    )
    decisions = p.add_subparsers(dest="decisions_command", metavar="ACTION", required=True)
    d = decisions.add_parser(
        "export",
        help="write a signed record of each case's decision into a new folder",
        formatter_class=_FORMATTER,
        description=(
            "Write one Word file per decided or deferred case of a signed meeting, each\n"
            "signed by the member who chaired that case (the vice-chair where the chair\n"
            "declared an interest). They go into a new folder inside --out."
        ),
    )
    d.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    d.add_argument("--out", required=True, metavar="FOLDER", help="where to put the new folder")
    d.add_argument(
        "--naming",
        choices=[m.value for m in NamingMode],
        default=NamingMode.INITIALS.value,
        help="how the child is named (default: initials)",
    )
    d.add_argument("--overwrite", action="store_true", help="replace the folder if it exists")
    d.set_defaults(func=cmd_decisions_export)
    tb = decisions.add_parser(
        "table",
        help="the decisions as a CSV or Excel table, for the case management system",
        formatter_class=_FORMATTER,
        description=(
            "One row per item decided, deferred or withdrawn, at one meeting or at the\n"
            "meetings held in a period, with a fixed set of columns (see the README):\n"
            "reference, request, outcome, amount, band, setting, dates, deferral, meeting,\n"
            "chair, statutory date and whether it was met, approval, letter sent."
        ),
    )
    tb.add_argument("meeting", nargs="?", type=numbers.record_number, help="the meeting number")
    tb.add_argument("--from", dest="from_", type=iso_date, metavar="YYYY-MM-DD",
                    help="the period's first day (instead of a meeting)")  # fmt: skip
    tb.add_argument("--to", type=iso_date, metavar="YYYY-MM-DD", help="the period's last day")
    tb.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="default: csv")
    tb.add_argument("--out", required=True, metavar="PATH", help="the file, or a folder for it")
    tb.add_argument(
        "--naming",
        choices=[m.value for m in NamingMode],
        default=NamingMode.INITIALS.value,
        help="how the child is named (default: initials)",
    )
    tb.add_argument("--overwrite", action="store_true", help="replace the file if it exists")
    tb.set_defaults(func=cmd_decisions_table)

    p = sub.add_parser(
        "verify",
        help="check a signed Word file (exit 0 valid and trusted, 3 intact but signer not "
        "trusted, 1 changed or not signed)",
        formatter_class=_FORMATTER,
        description=(
            "Check the document signature of a .docx: recompute every part's digest, check\n"
            "the signature, name the signer, the time and the certificate, and say whether\n"
            "the certificate is trusted: registered for that member in the store (when one\n"
            "is here and opens without a prompt) or in a --trust file, or issued by a --ca.\n"
            "Exit status: 0 intact and trusted; 3 intact but the signer is not trusted;\n"
            "1 changed, damaged or not signed."
        ),
    )
    p.add_argument("file", metavar="FILE.docx", help="the Word file to check")
    p.add_argument(
        "--trust",
        action="append",
        metavar="FILE",
        help="a trust file from 'panelapp signing export-trust' (may be repeated)",
    )
    p.add_argument(
        "--ca",
        action="append",
        metavar="FILE.pem",
        help="a certificate authority to trust (PEM or DER; may be repeated)",
    )
    p.add_argument(
        "--no-store", action="store_true", help="do not look in the local store for signers"
    )
    p.set_defaults(func=cmd_verify)
