"""Grouping proposals by meaning or by words (`group_proposals`, a published API): `cluster`
decides, `lexical` and `semantic` make the vectors. Imported lazily, on first use, so processes
that run no purpose round never load numpy or the model.
"""
