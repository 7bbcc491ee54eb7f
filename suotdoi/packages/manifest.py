"""Reading an uploaded e-learning package before anything is stored: the zip's members (names,
types, sizes, compression), then its manifest — `imsmanifest.xml` (SCORM 1.2, SCORM 2004 3rd
and 4th edition) or `cmi5.xml` — and the launch files it names. Every problem found is listed
with a translated reason; a package with any problem is refused whole."""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET  # noqa: N817,S405 - DOCTYPEs refused before parsing

from django.conf import settings
from django.utils.translation import gettext as _

SCORM12, SCORM2004, CMI5 = "scorm12", "scorm2004", "cmi5"

# Types a package never needs and a browser or an operating system would run.
FORBIDDEN_SUFFIXES = frozenset(
    [
        ".exe",
        ".dll",
        ".com",
        ".bat",
        ".cmd",
        ".msi",
        ".msp",
        ".scr",
        ".pif",
        ".cpl",
        ".sys",
        ".vbs",
        ".vbe",
        ".jse",
        ".wsf",
        ".wsh",
        ".ps1",
        ".psm1",
        ".sh",
        ".bash",
        ".csh",
        ".ksh",
        ".jar",
        ".class",
        ".apk",
        ".app",
        ".dmg",
        ".deb",
        ".rpm",
        ".php",
        ".phtml",
        ".php5",
        ".asp",
        ".aspx",
        ".jsp",
        ".cgi",
        ".pl",
        ".py",
        ".rb",
        ".lnk",
        ".reg",
        ".hta",
        ".so",
        ".dylib",
        ".elf",
        ".bin",
    ]
)
MANIFEST_MAX = 2 * 1024 * 1024


def limits() -> dict:
    return {
        "bytes": getattr(settings, "PACKAGE_MAX_BYTES", 300 * 1024 * 1024),
        "unpacked": getattr(settings, "PACKAGE_MAX_UNPACKED", 800 * 1024 * 1024),
        "files": getattr(settings, "PACKAGE_MAX_FILES", 5000),
        "ratio": getattr(settings, "PACKAGE_MAX_RATIO", 100),
    }


class PackageInvalid(Exception):
    """Every reason the package was refused, in words for the uploader."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Item:
    """Something the learner can launch: a SCO (SCORM) or an assignable unit (cmi5)."""

    ident: str
    title: str
    href: str  # path inside the package (with its query), or an absolute URL for cmi5
    parameters: str = ""
    mastery: float | None = None  # 0..1
    move_on: str = ""  # cmi5
    launch_method: str = ""  # cmi5: AnyWindow | OwnWindow
    activity_id: str = ""  # cmi5: the AU's IRI
    launch_parameters: str = ""  # cmi5
    entitlement_key: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v not in ("", None)}


@dataclass
class Manifest:
    standard: str
    edition: str
    title: str
    course_id: str = ""  # cmi5: the course's IRI
    items: list[Item] = field(default_factory=list)


@dataclass
class Checked:
    manifest: Manifest
    members: list[zipfile.ZipInfo]
    total: int


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node, name: str):
    return [c for c in node if _local(c.tag) == name]


def _child(node, name: str):
    for c in node:
        if _local(c.tag) == name:
            return c
    return None


def _attr(node, name: str) -> str:
    for k, v in node.attrib.items():
        if _local(k) == name:
            return v.strip()
    return ""


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _clean_name(name: str) -> str | None:
    """The member's path if it is a safe relative one, else None."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if re.match(r"^[A-Za-z]:", name):
        return None
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        return None
    return name


def check_zip(zf: zipfile.ZipFile, size: int) -> tuple[list[zipfile.ZipInfo], int, list[str]]:
    """The zip's files, their unpacked total and every problem with them."""
    lim = limits()
    problems: list[str] = []
    if size > lim["bytes"]:
        problems.append(
            _("The package is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": size // 2**20, "max": lim["bytes"] // 2**20}
        )
    infos = zf.infolist()
    files = [i for i in infos if not i.is_dir()]
    if len(files) > lim["files"]:
        problems.append(
            _("The package holds %(n)s files; at most %(max)s are accepted.")
            % {"n": len(files), "max": lim["files"]}
        )
        return [], 0, problems  # nothing more is worth reading
    total = 0
    bad_names, bad_types, links, encrypted, bombs = [], [], [], [], []
    seen: set[str] = set()
    for i in infos:
        name = i.filename
        if _clean_name(name.rstrip("/") or "x") is None:
            bad_names.append(name)
            continue
        if i.is_dir():
            continue
        if stat.S_ISLNK(i.external_attr >> 16):
            links.append(name)
        if i.flag_bits & 0x1:
            encrypted.append(name)
        if posixpath.splitext(name.lower())[1] in FORBIDDEN_SUFFIXES:
            bad_types.append(name)
        if name.lower() in seen:
            bad_names.append(name)
        seen.add(name.lower())
        total += i.file_size
        if i.file_size > 1024 * 1024 and i.file_size > lim["ratio"] * max(i.compress_size, 1):
            bombs.append(name)
    if bad_names:
        problems.append(
            _("Unsafe or repeated file names (absolute paths, “..”, backslashes): %(names)s")
            % {"names": ", ".join(bad_names[:5])}
        )
    if bad_types:
        problems.append(
            _(
                "Files of a type a package may not contain (programs, scripts for a server): "
                "%(names)s"
            )
            % {"names": ", ".join(bad_types[:5])}
        )
    if links:
        problems.append(
            _("Symbolic links are not accepted: %(names)s") % {"names": ", ".join(links[:5])}
        )
    if encrypted:
        problems.append(
            _("Password-protected files cannot be read: %(names)s")
            % {"names": ", ".join(encrypted[:5])}
        )
    if bombs or total > lim["unpacked"]:
        problems.append(
            _(
                "The package unpacks to far more than it weighs (a “zip bomb”) or to more than "
                "%(max)s MB; it was not unpacked."
            )
            % {"max": lim["unpacked"] // 2**20}
        )
    return files, total, problems


def _read_xml(zf: zipfile.ZipFile, name: str):
    info = zf.getinfo(name)
    if info.file_size > MANIFEST_MAX:
        raise PackageInvalid([_("%(name)s is larger than 2 MB.") % {"name": name}])
    with zf.open(info) as fh:
        raw = fh.read(MANIFEST_MAX + 1)
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise PackageInvalid(
            [_("%(name)s declares a DOCTYPE or entities, which are not accepted.") % {"name": name}]
        )
    try:
        return ET.fromstring(raw)  # noqa: S314 - no DOCTYPE, no entities (checked above)
    except ET.ParseError as exc:
        raise PackageInvalid(
            [_("%(name)s is not well-formed XML (%(why)s).") % {"name": name, "why": exc}]
        ) from None


def _launch_path(base: str, href: str) -> tuple[str, str]:
    """(path inside the package, query) of a launch reference relative to xml:base."""
    parts = urlsplit(href)
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else ""
    return path, parts.query


def _scorm(root, names: set[str], problems: list[str]) -> Manifest:
    meta = _child(root, "metadata")
    version = _text(_child(meta, "schemaversion")) if meta is not None else ""
    if version == "1.2" or (
        not version and "adlcp_rootv1p2" in ET.tostring(root, encoding="unicode")[:4000]
    ):
        standard, edition = SCORM12, "1.2"
    elif version.startswith("2004") or version == "CAM 1.3":
        standard, edition = SCORM2004, version
        if "2nd" in version or version == "CAM 1.3":
            problems.append(
                _(
                    "SCORM 2004 2nd edition is not supported; publish it as 3rd or 4th edition or "
                    "as SCORM 1.2."
                )
            )
    else:
        problems.append(
            _(
                "imsmanifest.xml names schema version “%(v)s”; SCORM 1.2 or SCORM 2004 3rd/4th "
                "edition is needed."
            )
            % {"v": version or "—"}
        )
        standard, edition = SCORM12, version
    resources = {}
    res_node = _child(root, "resources")
    base_root = _attr(root, "base")
    if res_node is not None:
        rbase = posixpath.join(base_root, _attr(res_node, "base"))
        for r in _children(res_node, "resource"):
            resources[_attr(r, "identifier")] = (r, posixpath.join(rbase, _attr(r, "base")))
    orgs = _child(root, "organizations")
    org_list = _children(orgs, "organization") if orgs is not None else []
    if not org_list:
        problems.append(_("imsmanifest.xml has no organization (the course's table of contents)."))
        return Manifest(standard, edition, "")
    default = _attr(orgs, "default")
    org = next((o for o in org_list if _attr(o, "identifier") == default), org_list[0])
    title = _text(_child(org, "title"))
    items: list[Item] = []

    def walk(node):
        for it in _children(node, "item"):
            ref = _attr(it, "identifierref")
            if ref:
                if ref not in resources:
                    problems.append(
                        _(
                            "Item “%(item)s” points to resource “%(ref)s”, which the "
                            "manifest does not define."
                        )
                        % {"item": _attr(it, "identifier"), "ref": ref}
                    )
                    continue
                res, base = resources[ref]
                href = _attr(res, "href")
                if not href:
                    problems.append(
                        _("Resource “%(ref)s” has no launch file (href).") % {"ref": ref}
                    )
                    continue
                path, query = _launch_path(base, href)
                if path not in names:
                    problems.append(
                        _("The launch file “%(path)s” of “%(item)s” is not in the package.")
                        % {"path": path, "item": _text(_child(it, "title")) or ref}
                    )
                    continue
                mastery = None
                raw = _text(_child(it, "masteryscore"))
                if raw:
                    try:
                        mastery = max(0.0, min(float(raw) / 100, 1.0))
                    except ValueError:
                        problems.append(
                            _("Item “%(item)s” has a mastery score that is not a number.")
                            % {"item": ref}
                        )
                seq = _child(it, "sequencing")
                objs = _child(seq, "objectives") if seq is not None else None
                primary = _child(objs, "primaryObjective") if objs is not None else None
                if primary is not None and _attr(primary, "satisfiedByMeasure") == "true":
                    measure = _text(_child(primary, "minNormalizedMeasure"))
                    try:
                        mastery = float(measure) if measure else 1.0
                    except ValueError:
                        pass
                items.append(
                    Item(
                        ident=_attr(it, "identifier") or ref,
                        title=_text(_child(it, "title")) or title,
                        href=path + (f"?{query}" if query else ""),
                        parameters=_attr(it, "parameters"),
                        mastery=mastery,
                    )
                )
            walk(it)

    walk(org)
    if not items and not problems:
        problems.append(
            _("The manifest's organization launches nothing (no item points to a resource).")
        )
    for res, base in resources.values():
        for f in _children(res, "file"):
            path = posixpath.normpath(posixpath.join(base, unquote(_attr(f, "href"))))
            if _attr(f, "href") and path not in names:
                problems.append(
                    _("The manifest lists “%(path)s”, which is not in the package.")
                    % {"path": path}
                )
                break
    return Manifest(standard, edition, title, items=items)


MOVE_ON = {"Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"}


def _langstring(node) -> str:
    if node is None:
        return ""
    strings = _children(node, "langstring")
    for s in strings:
        if _attr(s, "lang").lower().startswith("vi"):
            return _text(s)
    return _text(strings[0]) if strings else _text(node)


def _cmi5(root, names: set[str], problems: list[str]) -> Manifest:
    if _local(root.tag) != "courseStructure":
        problems.append(_("cmi5.xml does not start with a courseStructure element."))
        return Manifest(CMI5, "1.0", "")
    course = _child(root, "course")
    if course is None or not _attr(course, "id"):
        problems.append(_("cmi5.xml has no course with an id."))
        return Manifest(CMI5, "1.0", "")
    title = _langstring(_child(course, "title"))
    items: list[Item] = []

    def walk(node):
        for child in node:
            kind = _local(child.tag)
            if kind == "block":
                walk(child)
            elif kind == "au":
                au_id = _attr(child, "id")
                url = _text(_child(child, "url"))
                au_title = _langstring(_child(child, "title")) or title
                move_on = _attr(child, "moveOn") or "NotApplicable"
                if not au_id:
                    problems.append(_("An AU in cmi5.xml has no id."))
                    continue
                if move_on not in MOVE_ON:
                    problems.append(
                        _("AU “%(au)s” has an unknown moveOn “%(m)s”.")
                        % {"au": au_title, "m": move_on}
                    )
                parts = urlsplit(url)
                if not url:
                    problems.append(_("AU “%(au)s” has no launch URL.") % {"au": au_title})
                    continue
                if parts.scheme:
                    if parts.scheme != "https":
                        problems.append(
                            _(
                                "AU “%(au)s” launches from %(url)s; only https addresses "
                                "outside the package are accepted."
                            )
                            % {"au": au_title, "url": url}
                        )
                        continue
                    href = url
                else:
                    path, query = _launch_path("", url)
                    if path not in names:
                        problems.append(
                            _("The launch file “%(path)s” of “%(item)s” is not in the package.")
                            % {"path": path, "item": au_title}
                        )
                        continue
                    href = path + (f"?{query}" if query else "")
                mastery = None
                if _attr(child, "masteryScore"):
                    try:
                        mastery = float(_attr(child, "masteryScore"))
                        if not 0 <= mastery <= 1:
                            raise ValueError
                    except ValueError:
                        problems.append(
                            _("AU “%(au)s” has a mastery score outside 0 to 1.") % {"au": au_title}
                        )
                        mastery = None
                items.append(
                    Item(
                        ident=au_id,
                        title=au_title,
                        href=href,
                        mastery=mastery,
                        move_on=move_on,
                        launch_method=_attr(child, "launchMethod") or "AnyWindow",
                        activity_id=au_id,
                        launch_parameters=_text(_child(child, "launchParameters")),
                        entitlement_key=_text(_child(child, "entitlementKey")),
                    )
                )

    walk(course)
    walk(root)
    if not items and not problems:
        problems.append(_("cmi5.xml defines no assignable unit (AU)."))
    return Manifest(CMI5, "1.0", title, course_id=_attr(course, "id"), items=items)


def read_package(fileobj, size: int) -> Checked:
    """Check an uploaded zip without unpacking it. Raises PackageInvalid with every reason."""
    try:
        zf = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageInvalid([_("The file is not a zip archive.")]) from None
    with zf:
        files, total, problems = check_zip(zf, size)
        if problems and not files:
            raise PackageInvalid(problems)  # too many files: nothing more is read
        # The manifest is still read (2 MB at most, from the zip) so that the uploader learns
        # every problem at once, not one per upload.
        names = {i.filename for i in files}
        try:
            manifest = _manifest_of(zf, names, problems)
        except PackageInvalid as exc:
            raise PackageInvalid(list(dict.fromkeys([*problems, *exc.problems]))) from None
        if problems:
            raise PackageInvalid(problems)
        return Checked(manifest=manifest, members=files, total=total)


def _manifest_of(zf: zipfile.ZipFile, names: set[str], problems: list[str]) -> Manifest:
    if "imsmanifest.xml" in names:
        return _scorm(_read_xml(zf, "imsmanifest.xml"), names, problems)
    if "cmi5.xml" in names:
        return _cmi5(_read_xml(zf, "cmi5.xml"), names, problems)
    nested = [n for n in names if n.endswith(("/imsmanifest.xml", "/cmi5.xml"))]
    problems.append(
        _("No imsmanifest.xml or cmi5.xml at the top of the zip%(hint)s.")
        % {
            "hint": (
                _(" (found %(n)s: zip the folder's contents, not the folder)") % {"n": nested[0]}
            )
            if nested
            else ""
        }
    )
    raise PackageInvalid(problems)
