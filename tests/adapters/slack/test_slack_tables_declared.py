"""slack_sdk keeps its OAuth stores in Concord's database, outside our models: their columns
must be the ones `storage.personal_data.LIBRARY_TABLES` declares, so `docs/data.md` tells a
data protection officer the truth about them after a slack_sdk upgrade too."""

from __future__ import annotations

from adapters.slack.installations import SlackInstallations
from storage.personal_data import LIBRARY_TABLES


def test_the_slack_oauth_tables_are_declared_column_for_column() -> None:
    installations = SlackInstallations("sqlite://", client_id="client")  # never connected
    stores = installations.installation_store, installations.state_store
    tables = [stores[0].installations, stores[0].bots, stores[1].oauth_states]
    assert {table.name for table in tables} == set(LIBRARY_TABLES)
    for table in tables:
        declared = LIBRARY_TABLES[table.name]
        assert set(declared.personal).isdisjoint(declared.other.split()), table.name
        assert declared.columns() == {column.name for column in table.columns}, table.name
