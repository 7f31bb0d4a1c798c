"""Grouping proposals by meaning or by words (`group_proposals`, a published API): `cluster`
decides, `lexical` and `semantic` make the vectors. Imported lazily, on first use, so processes
that run no purpose round never load numpy or the model.
"""

from dialogs.purpose.grouping.cluster import group_proposals, grouping_mode

__all__ = ["group_proposals", "grouping_mode"]
