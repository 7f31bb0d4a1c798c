"""The platform-neutral engine, as a stack of feature packages: `core` < `commands` <
`collaborative` < `polls` < `purpose` < `checkins`, each importing only those below it. The
root holds only the switchboard that assembles them (`engine`, `runner`, `ticker`) and `home`,
a read model across features; no feature imports the root. Nothing here knows a platform: no
SDK, no platform name in a message (see docs/architecture.md).
"""
