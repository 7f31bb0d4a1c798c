"""Grouping purpose proposals by meaning, so a round can vote on a few ideas, not many wordings.

`group_proposals(texts, max_groups)` returns groups of indices into `texts`: every
index exactly once, at most `max_groups` groups, largest first, indices ascending
within a group; the same input always gives the same groups.

How:

1. **One idea, however worded, is one idea.** Texts whose lexical similarity
   (TF-IDF over word stems and character n-grams, see `grouping_lexical`) is at
   least `SAME_IDEA`, as a cluster's average (so no chaining), are joined first,
   whatever the mode: case, punctuation, plurals and a changed word or two never
   split a statement. There are never more groups than such ideas, and each idea
   counts once below, however often it was proposed.
2. **Ideas are clustered into at most `max_groups` groups**, and ideas at least
   `SAME_THEME` alike are one theme even when there are few: a round of eight
   proposals, two of them one wish in other words, gives fewer than eight themes.

   - *semantic* (the `semantic` extra, see `grouping_semantic`): one sentence
     embedding per idea, pooled over its content tokens. Up to `FEW_IDEAS` times
     `max_groups` ideas, average linkage of their cosines, joining while the mean
     is at least `SAME_THEME`. More ideas are **centred** (the
     mean vector removed: every purpose statement shares a "this is a purpose
     statement" direction that otherwise dominates the cosines), then **spectral
     clustering**: self-tuning affinities (each idea's distances scaled by that to its
     `LOCAL_SCALE`-th nearest idea) are normalised like a graph Laplacian, and k-means
     groups the rows of its top `max_groups` eigenvectors. It follows the neighbourhoods
     that embeddings of short statements do form, where Ward or average linkage assume
     compact clusters; docs/benchmarks.md ("Proposal grouping") compares them on the
     three dev sets.
   - *lexical* (default install, numpy only): average-linkage agglomerative
     clustering of the TF-IDF cosines, likewise joining while at least `SAME_THEME`.
     Word overlap finds repeats and close variants; it cannot know that "theatre
     capacity" and "waiting lists" are one theme.

k-means uses k-means++ seeding from a fixed seed and keeps the best of several
restarts (lowest inertia), so the result is deterministic.

`central_index(texts, group)` finds a group's most central statement (its first draft);
`group_title(texts, limit, context)` the phrase its statements share (`titles`).
`prepare(texts)` embeds proposals ahead of grouping (as they arrive).
`adjusted_rand_index` scores a grouping against labelled data (tests, bench).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from math import comb
from typing import Literal

import numpy as np

from dialogs.purpose.grouping import lexical as grouping_lexical
from dialogs.purpose.grouping import semantic as grouping_semantic
from dialogs.purpose.grouping.lexical import unit_rows
from dialogs.purpose.grouping.titles import theme_title

Mode = Literal["semantic", "lexical"]

# Lexical cosine at or above which texts are one idea. Rewordings of a dev-set statement
# (case, punctuation, plurals, words added or changed) score 0.6 and more; two different
# dev-set statements score under 0.3. Short texts differing in one of three words (such
# as "cut waiting times" and "cut waiting lists") score about 0.6: one idea.
SAME_IDEA = 0.5
# Mean cosine at or above which ideas are one theme, however few there are (a round of eight
# proposals is still grouped). Measured on small rounds drawn from the labelled statements in
# tests/dialogs/purpose/data (8 to 12 statements of 3 to 6 themes, docs/benchmarks.md): 0.30
# scores the best adjusted Rand index there, but it also joins ideas people call different
# ("join up care" and "share our workforce", 0.43), and 6 statements on 3 subjects became one
# theme. At 0.40 rewordings (0.6 to 0.85) still join and different subjects (0.2 to 0.38)
# stay apart, with ARI 0.210 and 0.304 against 0.154 and 0.253 before. Lexical cosines don't
# separate themes (theme-mates share few words): at 0.20 every pair joined in the first set
# was of two different themes, so lexical mode joins only ideas sharing most key words, at 0.30.
SAME_THEME: dict[Mode, float] = {"semantic": 0.40, "lexical": 0.30}
# Up to this many times `max_groups` ideas, semantic grouping joins ideas by SAME_THEME alone;
# above it, spectral clustering into `max_groups` groups follows the themes better.
FEW_IDEAS = 2
# Each idea's distance scale is that to its LOCAL_SCALE-th nearest idea. Chosen on the three
# dev sets (docs/benchmarks.md, "Proposal grouping"): 5 to 8 give the same groups there, and
# leaving any one set out of the choice picks a value in that range.
LOCAL_SCALE = 7
KMEANS_RESTARTS = 50
KMEANS_ITERATIONS = 100
SEED = 2026


def grouping_mode() -> Mode:
    """The mode in use: "semantic" when the extra is installed (and its model loads), else
    "lexical"."""
    return "semantic" if grouping_semantic.available() else "lexical"


def group_proposals(
    texts: list[str], max_groups: int, *, mode: Mode | None = None
) -> list[list[int]]:
    """Groups of indices into `texts`, every index once, at most `max_groups` groups,
    largest first, indices ascending inside a group. `mode` defaults to `grouping_mode()`."""
    _check(mode)
    if max_groups < 1:
        raise ValueError(f"max_groups must be at least 1, not {max_groups}")
    if not texts:
        return []
    if max_groups == 1:
        return [list(range(len(texts)))]
    lexical = grouping_lexical.features(texts)
    ideas = _same_ideas(lexical)
    if len(ideas) == 1:
        return _ordered(ideas)
    vectors, mode = _idea_vectors(texts, ideas, lexical, mode)
    if mode == "semantic" and len(ideas) > FEW_IDEAS * max_groups:
        labels = _spectral(unit_rows(vectors - vectors.mean(axis=0)), max_groups)
    else:
        similarity = _wordless_apart(vectors @ vectors.T, [texts[idea[0]] for idea in ideas])
        labels = _average_linkage(similarity, max_groups, join_at=SAME_THEME[mode])
    groups: dict[int, list[int]] = {}
    for idea, label in zip(ideas, labels, strict=True):
        groups.setdefault(int(label), []).extend(idea)
    return _ordered(list(groups.values()))


def prepare(texts: list[str]) -> None:
    """Embed `texts` now (semantic mode; nothing in lexical mode), so that grouping them
    later only clusters: call it as proposals arrive, off the event loop. The first call
    in a process also loads the model."""
    if grouping_mode() == "semantic":
        # A model that will not load is logged once; grouping then falls back to lexical.
        with suppress(grouping_semantic.ModelUnavailable):
            grouping_semantic.embed(texts)


# One background thread embeds proposals as they arrive, so no turn waits for the model.
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="concord-grouping")


def prepare_in_background(texts: list[str]) -> None:
    """`prepare(texts)` on a background thread, returning at once. With no texts it only
    loads the model (a purpose round starting warms it up)."""
    if grouping_mode() == "semantic":
        _BACKGROUND.submit(_prepare_quietly, list(texts))


def _prepare_quietly(texts: list[str]) -> None:
    with suppress(grouping_semantic.ModelUnavailable):
        grouping_semantic.load()
    prepare(texts)


def central_index(texts: list[str], group: list[int], *, mode: Mode | None = None) -> int:
    """The index (from `group`) of its most central statement: the one most similar to the
    group's others, a statement proposed in several wordings counting once per wording.
    Ties go to the lowest index."""
    _check(mode)
    if not group:
        raise ValueError("an empty group has no central statement")
    members = sorted(group)
    if len(members) <= 2:
        return members[0]
    chosen = [texts[i] for i in members]
    lexical = grouping_lexical.features(chosen)
    ideas = _same_ideas(lexical)
    vectors, _ = _idea_vectors(chosen, ideas, lexical, mode)
    weights = np.array([len(idea) for idea in ideas], dtype=float)
    centrality = (vectors @ vectors.T) @ weights
    return members[ideas[int(np.argmax(centrality))][0]]


def group_title(texts: list[str], limit: int, context: list[str]) -> str | None:
    """The phrase a group's statements share (`titles.theme_title`), or None when there is
    none, or when they are all one idea in several wordings: that idea, as its central
    statement says it, is then the best title."""
    if len(_same_ideas(grouping_lexical.features(texts))) == 1:
        return None
    return theme_title(texts, limit, context)


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Hubert & Arabie's adjusted Rand index of two labellings of the same items: 1 when
    they agree exactly, about 0 for a chance grouping, negative for worse than chance."""
    if len(a) != len(b):
        raise ValueError("both labellings must label the same items")
    pairs = sum(comb(n, 2) for n in Counter(zip(a, b, strict=True)).values())
    pairs_a = sum(comb(n, 2) for n in Counter(a).values())
    pairs_b = sum(comb(n, 2) for n in Counter(b).values())
    expected = pairs_a * pairs_b / comb(len(a), 2) if len(a) > 1 else 0.0
    best = (pairs_a + pairs_b) / 2
    if best == expected:
        return 1.0
    return (pairs - expected) / (best - expected)


def labels_of(groups: list[list[int]]) -> list[int]:
    """The group number of each index, for comparing groupings item by item."""
    labels = [0] * sum(len(group) for group in groups)
    for number, group in enumerate(groups):
        for index in group:
            labels[index] = number
    return labels


def _check(mode: Mode | None) -> None:
    if mode not in (None, "semantic", "lexical"):
        raise ValueError(f"mode must be 'semantic' or 'lexical', not {mode!r}")


def _idea_vectors(
    texts: list[str], ideas: list[list[int]], lexical: np.ndarray, mode: Mode | None
) -> tuple[np.ndarray, Mode]:
    """One unit row per idea, and the mode that made them. Semantic: the embedding of the
    idea's first text (its rewordings embed to nearly the same point, so one text per idea
    is embedded); lexical: the mean of its texts' rows. Semantic falls back to lexical
    when its model will not load, unless semantic was asked for by name."""
    if (mode or grouping_mode()) == "semantic":
        try:
            return grouping_semantic.embed([texts[idea[0]] for idea in ideas]), "semantic"
        except grouping_semantic.ModelUnavailable:
            if mode == "semantic":
                raise
    return unit_rows(np.array([lexical[idea].mean(axis=0) for idea in ideas])), "lexical"


def _same_ideas(lexical: np.ndarray) -> list[list[int]]:
    """Texts joined while their clusters' mean lexical cosine stays at least SAME_IDEA
    (average linkage, so a chain of texts that each share half their words with the
    next is not one idea)."""
    labels = _average_linkage(lexical @ lexical.T, len(lexical), join_at=SAME_IDEA)
    ideas: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        ideas.setdefault(label, []).append(i)
    return list(ideas.values())


def _wordless_apart(similarity: np.ndarray, texts: list[str]) -> np.ndarray:
    """`similarity` with a text that has no words ("", "?") like no other: it means nothing
    a theme could share, however close its embedding."""
    apart = similarity.copy()
    for i, text in enumerate(texts):
        if not grouping_lexical.words(text):
            apart[i, :], apart[:, i] = 0.0, 0.0
            apart[i, i] = 1.0
    return apart


def _ordered(groups: list[list[int]]) -> list[list[int]]:
    """Largest group first (ties: the one with the lowest index), indices ascending."""
    return sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))


def _average_linkage(similarity: np.ndarray, most: int, join_at: float = np.inf) -> list[int]:
    """Agglomerative clustering: repeatedly join the two clusters with the highest mean
    pairwise similarity (Lance-Williams update) while there are more than `most`, and after
    that while that mean is at least `join_at`. One label per row."""
    n = len(similarity)
    s = similarity.astype(float).copy()
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n)
    label = np.arange(n)
    for clusters in range(n, 1, -1):
        a, b = sorted(np.unravel_index(int(np.argmax(s)), s.shape))
        if clusters <= most and s[a, b] < join_at:
            break
        merged = (size[a] * s[a] + size[b] * s[b]) / (size[a] + size[b])
        s[a], s[:, a] = merged, merged
        s[a, a] = -np.inf
        s[b], s[:, b] = -np.inf, -np.inf
        size[a] += size[b]
        label[label == b] = a
    return [int(x) for x in label]


def _spectral(vectors: np.ndarray, k: int) -> list[int]:
    """Normalised spectral clustering (Ng, Jordan & Weiss) of unit rows into k clusters,
    with self-tuning affinities (Zelnik-Manor & Perona): exp(-d²/(σᵢσⱼ)), σᵢ the distance
    from row i to its LOCAL_SCALE-th nearest neighbour, so a dense theme and a spread-out
    one are each judged by their own neighbourhoods, not by one global cut-off."""
    distances = np.sqrt(np.clip(2.0 - 2.0 * (vectors @ vectors.T), 0.0, None))
    scale = np.sort(distances, axis=1)[:, min(LOCAL_SCALE, len(vectors) - 1)] + 1e-9
    affinity = np.exp(-(distances**2) / (scale[:, None] * scale[None, :]))
    np.fill_diagonal(affinity, 0.0)
    degree = 1.0 / np.sqrt(affinity.sum(axis=1))
    _, eigenvectors = np.linalg.eigh(degree[:, None] * affinity * degree[None, :])
    return _kmeans(unit_rows(eigenvectors[:, -k:]), k)


def _kmeans(points: np.ndarray, k: int) -> list[int]:
    """Euclidean k-means, k-means++ seeding from a fixed seed, best of several restarts."""
    rng = np.random.default_rng(SEED)
    best: tuple[float, np.ndarray] | None = None
    for _ in range(KMEANS_RESTARTS):
        centres = _kmeans_plus_plus(points, k, rng)
        for _ in range(KMEANS_ITERATIONS):
            distances = _squared_distances(points, centres)
            labels = distances.argmin(axis=1)
            moved = np.array(
                [
                    points[labels == j].mean(axis=0) if (labels == j).any() else centre
                    for j, centre in enumerate(centres)
                ]
            )
            if np.allclose(moved, centres):
                break
            centres = moved
        inertia = float(distances[np.arange(len(points)), labels].sum())
        if best is None or inertia < best[0] - 1e-12:
            best = (inertia, labels)
    assert best is not None
    return [int(x) for x in best[1]]


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return (
        (points**2).sum(axis=1)[:, None]
        - 2.0 * points @ centres.T
        + (centres**2).sum(axis=1)[None, :]
    )


def _kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [int(rng.integers(len(points)))]
    nearest = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(k - 1):
        total = nearest.sum()
        if total <= 0:  # fewer distinct points than k: the rest stay empty
            break
        chosen.append(int(rng.choice(len(points), p=nearest / total)))
        nearest = np.minimum(nearest, ((points - points[chosen[-1]]) ** 2).sum(axis=1))
    return points[chosen].copy()
