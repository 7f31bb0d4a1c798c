"""What a chart shows (D-13), read from the matplotlib figure, not from pixels: whole-number
axes for counts, the score poll's whole scale, values on the bars, the winner marked, every
round of an instant run-off, titles that fit, and no one-point "trend"."""

from __future__ import annotations

from bot.charts import result_figure, trend_figure
from dialogs.core.charts import ResultChart, TrendChart

QUESTION = (
    "Poll #7: Which of our shared priorities should the partnership take on first, given "
    "what the winter plan says about discharge delays and workforce? Rank them, favourite first"
)


def panels(figure):
    return [axes for axes in figure.axes if axes.get_visible()]


def bar_labels(axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def tick_labels(axes, axis: str) -> list[str]:
    ticks = axes.get_xticklabels() if axis == "x" else axes.get_yticklabels()
    return [tick.get_text() for tick in ticks]


def votes(counts: dict[str, int], winner: str | None = "Beds") -> ResultChart:
    return ResultChart("Poll #1: Which first?", list(counts), [counts], "vote", winner)


def test_counts_sit_on_a_whole_number_axis_with_each_value_on_its_bar():
    figure = result_figure(votes({"Beds": 2, "Discharge": 1, "Workforce": 0}))
    figure.canvas.draw()
    (axes,) = panels(figure)
    assert bar_labels(axes) == ["2 (winner)", "1", "0"]
    ticks = tick_labels(axes, "x")
    assert ticks[:3] == ["0", "1", "2"] and all(t.isdigit() for t in ticks), "no quarter-votes"
    assert tick_labels(axes, "y") == ["Beds", "Discharge", "Workforce"], "in the poll's order"


def test_the_winner_alone_has_the_strong_colour():
    figure = result_figure(votes({"Beds": 2, "Discharge": 1}))
    colours = [bar.get_facecolor() for bar in panels(figure)[0].patches]
    assert colours[0] != colours[1]
    tied = result_figure(votes({"Beds": 2, "Discharge": 2}, winner=None))
    assert bar_labels(panels(tied)[0]) == ["2", "2"], "a tie marks no winner"


def test_a_long_title_wraps_inside_the_picture_and_long_labels_end_with_an_ellipsis():
    label = "Discharge delays across the whole system of care, winter and summer alike"
    figure = result_figure(
        ResultChart(QUESTION, [label, "Beds"], [{label: 3, "Beds": 1}], "vote", label)
    )
    figure.canvas.draw()
    title = figure.get_suptitle()
    assert title.startswith("Poll #7: Which of our shared priorities")
    assert "\n" in title
    edges = figure.texts[0].get_window_extent()
    assert edges.x0 >= 0 and edges.x1 <= figure.bbox.x1, "the title fits the picture"
    shown = tick_labels(panels(figure)[0], "y")[0]
    assert shown.endswith("…") and "[...]" not in shown
    assert len(shown.splitlines()) == 2


def test_a_score_chart_runs_the_whole_scale():
    means = {"Beds": 4.25, "Discharge": 2.5}
    chart = ResultChart("Poll #2: Score them", list(means), [means], "mean score", "Beds", (0, 5))
    figure = result_figure(chart)
    figure.canvas.draw()
    (axes,) = panels(figure)
    assert tick_labels(axes, "x") == ["0", "1", "2", "3", "4", "5"]
    assert bar_labels(axes) == ["4.25 (winner)", "2.5"]


def test_an_instant_run_off_shows_every_round_with_the_eliminated_out():
    rounds = [{"Beds": 2, "Discharge": 2, "Workforce": 1}, {"Beds": 2, "Discharge": 3}]
    chart = ResultChart("Poll #1: Which first?", ["Beds", "Discharge", "Workforce"], rounds,
                        "vote", "Discharge")  # fmt: skip
    figure = result_figure(chart)
    first, last = panels(figure)
    assert [first.get_title(), last.get_title()] == ["Round 1", "Round 2 (final)"]
    assert bar_labels(first) == ["2", "2", "1"]
    assert bar_labels(last) == ["2", "3 (winner)", "out"]


def test_a_first_check_in_shows_its_averages_plainly_not_a_one_point_line():
    question = "How confident are you that partners will deliver what they agreed this month?"
    figure = trend_figure(TrendChart(["30 Nov"], {question: [3.5], "How well?": [None]}))
    (axes,) = panels(figure)
    assert axes.get_lines() == [], "no line through one point"
    assert bar_labels(axes) == ["3.5", "no answers"]
    assert figure.get_suptitle() == "Average answers on 30 Nov (the first check-in)"
    assert tick_labels(axes, "x")[:5] == ["1", "2", "3", "4", "5"]


def test_a_trend_of_several_check_ins_is_a_line_per_question_on_the_answer_scale():
    figure = trend_figure(TrendChart(["30 Nov", "7 Dec", "14 Dec"], {"How well?": [3, 3.5, 4]}))
    (axes,) = panels(figure)
    (line,) = axes.get_lines()
    assert list(line.get_ydata()) == [3, 3.5, 4]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["1", "2", "3", "4", "5"]
    assert figure.get_suptitle() == "Average answers over 3 check-ins"
