"""What the coach reports: findings, each with a label and concrete suggestions."""

from __future__ import annotations

from dataclasses import dataclass

VAGUE = "vague"
DOUBLE = "double"
LEADING = "leading"
TOO_MANY_OPTIONS = "too_many_options"
OVERLAPPING_OPTIONS = "overlapping_options"
# The order findings are shown in: the question's wording first, then its options.
LABELS = (VAGUE, DOUBLE, LEADING, TOO_MANY_OPTIONS, OVERLAPPING_OPTIONS)


@dataclass(frozen=True)
class Finding:
    """One problem (or, with no label, a hint that never holds a question back).

    `message` says what was found in one plain sentence; each suggestion stands on its
    own (the command line prints suggestions alone) and quotes wording ready to copy.
    `rewrites` are those questions bare, for a flow that offers them as buttons: the two
    halves of a double question (two polls), a neutral or narrower rewording.
    """

    label: str | None
    message: str
    suggestions: tuple[str, ...] = ()
    rewrites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    """Everything the coach found in one question, problems first, hints last."""

    findings: tuple[Finding, ...]

    @property
    def labels(self) -> list[str]:
        found = {finding.label for finding in self.findings}
        return [label for label in LABELS if label in found]

    @property
    def needs_attention(self) -> bool:
        """Whether the question should be held in the preview; hints alone post at once."""
        return any(finding.label for finding in self.findings)

    @property
    def suggestions(self) -> list[str]:
        return [suggestion for finding in self.findings for suggestion in finding.suggestions]
