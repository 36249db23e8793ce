"""MkDocs hook: the repository's own pages in the site, without copies in docs/.

README becomes the guide, CHANGELOG and CONTRIBUTING their pages, ``results/`` the studies
(its README the index, its figures, tables and verdicts beside it), and the configs,
studies, LICENSE and CITATION.cff the files they link to; links written for the
repository (``docs/ODD.md``, ``notebooks/...``, ``results/...``) are rewritten for the site.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "README.md": "guide.md",
    "CHANGELOG.md": "changelog.md",
    "CONTRIBUTING.md": "contributing.md",
}
# repository files the pages link to, served as they are
SERVED = ("LICENSE", "CITATION.cff", "configs/**/*.yaml", "experiments/*.yaml")
# what the studies' folder shows (not their raw runs, databases or logs)
STUDY_FILES = (".md", ".png", ".csv", ".gz", ".gif", ".yaml")
STUDY_SKIP = ("runs", "multirun", ".hydra", "archives", "chunks")
# repository paths -> site paths, for links written for the repository
MOVED = [("docs/", ""), ("notebooks/", "tutorials/"), ("results/README.md", "studies/index.md"),
         ("results/", "studies/"), ("../results/", "studies/")] + list(PAGES.items())  # fmt: skip
LINK = re.compile(r"(\]\()([^)#\s]+)")


def on_files(files: Files, config) -> Files:
    for source, page in PAGES.items():
        files.append(File.generated(config, page, abs_src_path=str(ROOT / source)))
    for pattern in SERVED:
        for path in sorted(ROOT.glob(pattern)):
            uri = path.relative_to(ROOT).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    results = ROOT / "results"
    for path in sorted(results.rglob("*")):
        parts = path.relative_to(results).parts
        if path.suffix in STUDY_FILES and not any(p in STUDY_SKIP for p in parts):
            uri = "studies/" + ("index.md" if parts == ("README.md",) else "/".join(parts))
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Links written for the repository, pointed at the site's pages (the pages at the
    site's root: README, CHANGELOG, CONTRIBUTING and docs/*.md; the studies' own links
    are relative to their folder, which keeps its layout)."""
    if "/" in page.file.src_uri:
        return markdown

    def moved(match: re.Match) -> str:
        target = match.group(2)
        if "://" in target:
            return match.group(0)
        for old, new in MOVED:
            if target == old or (old.endswith("/") and target.startswith(old)):
                target = new + target[len(old) :] if old.endswith("/") else new
                break
        return match.group(1) + target

    return LINK.sub(moved, markdown)
