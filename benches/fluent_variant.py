#!/usr/bin/env python3
r"""Make the Fluent twin of a site written by gen_site.py, to measure what Fluent costs.

    python3 benches/fluent_variant.py SITE OUT

OUT gets the same content and static files (symbolic links to SITE's), a config.toml without
the `[translations]` tables, one `locales/<lang>/ui.ftl` per language holding those strings as
Fluent messages, and templates in which every `trans(key=K, lang=lang)` became `t(key=K)`.
Both sites render the same pages, so building each with Tre shows the cost of looking UI
strings up through Fluent bundles rather than config tables (issue 3 allows at most 10 %).
Python 3.11 or later (tomllib), standard library only.
"""

import re
import shutil
import sys
import tomllib
from pathlib import Path

TRANS = re.compile(r"trans\(key=(.+?), lang=lang\)")


def ftl_value(text: str) -> str:
    """A Fluent pattern for plain text: braces are the only characters Fluent reads."""
    return text.replace("{", '{"{"}').replace("}", '{"}"}')


def without_translations(config: str) -> str:
    """config.toml with every `[translations]` and `[languages.X.translations]` table removed."""
    out, skipping = [], False
    for line in config.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]\s*$", line)
        if header:
            skipping = header.group(1).split(".")[-1] == "translations"
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    site, out = Path(argv[0]).resolve(), Path(argv[1])
    text = (site / "config.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    tables = {config["default_language"]: config.get("translations", {})}
    for lang, table in config.get("languages", {}).items():
        tables[lang] = table.get("translations", {})
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("content", "static"):
        (out / name).symlink_to(site / name)
    (out / "config.toml").write_text(without_translations(text), encoding="utf-8")
    for lang, strings in tables.items():
        ftl = out / "locales" / lang / "ui.ftl"
        ftl.parent.mkdir(parents=True)
        ftl.write_text("".join(f"{k} = {ftl_value(v)}\n" for k, v in strings.items()),
                       encoding="utf-8")
    changed = 0
    for tpl in (site / "templates").rglob("*"):
        if tpl.is_file():
            dest = out / "templates" / tpl.relative_to(site / "templates")
            dest.parent.mkdir(parents=True, exist_ok=True)
            body, n = TRANS.subn(r"t(key=\1)", tpl.read_text(encoding="utf-8"))
            dest.write_text(body, encoding="utf-8")
            changed += n
    print(f"{out}: {len(tables)} languages, {changed} trans() calls now t()", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
