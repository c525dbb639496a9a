#!/usr/bin/env bash
# What amgi makes of real interview notes: per repo, the markdown files read, cards, topics, `check` findings by
# kind and the answers still carrying markup that is not the note's content (raw HTML, navigation links and
# badges, a leading or trailing rule, :emoji: shortcodes), with a TOTAL row and counts per category.
#
# CORPUS_DIR is a folder of checkouts, one per repo, each named owner+name. Each repo is read on its own with a
# fresh --data-dir and AMGI_NOTES unset. Nothing is timed; bench/cards.sh times the same command.
#
# Builds the release binary unless --bin is given. --show CATEGORY (html, nav, edge-rule, shortcode) prints up
# to 20 hits; --sample N --seed S prints N cards picked at random for a person to judge; --self-test checks the
# detector alone. The work is done by bench/real_notes.py (python3, standard library only).
# Usage: bash bench/real-notes.sh CORPUS_DIR [--bin PATH] [--show CATEGORY] [--sample N --seed S]
#        bash bench/real-notes.sh --self-test
set -euo pipefail

caller=$PWD
script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/real_notes.py
given_bin=
self_test=
corpus=
args=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --bin)
            [[ $# -ge 2 ]] || { echo "--bin needs a path" >&2; exit 2; }
            given_bin=$2
            shift 2
            ;;
        --bin=*)
            given_bin=${1#--bin=}
            shift
            ;;
        --self-test)
            self_test=1
            args+=("$1")
            shift
            ;;
        --show | --sample | --seed)
            [[ $# -ge 2 ]] || { echo "$1 needs a value" >&2; exit 2; }
            args+=("$1" "$2")
            shift 2
            ;;
        -*)
            args+=("$1")
            shift
            ;;
        *)
            corpus=$1
            args+=("$1")
            shift
            ;;
    esac
done
if [[ -z $self_test && -z $corpus ]]; then
    echo "usage: bash bench/real-notes.sh CORPUS_DIR [--bin PATH] [--show CATEGORY] [--sample N --seed S]" >&2
    exit 2
fi

if [[ -n $self_test ]]; then
    exec python3 "$script" "${args[@]}"
fi

if [[ -n $given_bin ]]; then
    bin=$given_bin
else
    # shellcheck source=bench/common.sh
    source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
    cargo build --release --quiet --bin amgi
    cd "$caller"
fi

exec python3 "$script" --bin "$bin" "${args[@]}"
