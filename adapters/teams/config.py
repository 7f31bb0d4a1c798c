"""How Concord's Teams side is set up: the Microsoft app, local mode, and which SDK serves.

`sdk` chooses the transport (CONCORD_TEAMS_SDK): `botbuilder`, the Bot Framework SDK the
design names (archived by Microsoft on 31 December 2025), or `agents`, its supported
successor, the Microsoft 365 Agents SDK (the `concord[agents]` extra). Both read the same
settings and serve the same `/api/messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SDKS = ("botbuilder", "agents")
Sdk = Literal["botbuilder", "agents"]


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str | None = None
    app_password: str | None = None
    app_type: str = "MultiTenant"
    tenant_id: str | None = None
    public_url: str = ""
    local: bool = False
    sdk: Sdk = "botbuilder"

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)
