"""Checks a printed training manual with poppler-utils (pdfinfo, pdftotext).

usage: check_manual.py MANUAL.pdf NAMES.json [--role NAME] [--roles-from-toc]

NAMES.json: the SOP names the manual must hold (a JSON list). Exits 1 with the reasons when:
- pdfinfo's page count differs from the count every page footer states, or a footer's page
  number is not its page's number (each laid-out page box is one printed page);
- a name is missing from the text, or from the table of contents;
- the contents give a page on which that SOP does not start (its sheet's heading), or a role
  guide's page that does not hold the guide.
"""
import json
import re
import subprocess
import sys


def text(pdf, first=None, last=None, layout=False):
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(args + [pdf, "-"], check=True, capture_output=True, text=True).stdout


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


def main():
    pdf, names_file = sys.argv[1], sys.argv[2]
    role = sys.argv[sys.argv.index("--role") + 1] if "--role" in sys.argv else None
    names = json.load(open(names_file, encoding="utf-8"))
    problems = []
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    word = "halaman" if "halaman" in text(pdf, 2) else "page"
    of = "dari" if word == "halaman" else "of"
    per_page = [text(pdf, p) for p in range(1, pages + 1)]
    for p in range(2, pages + 1):
        m = re.search(rf"{word} (\d+) {of} (\d+)", per_page[p - 1])
        if not m:
            problems.append(f"page {p}: no footer")
        elif (int(m.group(1)), int(m.group(2))) != (p, pages):
            problems.append(f"page {p}: footer says {m.group(1)} of {m.group(2)}, the PDF has {pages} pages")
    whole = squash(" ".join(per_page))
    for n in names:
        if squash(n) not in whole:
            problems.append(f"SOP name not in the text: {n}")
    # The contents: the pages from 2 that begin with its title.
    toc_title = "Daftar isi" if word == "halaman" else "Contents"
    toc_pages = [p for p in range(2, pages + 1) if per_page[p - 1].lstrip().startswith(toc_title)]
    if not toc_pages:
        problems.append("no table of contents")
    toc = "\n".join(text(pdf, p, layout=True) for p in toc_pages)
    # Join wrapped entries: a line without a page number continues on the next.
    entries, pending = [], ""
    for line in toc.splitlines():
        line = line.strip()
        if not line or line.startswith(toc_title) or re.search(rf"{word} \d+ {of} \d+", line):
            continue
        m = re.match(r"^(.*?)\s{3,}(\d+|\?)$", line)  # the number stands apart (a name may end in one)
        if m:
            entries.append((squash(pending + " " + m.group(1)), m.group(2)))
            pending = ""
        else:
            pending = squash(pending + " " + line)
    checked = 0
    for n in names:
        hits = [pg for (label, pg) in entries if re.sub(r"^\d+\. ", "", label).replace(" (draf)", "").replace(" (draft)", "") == squash(n)]
        if not hits:
            problems.append(f"SOP not in the contents: {n}")
            continue
        page = int(hits[0]) if hits[0].isdigit() else 0
        if not (1 <= page <= pages) or squash(n) not in squash(per_page[page - 1]):
            problems.append(f"contents give page {hits[0]} for {n}, which does not start there")
        else:
            checked += 1
    if role:
        hits = [pg for (label, pg) in entries if label == squash(role)]
        guide = "Panduan peran" if word == "halaman" else "Role guide"
        if not hits:
            problems.append(f"role {role} not in the contents")
        elif f"{guide}: {role}" not in squash(per_page[int(hits[0]) - 1]):
            problems.append(f"contents give page {hits[0]} for the guide of {role}, which is not there")
    print(f"manual: {pages} pages, {len(toc_pages)} contents page(s), {checked} SOP start pages checked")
    for p in problems:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
