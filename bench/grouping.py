"""Proposal grouping: quality on three labelled sets per mode, and the time to group 500.

Quality is the adjusted Rand index (ARI) of `group_proposals(texts, k)` against the
`theme` labels of each of tests/dialogs/purpose/data/purpose_statements_dev*.jsonl (copies
of shared/data/; 40, 48 and 45 statements of 8, 8 and 9 themes), k being the number of
themes, and their mean: the target is on the mean, so that no one set decides. Beside it,
the mean over six-theme subsets of each set (up to SUBSETS per set, grouped into 6): a
set of 40 statements makes a noisy score, the subsets steady it. Other ways of clustering
the same embeddings show what each step brings; the first is plain MiniLM + Ward.

Leaving one set out: the one parameter chosen on these sets, `LOCAL_SCALE`, is chosen
again on each pair of sets (the best mean of full-set and subset ARI) and scored on the
third, to show how much the choice depends on which sets it was made on.

Time: N proposals are made deterministically from the first set's statements (a framing
and an ending added, two statements of one theme sometimes joined, case and plurals
changed), and grouped into 8. Many are rewordings of one another, which grouping
joins before it embeds and clusters, so each is timed a second time with that step
off (every proposal its own idea): the worst case. Lexical and warm semantic runs
are in this process ("new texts": the embedding cache emptied before each run;
"cached": the same texts again); cold is a fresh Python process each run: importing
`dialogs.purpose.grouping.cluster`, loading the model, embedding and clustering.

    .venv/bin/python -m bench.grouping [--proposals 500] [--runs 5] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.report import (
    BENCHMARKS,
    command_line,
    machine,
    write_section,
)
from dialogs.purpose.grouping import cluster as grouping
from dialogs.purpose.grouping import lexical as grouping_lexical
from dialogs.purpose.grouping import semantic as grouping_semantic
from dialogs.purpose.grouping.cluster import (
    adjusted_rand_index,
    group_proposals,
    labels_of,
    unit_rows,
)
from tests.support.paths import DATA

TITLE = "Proposal grouping"
BASELINE = "MiniLM sentence embeddings, Ward (baseline)"
DEV_SETS = [DATA / f"purpose_statements_{name}.jsonl" for name in ("dev", "dev2", "dev3")]
GROUPS = 8
SUBSETS = 28
SCALES = (3, 5, 7, 10, 15)
TARGET_ARI = 0.40
TARGET_SECONDS = 2.0
FRAMES = ["{}", "We should {}", "Our shared aim: {}", "Together, {}", "I'd like us to {}"]
ENDINGS = ["", " across the whole region", " within five years", " for every community", ""]

COLD = """
import json, sys, time
started = time.perf_counter()
from dialogs.purpose.grouping import semantic as grouping_semantic
from dialogs.purpose.grouping.cluster import group_proposals
imported = time.perf_counter()
grouping_semantic.load()
loaded = time.perf_counter()
group_proposals(json.loads(sys.stdin.read()), 8, mode="semantic")
done = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported,
                  "group": done - loaded, "total": done - started}))
"""


Clusterer = Callable[[list[str], int], list[list[int]]]


def dev_set(path: Path = DEV_SETS[0]) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [row["text"] for row in rows], [row["theme"] for row in rows]


def proposals(count: int, seed: int = 2026) -> list[str]:
    """`count` different plausible proposals."""
    texts, themes = dev_set()
    by_theme: dict[str, list[str]] = {}
    for text, theme in zip(texts, themes, strict=True):
        by_theme.setdefault(theme, []).append(text)
    rng = random.Random(seed)
    made: dict[str, None] = {}
    while len(made) < count:
        theme = rng.choice(sorted(by_theme))
        first, second = rng.sample(by_theme[theme], 2)
        body = first if rng.random() < 0.7 else f"{first}, and {second[0].lower()}{second[1:]}"
        frame = rng.choice(FRAMES)
        if frame != "{}":
            body = body[0].lower() + body[1:]
        text = frame.format(body) + rng.choice(ENDINGS)
        if rng.random() < 0.2:
            text = text.replace("s ", " ", 1)
        if rng.random() < 0.1:
            text = text.lower()
        made[text] = None
    return list(made)


def ari(groups: list[list[int]], themes: list[str]) -> float:
    return adjusted_rand_index(labels_of(groups), themes)


def set_scores(cluster: Clusterer, path: Path) -> tuple[float, float]:
    """ARI on the whole set (into as many groups as themes) and the mean over up to SUBSETS
    of its six-theme subsets (the first ones in a fixed shuffle), each grouped into 6."""
    texts, themes = dev_set(path)
    whole = ari(cluster(texts, len(set(themes))), themes)
    subsets = list(itertools.combinations(sorted(set(themes)), 6))
    random.Random(2026).shuffle(subsets)
    scores = []
    for chosen in subsets[:SUBSETS]:
        keep = [i for i, theme in enumerate(themes) if theme in chosen]
        scores.append(ari(cluster([texts[i] for i in keep], 6), [themes[i] for i in keep]))
    return whole, statistics.mean(scores)


def ward(vectors: np.ndarray, k: int) -> list[list[int]]:
    """Ward agglomerative clustering (Lance-Williams on squared distances)."""
    d = ((vectors[:, None, :] - vectors[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    size = np.ones(len(vectors))
    members = {i: [i] for i in range(len(vectors))}
    while len(members) > k:
        a, b = sorted(np.unravel_index(int(np.argmin(d)), d.shape))
        total = size[a] + size[b] + size
        merged = ((size[a] + size) * d[a] + (size[b] + size) * d[b] - size * d[a, b]) / total
        d[a], d[:, a] = merged, merged
        d[a, a] = np.inf
        d[b], d[:, b] = np.inf, np.inf
        size[a] += size[b]
        members[a] += members.pop(b)
    return list(members.values())


def sentence_embeddings(texts: list[str]) -> np.ndarray:
    """The model's own pooling (mean over every token), as sentence-transformers gives it."""
    model = grouping_semantic.load()
    return model.encode(texts, normalize_embeddings=True)


def by_labels(labels: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    return list(groups.values())


def centred(vectors: np.ndarray) -> np.ndarray:
    return unit_rows(vectors - vectors.mean(axis=0))


def ways(semantic: bool) -> dict[str, Clusterer]:
    chosen: dict[str, Clusterer] = {
        "**lexical mode**: TF-IDF, average linkage": lambda t, k: group_proposals(
            t, k, mode="lexical"
        ),
    }
    if not semantic:
        return chosen
    content = grouping_semantic.embed
    return chosen | {
        BASELINE: lambda t, k: ward(sentence_embeddings(t), k),
        "content-token means, Ward": lambda t, k: ward(content(t), k),
        "content-token means centred, average linkage": lambda t, k: by_labels(
            grouping._average_linkage(centred(content(t)) @ centred(content(t)).T, k)
        ),
        "content-token means centred, spectral, global cosine affinity (before)": lambda t, k: (
            by_labels(cosine_spectral(centred(content(t)), k))
        ),
        "**semantic mode**: content-token means centred, self-tuning spectral": lambda t, k: (
            group_proposals(t, k, mode="semantic")
        ),
    }


def cosine_spectral(vectors: np.ndarray, k: int) -> list[int]:
    """Spectral clustering on cosine affinities (negatives cut to 0), as grouping was."""
    affinity = np.clip(vectors @ vectors.T, 0.0, None) + 1e-6
    np.fill_diagonal(affinity, 0.0)
    scale = 1.0 / np.sqrt(affinity.sum(axis=1))
    _, eigenvectors = np.linalg.eigh(scale[:, None] * affinity * scale[None, :])
    return grouping._kmeans(unit_rows(eigenvectors[:, -k:]), k)


Scores = list[tuple[float, float]]  # (whole set, subsets) per dev set


def quality(semantic: bool) -> list[tuple[str, Scores]]:
    return [
        (name, [set_scores(cluster, path) for path in DEV_SETS])
        for name, cluster in ways(semantic).items()
    ]


def leave_one_out() -> list[str]:
    """Table rows: LOCAL_SCALE chosen on two sets, scored on the third."""
    chosen = grouping.LOCAL_SCALE
    by_scale: dict[int, Scores] = {}
    try:
        for scale in SCALES:
            grouping.LOCAL_SCALE = scale
            by_scale[scale] = [
                set_scores(lambda t, k: group_proposals(t, k, mode="semantic"), path)
                for path in DEV_SETS
            ]
    finally:
        grouping.LOCAL_SCALE = chosen
    rows = []
    for out, path in enumerate(DEV_SETS):
        kept = [i for i in range(len(DEV_SETS)) if i != out]
        best = max(SCALES, key=lambda s: (sum(sum(by_scale[s][i]) for i in kept), -s))
        whole, subsets = by_scale[best][out]
        fixed = by_scale[chosen][out]
        rows.append(
            f"| {path.stem} | {best} | {whole:.3f} | {subsets:.3f} | {fixed[0]:.3f} | "
            f"{fixed[1]:.3f} |"
        )
    return rows


def nothing() -> None:
    """Nothing to do before a run."""


def measure(work: Callable[[], object], runs: int, before: Callable[[], None]) -> list[float]:
    seconds = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return seconds


def cold(texts: list[str], runs: int) -> tuple[dict[str, float], list[float]]:
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", COLD],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    medians = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    return medians, [s["total"] for s in samples]


def timings(texts: list[str], runs: int, semantic: bool) -> list[tuple[str, list[float]]]:
    def group(mode: grouping.Mode) -> Callable[[], object]:
        return lambda: group_proposals(texts, GROUPS, mode=mode)

    def every_one_an_idea(mode: grouping.Mode) -> Callable[[], object]:
        def work() -> object:
            joined, grouping.SAME_IDEA = grouping.SAME_IDEA, 2.0  # nothing is "the same idea"
            try:
                return group_proposals(texts, GROUPS, mode=mode)
            finally:
                grouping.SAME_IDEA = joined

        return work

    rows = [
        ("lexical", measure(group("lexical"), runs, nothing)),
        (
            f"lexical, every proposal its own idea ({len(texts)} to cluster)",
            measure(every_one_an_idea("lexical"), runs, nothing),
        ),
    ]
    if semantic:
        c, cold_seconds = cold(texts, runs)
        forget = grouping_semantic._cache.clear
        sentence_embeddings(texts[:1])  # load the model and run it once before timing warm rows
        rows += [
            (
                f"{BASELINE}: warm model, all {len(texts)} embedded and clustered",
                measure(lambda: ward(sentence_embeddings(texts), GROUPS), runs, nothing),
            ),
            (
                f"semantic, cold: a new process (import {c['import']:.1f} s + model load "
                f"{c['load']:.1f} s + embed and cluster {c['group']:.1f} s)",
                cold_seconds,
            ),
            ("semantic, warm model, new texts", measure(group("semantic"), runs, forget)),
            (
                f"semantic, warm model, new texts, every proposal its own idea "
                f"({len(texts)} to embed and cluster)",
                measure(every_one_an_idea("semantic"), runs, forget),
            ),
            ("semantic, cached texts", measure(group("semantic"), runs, nothing)),
        ]
    return rows


def report(
    scores: list[tuple[str, Scores]],
    loso: list[str],
    times: list[tuple[str, list[float]]],
    texts: list[str],
    runs: int,
) -> str:
    ideas = len(grouping._same_ideas(grouping_lexical.features(texts)))
    means = {name: statistics.mean(whole for whole, _ in each) for name, each in scores}
    base_time = next((statistics.median(s) for name, s in times if name.startswith(BASELINE)), None)
    names = [path.stem for path in DEV_SETS]
    lines = [
        "Adjusted Rand index (ARI) against each labelled set's themes (grouped into as many "
        "groups as it has themes), their mean, and the mean over six-theme subsets of the "
        f"three (up to {SUBSETS} per set, grouped into 6). 1 is perfect agreement, 0 is "
        'chance; "vs baseline" compares the mean with the baseline\'s, measured in the same '
        f"run. Target: a mean of {TARGET_ARI:.2f} with the semantic mode.",
        "",
        f"| grouping | {' | '.join(names)} | mean | subsets | vs baseline |",
        "|---|" + "---:|" * (len(names) + 3),
    ]
    lines += [
        f"| {name} | {' | '.join(f'{whole:.3f}' for whole, _ in each)} | {means[name]:.3f} | "
        f"{statistics.mean(sub for _, sub in each):.3f} | "
        f"{_ratio(means[name], means.get(BASELINE))} |"
        for name, each in scores
    ]
    if not loso:
        lines += ["", "The semantic extra is not installed: semantic rows are missing."]
    else:
        lines += [
            "",
            f"Leaving one set out: `LOCAL_SCALE` (now {grouping.LOCAL_SCALE}) chosen from "
            f"{', '.join(map(str, SCALES))} on the other two sets (best sum of whole-set and "
            "subset ARI; ties to the smaller), then scored on the set left out, beside the "
            "value in use.",
            "",
            "| left out | chosen on the others | ARI | subsets | ARI, value in use | subsets |",
            "|---|---:|---:|---:|---:|---:|",
            *loso,
        ]
    lines += [
        "",
        f"{len(texts)} proposals made from the first set's statements ({ideas} different "
        f"ideas once rewordings are joined), grouped into {GROUPS}. Only one text per idea "
        "is embedded; rows marked *every proposal its own idea* switch off step 1 of "
        "`dialogs/purpose/grouping/cluster.py`, so all "
        f"{len(texts)} are embedded and clustered: the worst "
        f"case. The baseline, in the same run, embeds all {len(texts)} with the model's own "
        "pooling and clusters them with Ward: the quality table's baseline, on these texts. "
        f"Medians of {runs} runs. Target: {TARGET_SECONDS:.0f} s. Other work on the "
        "machine was not stopped; min–max shows how much it moved the numbers.",
        "",
        f"| grouping {len(texts)} proposals | median (s) | min–max (s) | vs baseline |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {statistics.median(s):.2f} | {min(s):.2f}–{max(s):.2f} | "
        f"{_ratio(statistics.median(s), base_time)} |"
        for name, s in times
    ]
    lines += ["", f"- machine: {machine()}", f"- command: `{command_line()}`"]
    return "\n".join(lines)


def _ratio(value: float, baseline: float | None) -> str:
    return "–" if not baseline else f"{value / baseline:.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    semantic = grouping_semantic.available()
    texts = proposals(args.proposals)
    times = timings(texts, args.runs, semantic)
    scores = quality(semantic)
    loso = leave_one_out() if semantic else []
    body = report(scores, loso, times, texts, args.runs)
    print(body)
    write_section(TITLE, body, args.output)


if __name__ == "__main__":
    main()
