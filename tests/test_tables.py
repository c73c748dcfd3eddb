"""mean(std) formatting, run summaries and the Markdown / LaTeX / file writers."""

import numpy as np
import pandas as pd
import pytest

from delex.tables import (
    latex_escape,
    mean_std,
    summarise_runs,
    to_latex_booktabs,
    to_markdown,
    write_table,
)


def test_mean_std_formatting():
    assert mean_std([8.5, 8.63, 8.76]) == "8.63(0.13)"  # sample std (ddof=1) = 0.13
    assert mean_std([0.0863, 0.0875], digits=2, scale=100) == "8.69(0.08)"
    assert mean_std([1.0, 2.0], digits=1) == "1.5(0.7)"
    assert mean_std([21.79]) == "21.79"  # one run: no std
    assert mean_std([1.0, np.nan]) == "n/a"
    assert mean_std([]) == "n/a"


def test_mean_std_partial_names_the_defined_runs():
    assert mean_std([1.0, 3.0, np.nan], partial=True) == "2.00(1.41) [2/3]"
    assert mean_std([np.nan, 0.05], partial=True, scale=100) == "5.00 [1/2]"  # one run: no std
    assert mean_std([1.0, 3.0], partial=True) == "2.00(1.41)"  # all defined: no note
    assert mean_std([np.nan, np.nan], partial=True) == "n/a"


def test_summarise_runs():
    df = pd.DataFrame(
        {
            "score": ["h", "h", "h", "e", "e", "x"],
            "seed": [0, 1, 2, 0, 1, 0],
            "p10": [1.0, 2.0, 3.0, 4.0, 6.0, 5.0],
        }
    )
    s = summarise_runs(df, "score", ["p10"])
    assert list(s.columns) == ["score", "n_runs", "p10_mean", "p10_std"]
    assert s["score"].tolist() == ["h", "e", "x"]  # order of first appearance
    np.testing.assert_allclose(s["p10_mean"], [2.0, 5.0, 5.0])
    np.testing.assert_allclose(s["p10_std"], [1.0, np.sqrt(2.0), np.nan])
    assert s["n_runs"].tolist() == [3, 2, 1]


FRAME = pd.DataFrame({"method": ["a_b", "50% & more"], "p10": [8.6312, np.nan], "n": [3, 2]})


def test_to_markdown():
    md = to_markdown(FRAME)
    assert md == ("| method | p10 | n |\n|---|---:|---:|\n| a_b | 8.631 | 3 |\n| 50% & more | n/a | 2 |\n")
    assert r"a\|b" in to_markdown(pd.DataFrame({"x": ["a|b"]}))


def test_latex_escape_and_booktabs():
    assert latex_escape(r"a_b 50% & $x$ #1 {y} ~^\ ") == (
        r"a\_b 50\% \& \$x\$ \#1 \{y\} \textasciitilde{}\textasciicircum{}\textbackslash{} "
    )
    tex = to_latex_booktabs(FRAME)
    assert tex.splitlines() == [
        r"\begin{tabular}{lrr}",
        r"\toprule",
        r"method & p10 & n \\",
        r"\midrule",
        r"a\_b & 8.631 & 3 \\",
        r"50\% \& more & n/a & 2 \\",
        r"\bottomrule",
        r"\end{tabular}",
    ]
    wrapped = to_latex_booktabs(FRAME, caption="CUB_200 top 20%", label="tab:cub_pr")
    lines = wrapped.splitlines()
    assert lines[:4] == [
        r"\begin{table}[t]",
        r"\centering",
        r"\caption{CUB\_200 top 20\%}",
        r"\label{tab:cub_pr}",
    ]
    assert lines[-1] == r"\end{table}"


def test_write_table(tmp_path):
    write_table(FRAME, tmp_path / "sub" / "t1", caption="c")
    assert pd.read_csv(tmp_path / "sub" / "t1.csv")["n"].tolist() == [3, 2]
    assert (tmp_path / "sub" / "t1.md").read_text() == to_markdown(FRAME)
    assert (tmp_path / "sub" / "t1.tex").read_text() == to_latex_booktabs(FRAME, caption="c")
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["t1.csv", "t1.md", "t1.tex"]


@pytest.mark.parametrize("value", [None, pd.NA])
def test_missing_cells(value):
    df = pd.DataFrame({"x": ["a", value]}, dtype=object)
    assert to_markdown(df).splitlines()[-1] == "| n/a |"
