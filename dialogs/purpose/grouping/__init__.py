"""Grouping proposals by meaning or by words (`group_proposals`, a published API): `cluster`
decides, `lexical` and `semantic` make the vectors, `titles` names each group. Imported
lazily, on first use, so processes that run no purpose round never load numpy or the model.
"""

from dialogs.purpose.grouping.cluster import group_proposals, grouping_mode
from dialogs.purpose.grouping.titles import theme_title

__all__ = ["group_proposals", "grouping_mode", "theme_title"]
