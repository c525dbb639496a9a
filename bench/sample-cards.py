#!/usr/bin/env python3
"""Draw a random sample of the cards amgi makes from whole repositories, for a person to judge, and total the
judgements.

    python3 bench/sample-cards.py draw CORPUS_DIR OUT_DIR [--bin PATH] [--count 40] [--seed 23] [REPO…]
    python3 bench/sample-cards.py score VERDICTS.tsv

`draw` runs `amgi --notes CORPUS_DIR/REPO cards --json` for each repository (all folders of CORPUS_DIR when none
are named) and writes OUT_DIR/REPO.md: the sampled cards, each with its file, line, path, question and the start
of its answer, numbered, for reading. It holds the notes' text, so it stays out of the repository. The judge writes
one row per card to a TSV, without any of the notes' text:

    repo<TAB>commit<TAB>file<TAB>line<TAB>verdict<TAB>why

verdict is `wanted` (a user would drill this card as it is), `fix` (a real question, but its answer is cut short,
swallows another question or holds junk, or its path misleads) or `junk` (no one would drill it: not a question,
an introduction, navigation, a part of another answer). why is a short category (`cut`, `swallows`, `intro`,
`part`, `nav`, `path`, …) or `-`.

`score` prints, per repository and in total, how many of the sampled cards are wanted, to fix and junk.
"""

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile


def draw(args):
    repos = args.repos or sorted(d for d in os.listdir(args.corpus) if os.path.isdir(os.path.join(args.corpus, d)))
    os.makedirs(args.out, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "AMGI_NOTES"}
    for repo in repos:
        folder = os.path.join(args.corpus, repo)
        commit = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        with tempfile.TemporaryDirectory() as data:
            out = subprocess.run([args.bin, "--notes", folder, "--data-dir", data, "cards", "--json"],
                                 capture_output=True, text=True, env=env)
        cards = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        cards = [c for c in cards if c.get("kind", "card") == "card"]
        sample = random.Random(args.seed).sample(cards, min(args.count, len(cards)))
        sample.sort(key=lambda c: (c["file"], c["line"]))
        with open(os.path.join(args.out, f"{repo}.md"), "w", encoding="utf-8") as f:
            f.write(f"# {repo} at {commit}: {len(sample)} of {len(cards)} cards\n\n")
            for n, c in enumerate(sample, 1):
                shown = " › ".join(c.get("folders", []) + [c["topic"]] + c["path"] + [c["question"]])
                answer = c["answer"]
                cut = answer[:700] + (f"\n[… {len(answer) - 700} more characters]" if len(answer) > 700 else "")
                # The quiz lists a card's parts after its answer: the cards right under its question in its file.
                parts = [p["question"] for p in cards if p["file"] == c["file"] and p.get("folders") == c.get("folders")
                         and p["path"] == c["path"] + [c["question"]]]
                listed = f"Its parts, each a card of its own: {' · '.join(parts)}\n\n" if parts else ""
                f.write(f"## {n}. {repo}\t{commit}\t{c['file']}\t{c['line']}\n\n**{shown}**\n\n```\n{cut}\n```\n\n"
                        f"{listed}")
        print(f"{repo}: {len(sample)} of {len(cards)} cards -> {os.path.join(args.out, repo + '.md')}")


def score(args):
    per = collections.OrderedDict()
    with open(args.verdicts, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            row = raw.rstrip("\n")
            if not row.strip() or row.startswith("#"):
                continue
            cols = row.split("\t")
            if len(cols) != 6 or cols[4] not in ("wanted", "fix", "junk"):
                sys.exit(f"{args.verdicts}:{n}: want repo, commit, file, line, verdict (wanted|fix|junk), why")
            per.setdefault(cols[0], collections.Counter())[cols[4]] += 1
    total = collections.Counter()
    print(f"{'repository':50s} {'cards':>5s} {'wanted':>6s} {'fix':>4s} {'junk':>4s}")
    for repo, c in per.items():
        total.update(c)
        print(f"{repo:50s} {sum(c.values()):5d} {c['wanted']:6d} {c['fix']:4d} {c['junk']:4d}")
    print(f"{'total':50s} {sum(total.values()):5d} {total['wanted']:6d} {total['fix']:4d} {total['junk']:4d}")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("corpus")
    d.add_argument("out")
    d.add_argument("repos", nargs="*")
    d.add_argument("--bin", default=os.path.join(root, "target", "release", "amgi"))
    d.add_argument("--count", type=int, default=40)
    d.add_argument("--seed", type=int, default=23)
    s = sub.add_parser("score")
    s.add_argument("verdicts")
    args = ap.parse_args()
    draw(args) if args.cmd == "draw" else score(args)


if __name__ == "__main__":
    main()
