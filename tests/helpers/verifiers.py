"""Independent verifiers for the package signatures made by panelapp.documents.package_signature.

Two programs that panelapp does not control check our signatures:

* ``xmlsec1`` (libxmlsec1, Debian package ``xmlsec1``) verifies the XML signature in
  ``_xmlsignatures/sig1.xml``. Each Manifest reference URI (``/word/document.xml?ContentType=…``)
  is mapped with ``--url-map`` onto the part extracted from the package, so libxmlsec also
  recomputes every part digest and every RelationshipTransform digest with its own code. Its exit
  status only reflects SignedInfo ("core validation"); the Manifest result is read from its
  ``Manifests References (ok/all): N/M`` line.
* LibreOffice (``libreoffice-writer-nogui`` + ``python3-uno``): this file is also a script that
  LibreOffice's Python runs. It starts a headless ``soffice`` with a throw-away user profile,
  opens each file as a ZIP storage (as LibreOffice does itself before checking signatures) and
  calls ``com.sun.star.security.DocumentDigitalSignatures.verifyDocumentContentSignatures`` on it;
  then it makes the given signer certificates trusted in LibreOffice's certificate database and
  checks again. It prints the results as JSON and stops the ``soffice`` it started.

The helpers below never read or write private keys: only the signed .docx and its certificate.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"
SIGNATURE_PART = "_xmlsignatures/sig1.xml"

# --------------------------------------------------------------------------------------------
# Test documents and tool requirements
# --------------------------------------------------------------------------------------------

MINUTES_TEXT = "Decision: the panel agreed to carry out an EHC needs assessment."


def make_minutes_docx() -> bytes:
    """A small set of minutes made by python-docx, as panelapp makes them."""
    import io

    import docx

    document = docx.Document()
    document.core_properties.title = "SEND panel minutes"
    document.add_heading("SEND panel: minutes", level=1)
    document.add_paragraph(MINUTES_TEXT)
    document.add_paragraph("Chair: Jane Smith")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_tool(found: str | None, what: str, debian_packages: str) -> str:
    """Return the tool's path, or skip (developer machine) / fail (CI set) when it is missing."""
    import pytest

    if found:
        return found
    message = f"{what} is not installed (Debian: apt-get install -y {debian_packages})"
    if running_in_ci():
        pytest.fail(f"CI is set but {message}", pytrace=False)
    pytest.skip(message)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------------
# Finding the tools
# --------------------------------------------------------------------------------------------


def find_xmlsec1() -> str | None:
    return shutil.which("xmlsec1")


def find_soffice() -> str | None:
    for candidate in (shutil.which("soffice"), "/usr/lib/libreoffice/program/soffice"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_uno_python() -> str | None:
    """A Python interpreter that can ``import uno`` (Debian's python3-uno is for /usr/bin/python3)."""
    candidates = [
        "/usr/bin/python3",
        "/usr/lib/libreoffice/program/python",
        shutil.which("python3"),
    ]
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"],
                capture_output=True,
                timeout=60,
                env=_clean_env(),
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def _clean_env() -> dict[str, str]:
    """The environment without the test virtualenv, so /usr/bin/python3 finds Debian's uno."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    return env


# --------------------------------------------------------------------------------------------
# xmlsec1
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XmlsecResult:
    returncode: int
    signed_info_ok: int | None
    signed_info_all: int | None
    manifest_ok: int | None
    manifest_all: int | None
    output: str

    @property
    def core_valid(self) -> bool:
        """xmlsec1's own verdict: SignedInfo references and the signature value."""
        return self.returncode == 0 and self.signed_info_ok == self.signed_info_all

    @property
    def fully_valid(self) -> bool:
        """Core validation passed and every Manifest reference (every signed part) matched."""
        return (
            self.core_valid
            and self.manifest_all is not None
            and self.manifest_all > 0
            and self.manifest_ok == self.manifest_all
        )


def extract_package(docx: Path, destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(docx) as archive:
        archive.extractall(destination)
    return destination


def certificate_pem_from_signature(signature_xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(signature_xml)
    text = "".join(root.findtext(f".//{{{NS_DSIG}}}X509Certificate").split())
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return (
        "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    ).encode()


def manifest_uris(signature_xml: bytes) -> list[str]:
    from lxml import etree

    root = etree.fromstring(signature_xml)
    return [
        reference.get("URI")
        for reference in root.iter(f"{{{NS_DSIG}}}Reference")
        if reference.getparent().tag == f"{{{NS_DSIG}}}Manifest"
    ]


def xmlsec1_verify(
    xmlsec1: str,
    package_dir: Path,
    trusted_pem: Path,
    *,
    signature: Path | None = None,
    timeout: float = 120,
) -> XmlsecResult:
    """Run ``xmlsec1 --verify`` on the package's signature part, Manifest included.

    ``--trusted-pem`` makes the (self-signed) signer's certificate a trust anchor, so xmlsec1
    checks the certificate in KeyInfo against it instead of skipping certificate checks.
    """
    signature = signature or package_dir / SIGNATURE_PART
    command = [xmlsec1, "--verify", "--trusted-pem", str(trusted_pem)]
    for uri in manifest_uris(signature.read_bytes()):
        path = package_dir / uri[1:].split("?", 1)[0]
        command += [f"--url-map:{uri}", str(path)]
    command.append(str(signature))
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    output = completed.stdout + completed.stderr

    def counts(label: str) -> tuple[int | None, int | None]:
        match = re.search(label + r" References \(ok/all\): (\d+)/(\d+)", output)
        return (int(match.group(1)), int(match.group(2))) if match else (None, None)

    signed_info_ok, signed_info_all = counts("SignedInfo")
    manifest_ok, manifest_all = counts("Manifests")
    return XmlsecResult(
        completed.returncode, signed_info_ok, signed_info_all, manifest_ok, manifest_all, output
    )


# --------------------------------------------------------------------------------------------
# LibreOffice, seen from the tests
# --------------------------------------------------------------------------------------------


def libreoffice_verify(
    uno_python: str,
    soffice: str,
    profile_dir: Path,
    files: list[Path],
    *,
    trust: list[Path] = (),
    timeout: float = 480,
) -> dict[str, dict]:
    """Ask LibreOffice to verify each file's document signatures.

    Returns ``{str(path): {"untrusted": result, "trusted": result}}`` where "trusted" (present
    when ``trust`` names DER certificates) is the answer after those certificates were made
    trusted in LibreOffice's certificate database. Each result has ``signatures`` (one dict per
    DocumentSignatureInformation) and ``state`` (the SignatureState LibreOffice derives from them),
    or ``error``.
    """
    command = [
        uno_python,
        str(Path(__file__).resolve()),
        "--libreoffice",
        soffice,
        "--profile",
        profile_dir.resolve().as_uri(),
    ]
    for certificate in trust:
        command += ["--trust", str(Path(certificate).resolve())]
    command += [str(path.resolve()) for path in files]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=_clean_env()
    )
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(
            f"the LibreOffice check failed (exit {completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    results = json.loads(completed.stdout.strip().splitlines()[-1])
    return {str(path): results[str(path.resolve())] for path in files}


# --------------------------------------------------------------------------------------------
# LibreOffice, from inside (runs under LibreOffice's Python: ``import uno`` must work)
# --------------------------------------------------------------------------------------------

# com.sun.star.security.CertificateValidity
_CERTIFICATE_VALIDITY = {
    0x0001: "INVALID",
    0x0002: "UNTRUSTED",
    0x0004: "TIME_INVALID",
    0x0008: "NOT_TIME_NESTED",
    0x0010: "REVOKED",
    0x0020: "UNKNOWN_REVOKATION",
    0x0040: "SIGNATURE_INVALID",
    0x0080: "EXTENSION_INVALID",
    0x0100: "EXTENSION_UNKNOWN",
    0x0200: "ISSUER_UNKNOWN",
    0x0400: "ISSUER_UNTRUSTED",
    0x0800: "ISSUER_INVALID",
    0x1000: "ROOT_UNKNOWN",
    0x2000: "ROOT_UNTRUSTED",
    0x4000: "ROOT_INVALID",
    0x8000: "CHAIN_INCOMPLETE",
}


def _validity_names(status: int) -> list[str]:
    if status == 0:
        return ["VALID"]
    return [name for bit, name in _CERTIFICATE_VALIDITY.items() if status & bit]


def _document_state(signatures: list[dict]) -> str:
    """The document's SignatureState, derived as LibreOffice's sfx2 getSignatureState() does.

    LibreOffice marks every OOXML signature as partial (OOXML leaves document properties unsigned
    on purpose), so the best state an OOXML signature reaches is PARTIAL_OK with a trusted
    certificate and NOTVALIDATED_PARTIAL_OK with an untrusted one; BROKEN means the content
    does not match the signature.
    """
    if not signatures:
        return "NOSIGNATURES"
    certificate_valid = True
    complete = True
    for info in signatures:
        if certificate_valid:
            certificate_valid = info["certificate_status"] == 0
        if not info["signature_is_valid"]:
            return "BROKEN"
        complete = complete and not info["partial_document_signature"]
    if not certificate_valid and not complete:
        return "NOTVALIDATED_PARTIAL_OK"
    if not certificate_valid:
        return "NOTVALIDATED"
    if not complete:
        return "PARTIAL_OK"
    return "OK"


def _run_libreoffice(  # pragma: no cover - runs under LibreOffice's Python
    soffice: str, profile_url: str, files: list[str], trust: list[str]
) -> int:
    import uno  # only available under LibreOffice's Python
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    pipe = f"panelapp_sigcheck_{os.getpid()}"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that all of it can be stopped
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        context = None
        deadline = time.monotonic() + 240
        while context is None:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            except NoConnectException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("soffice did not start") from None
                time.sleep(0.5)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        storages = manager.createInstanceWithContext("com.sun.star.embed.StorageFactory", context)
        signatures_service = manager.createInstanceWithContext(
            "com.sun.star.security.DocumentDigitalSignatures", context
        )

        def verify(path: str) -> dict:
            result: dict = {"signatures": []}
            try:
                # A plain ZIP storage, as LibreOffice itself uses for signing (SfxMedium's
                # GetZipStorageToSign): with it [Content_Types].xml is visible, which is how
                # LibreOffice recognises an OOXML package and reads _xmlsignatures/.
                storage_format = PropertyValue()
                storage_format.Name = "StorageFormat"
                storage_format.Value = "ZipFormat"
                storage = uno.invoke(
                    storages,
                    "createInstanceWithArguments",
                    (
                        (
                            uno.systemPathToFileUrl(path),
                            1,  # com.sun.star.embed.ElementModes.READ
                            uno.Any("[]com.sun.star.beans.PropertyValue", (storage_format,)),
                        ),
                    ),
                )
                try:
                    infos = signatures_service.verifyDocumentContentSignatures(storage, None)
                finally:
                    storage.dispose()
                for info in infos:
                    status = int(info.CertificateStatus)
                    result["signatures"].append(
                        {
                            "signer": info.Signer.SubjectName if info.Signer else None,
                            "signature_is_valid": bool(info.SignatureIsValid),
                            "certificate_status": status,
                            "certificate_status_names": _validity_names(status),
                            "partial_document_signature": bool(info.PartialDocumentSignature),
                            "signature_date": int(info.SignatureDate),
                            "signature_time": int(info.SignatureTime),
                        }
                    )
                result["state"] = _document_state(result["signatures"])
            except Exception as exc:  # reported, not hidden: the test decides
                result["error"] = f"{type(exc).__name__}: {exc}"
            return result

        results: dict[str, dict] = {path: {"untrusted": verify(path)} for path in files}
        if trust:
            # Make the signer's certificate a trusted peer in LibreOffice's own NSS database
            # (in memory, for this soffice only) and check again: the certificate status must
            # then become VALID, which shows that the first answer was about trust only.
            initializer = manager.createInstanceWithContext(
                "com.sun.star.xml.crypto.SEInitializer", context
            )
            environment = initializer.createSecurityContext("").getSecurityEnvironment()
            for der_path in trust:
                with open(der_path, "rb") as handle:
                    environment.addDERCertificateToTheDatabase(
                        uno.ByteSequence(handle.read()), "P,P,P"
                    )
            for path in files:
                results[path]["trusted"] = verify(path)
        print(json.dumps(results))
        return 0
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:  # the bridge drops while soffice exits
                pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        if _group_alive(process.pid):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if process.poll() is None:
            process.wait(timeout=30)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Verify .docx signatures with LibreOffice.")
    parser.add_argument("--libreoffice", metavar="SOFFICE", required=True)
    parser.add_argument("--profile", metavar="URL", required=True, help="file:// user profile")
    parser.add_argument("--trust", metavar="CERT_DER", action="append", default=[])
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args(argv)
    return _run_libreoffice(
        arguments.libreoffice, arguments.profile, arguments.files, arguments.trust
    )


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
