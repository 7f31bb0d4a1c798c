"""Teams on the Microsoft 365 Agents SDK (CONCORD_TEAMS_SDK=agents, the `concord[agents]`
extra): the edge, the delivery port and the SDK's connection settings."""
