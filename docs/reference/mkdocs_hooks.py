"""mkdocs hooks for steep's documentation: links from docs/ into the source tree.

The pages link to source files (``../core/steep/run.py``) so that they read well on the
repository's web view. The built site holds no source, so such a link becomes a link to
the file in the repository when ``repo_url`` is set, else the file's path as code. A link
to a file that does not exist is left alone, for ``mkdocs build --strict`` to report.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

LINK = re.compile(r"\[([^\]]+)\]\((\.\./[^)\s#]+)(#[^)\s]*)?\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Rewrite the page's links that leave docs/ for a file of the repository."""
    docs = Path(config["docs_dir"]).resolve()
    root = docs.parent
    here = (docs / page.file.src_uri).parent

    def rewrite(match: re.Match[str]) -> str:
        text, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        path = (here / target).resolve()
        if docs in path.parents or root not in path.parents or not path.exists():
            return match.group(0)
        relative = posixpath.join(*path.relative_to(root).parts)
        if config.get("repo_url"):
            edit = (config.get("edit_uri") or "blob/main/").replace("edit/", "blob/")
            return f"[{text}]({config['repo_url'].rstrip('/')}/{edit}{relative}{anchor})"
        return text

    return LINK.sub(rewrite, markdown)
