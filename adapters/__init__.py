"""One subpackage per platform (Slack, Teams, the playground), each translating platform requests
into neutral events and neutral cards into platform messages. Adapters see the engine only
through the `Concord` contract (`dialogs.core.ports`) and the vocabulary in `dialogs.core`;
they import nothing from `storage/` and no feature package, and no adapter imports another.
"""
