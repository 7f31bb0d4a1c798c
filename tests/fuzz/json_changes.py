"""Generated changes to a real platform payload: some of its keys set to JSON of any shape."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def changes(keys: list[str], words: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Up to three of `keys` set to generated JSON: leaves of every type (the platform's
    own `words` among them), in lists and objects whose keys are `keys` again."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-5, 5)
        | st.sampled_from(words)
        | st.text(max_size=5)
    )

    # A named function, not a lambda: Hypothesis reads a lambda's source to describe it,
    # and that read fails now and then while another thread imports (RuntimeError:
    # dictionary changed size during iteration).
    def nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.lists(inner, max_size=3) | st.dictionaries(
            st.sampled_from(keys), inner, max_size=5
        )

    values = st.recursive(leaves, nested, max_leaves=25)
    return st.dictionaries(st.sampled_from(keys), values, max_size=3)
