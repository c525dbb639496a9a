#!/usr/bin/env python3
"""Score amgi's card starts against the hand labels in bench/labels.tsv.

    python3 bench/score-labels.py CORPUS_DIR [--bin PATH] [--labels PATH] [--min-recall X] [--max-junk Y]

CORPUS_DIR holds one checkout per labelled repository, in a folder named owner+name (gyoogle/tech-interview-for-developer
is CORPUS_DIR/gyoogle+tech-interview-for-developer), at the commit named in labels.tsv: line numbers are only right there.

For each labelled repository this runs `amgi --notes CORPUS_DIR/REPO --data-dir TMP cards --json` once (AMGI_NOTES
removed from the environment, a fresh data folder), as a user would, and takes for each labelled file the set of
lines where a card starts (`--per-file` runs `amgi --notes FILE` on each file alone instead). Per file and in total it prints:

- cards:  lines labelled `card`;
- found:  how many of those have a card (recall = found / cards), and the missed lines;
- made:   every card amgi made in the file;
- junk:   cards that start on a line labelled `none` (junk rate = junk / made), and those lines;
- unlabelled: cards on lines the labels do not mention (neither scored as found nor as junk), so a labeller can
  judge them and add a row.

Cards on `context` lines are counted in `made` only. Exit status: 0, or 1 when --min-recall / --max-junk are given
and the totals miss them (both are fractions: 0.9 means 90 %), or 2 on bad labels or a missing binary.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from collections import OrderedDict

LABELS = ("card", "question", "none", "context")


def die(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def read_labels(path):
    """{(repo, commit, path): {line: label}} in file order; exits on a malformed row."""
    files = OrderedDict()
    problems = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            row = raw.rstrip("\n")
            if not row.strip() or row.startswith("#"):
                continue
            cols = row.split("\t")
            if len(cols) != 5:
                problems.append(f"{path}:{n}: want 5 tab-separated columns, got {len(cols)}")
                continue
            repo, commit, rel, line, label = cols
            if label not in LABELS:
                problems.append(f"{path}:{n}: label {label!r} is not one of {', '.join(LABELS)}")
                continue
            try:
                line = int(line)
            except ValueError:
                problems.append(f"{path}:{n}: line {line!r} is not a number")
                continue
            lines = files.setdefault((repo, commit, rel), {})
            if line in lines:
                problems.append(f"{path}:{n}: {repo}/{rel}:{line} is labelled twice")
                continue
            lines[line] = label
    if problems:
        die("\n".join(problems))
    return files


def checkout_commit(folder):
    """HEAD of the checkout when it is a git work tree, else None (a plain copy cannot be checked)."""
    if not os.path.exists(os.path.join(folder, ".git")):
        return None
    try:
        out = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def run_cards(binary, notes, data_dir, env):
    """The entries of `amgi --notes NOTES cards --json`, or an error message. Exit 1 with output is a deck where
    some notes could not be read: what was read still counts."""
    cmd = [binary, "--notes", notes, "--data-dir", data_dir, "cards", "--json"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    except OSError as e:
        return None, str(e)
    if out.returncode != 0 and not out.stdout:
        return None, f"exit {out.returncode}: {out.stderr.strip()}"
    return [json.loads(raw) for raw in out.stdout.splitlines() if raw.strip()], None


def split_kinds(entries):
    """(card lines, question lines) of some entries. An entry without a `kind` (amgi before questions were kept)
    is a card."""
    cards, questions = [], []
    for entry in entries:
        (questions if entry.get("kind") == "question" else cards).append(int(entry["line"]))
    return cards, questions


def repo_lines(binary, folder, data_dir, env):
    """{file: (card lines, question lines)} of the cards amgi makes from a whole repository, as a user runs it
    (`amgi --notes REPO`): a front page is only one at the root of the notes, and files see each other (copies)."""
    entries, err = run_cards(binary, folder, data_dir, env)
    if err is not None:
        return None, err
    by_file = {}
    for entry in entries:
        by_file.setdefault(unicodedata.normalize("NFC", entry["file"]), []).append(entry)
    return {file: split_kinds(group) for file, group in by_file.items()}, None


def card_lines(binary, note, data_dir, env):
    """The start lines of the cards and of the answerless questions amgi makes from one file named alone."""
    entries, err = run_cards(binary, note, data_dir, env)
    return (None, err) if err is not None else (split_kinds(entries), None)


def cols(text):
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, width):
    return text + " " * (width - cols(text))


def pct(part, whole):
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


def numbers(lines):
    return ", ".join(str(n) for n in sorted(lines)) if lines else "-"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(root, "target")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("corpus", help="folder with one checkout per repository, named owner+name")
    ap.add_argument("--bin", default=os.path.join(target, "release", "amgi"),
                    help="the amgi binary (default: target/release/amgi in this checkout)")
    ap.add_argument("--labels", default=os.path.join(root, "bench", "labels.tsv"), help="the labels file")
    ap.add_argument("--per-file", action="store_true",
                    help="run amgi on each labelled file alone (`--notes FILE`) rather than on its whole repository")
    ap.add_argument("--min-recall", type=float, help="exit 1 when the total recall is below this fraction")
    ap.add_argument("--max-junk", type=float, help="exit 1 when the total junk rate is above this fraction")
    args = ap.parse_args()

    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        die(f"no amgi binary at {args.bin} (cargo build --release, or pass --bin)")
    files = read_labels(args.labels)
    env = {k: v for k, v in os.environ.items() if k != "AMGI_NOTES"}

    rows, details, missing = [], [], []
    whole = {}
    total = dict(cards=0, found=0, made=0, junk=0, unlabelled=0, questions=0, kept=0)
    with tempfile.TemporaryDirectory(prefix="amgi-labels-") as data_dir:
        for (repo, commit, rel), labels in files.items():
            name = f"{repo}/{rel}"
            folder = os.path.join(args.corpus, repo)
            note = os.path.join(folder, rel)
            if not os.path.isfile(note):
                missing.append(name)
                print(f"warning: {name} is missing from {args.corpus} (want {repo} at {commit})", file=sys.stderr)
                continue
            head = checkout_commit(folder)
            if head is not None and head != commit:
                print(f"warning: {folder} is at {head}, the labels are for {commit}: line numbers may be off",
                      file=sys.stderr)
            if args.per_file:
                got, err = card_lines(args.bin, note, data_dir, env)
            else:
                if repo not in whole:
                    whole[repo] = repo_lines(args.bin, folder, data_dir, env)
                files_of, err = whole[repo]
                got = (files_of or {}).get(unicodedata.normalize("NFC", rel), ([], []))
            if err is not None:
                print(f"warning: amgi failed on {name}: {err}; counted as no cards", file=sys.stderr)
                got = ([], [])
            made, asked = got
            starts = set(made)
            want = {n for n, lab in labels.items() if lab == "card"}
            # A card on a line that only asks (no answer written) is junk as much as one on a `none` line.
            unwanted = {n for n, lab in labels.items() if lab in ("none", "question")}
            open_qs = {n for n, lab in labels.items() if lab == "question"}
            found = want & starts
            junk = [n for n in made if n in unwanted]
            kept = open_qs & set(asked)
            unlabelled = sorted({n for n in made if n not in labels})
            n_unlabelled = sum(1 for n in made if n not in labels)
            for key, value in (("cards", len(want)), ("found", len(found)), ("made", len(made)),
                               ("junk", len(junk)), ("unlabelled", n_unlabelled), ("questions", len(open_qs)),
                               ("kept", len(kept))):
                total[key] += value
            rows.append((name, len(want), len(found), len(made), len(junk), len(open_qs), len(kept), n_unlabelled))
            details.append((name, sorted(want - starts), sorted(set(junk)), sorted(open_qs - set(asked)), unlabelled))

    width = max([cols(r[0]) for r in rows] + [len("total")])
    head = (f"{pad('file', width)}  cards  found  recall   made   junk  junk%  questions   kept   kept%"
            f"  unlabelled")
    print(head)
    print("-" * len(head))

    def line(name, cards, found, made, junk, qs, kept, unl):
        print(f"{pad(name, width)}  {cards:5d}  {found:5d}  {pct(found, cards)}  {made:5d}  {junk:5d} {pct(junk, made)}"
              f"  {qs:9d}  {kept:5d}  {pct(kept, qs)}  {unl:10d}")

    for row in rows:
        line(*row)
    print("-" * len(head))
    by_repo = OrderedDict()
    for row in rows:
        acc = by_repo.setdefault(row[0].split("/", 1)[0], [0] * 7)
        for i, value in enumerate(row[1:]):
            acc[i] += value
    if len(by_repo) > 1:
        for repo, acc in by_repo.items():
            line(repo, *acc)
        print("-" * len(head))
    line("total", total["cards"], total["found"], total["made"], total["junk"], total["questions"], total["kept"],
         total["unlabelled"])
    if missing:
        print(f"\n{len(missing)} labelled file(s) missing, left out of the totals: {', '.join(missing)}")

    print("\nLines to look at (missed: labelled card, no card; junk: a card on a line labelled none or question;"
          " lost: labelled question, not kept as one; unlabelled: a card on a line with no label):")
    for name, missed, junk, lost, unlabelled in details:
        if not (missed or junk or lost or unlabelled):
            continue
        print(f"\n{name}")
        print(f"  missed:     {numbers(missed)}")
        print(f"  junk:       {numbers(junk)}")
        print(f"  lost:       {numbers(lost)}")
        print(f"  unlabelled: {numbers(unlabelled)}")

    recall = total["found"] / total["cards"] if total["cards"] else 1.0
    junk_rate = total["junk"] / total["made"] if total["made"] else 0.0
    failed = []
    if args.min_recall is not None and recall < args.min_recall:
        failed.append(f"recall {recall:.3f} < {args.min_recall}")
    if args.max_junk is not None and junk_rate > args.max_junk:
        failed.append(f"junk {junk_rate:.3f} > {args.max_junk}")
    if failed:
        print("\nFAIL: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
