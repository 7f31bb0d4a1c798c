"""The words drawn on a chart (titles, axes, bar labels) are in the language of the card that
links it: a Welsh card links `?lang=cy`, and the picture it gets is in Welsh."""

from __future__ import annotations

import asyncio

from bot.charts import result_figure, trend_figure
from dialogs.core.charts import ResultChart, TrendChart, chart_url
from dialogs.core.language import speaking
from tests.bot.test_charts import PNG_SIGNATURE, app_client, closed_poll_chart  # noqa: F401

RUN_OFF = ResultChart(
    "Which first?",
    ["Beds", "Discharge", "Workforce"],
    [{"Beds": 2, "Discharge": 2, "Workforce": 1}, {"Beds": 3, "Discharge": 2}],
    "vote",
    winner="Beds",
)
TREND = TrendChart(["7 Rhag", "14 Rhag"], {"How are we doing?": [2.0, 4.0]})
FIRST = TrendChart(["7 Rhag"], {"How are we doing?": [None]})


def words(figure) -> list[str]:
    """Every word drawn on `figure`: its title, each panel's title, axes and bar labels."""
    figure.canvas.draw()
    said = [figure.get_suptitle()]
    for axes in figure.axes:
        if axes.get_visible():
            said += [axes.get_title(), axes.get_xlabel(), axes.get_ylabel()]
            said += [text.get_text() for text in axes.texts]
    return [text for text in said if text]


def test_a_welsh_run_off_chart_names_its_rounds_and_winner_in_welsh():
    with speaking("cy"):
        drawn = words(result_figure(RUN_OFF))
    assert drawn == [
        "Which first?",
        "Rownd 1",
        "2",
        "2",
        "1",
        "Rownd 2 (olaf)",
        "3 (enillydd)",
        "2",
        "allan",
    ]
    assert "Round 2 (final)" in words(result_figure(RUN_OFF)), "English unchanged"


def test_a_welsh_trend_chart_has_welsh_titles_and_axes():
    with speaking("cy"):
        assert words(trend_figure(TREND)) == [
            "Atebion cyfartalog dros 2 wiriad",
            "ateb cyfartalog (1–5)",
        ]
        assert words(trend_figure(FIRST)) == [
            "Atebion cyfartalog ar 7 Rhag (y gwiriad cyntaf)",
            "ateb cyfartalog (1–5)",
            "dim atebion",
        ]


def test_a_card_links_the_picture_in_its_own_language():
    with speaking("cy"):
        assert chart_url("abc") == "/charts/abc.png?lang=cy"
    with speaking("en"):
        assert chart_url("abc") == "/charts/abc.png"


async def test_the_chart_link_draws_the_language_it_asks_for(app_client):  # noqa: F811
    client, database = app_client
    url = await asyncio.to_thread(closed_poll_chart, database, "live", True)
    english, welsh, unknown = [
        await (await client.get(url, params=params)).read()
        for params in ({}, {"lang": "cy"}, {"lang": "xx"})
    ]
    assert welsh.startswith(PNG_SIGNATURE)
    assert welsh != english, "the Welsh picture has other words"
    assert unknown == english, "a language we don't speak gets English"
