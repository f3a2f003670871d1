"""The events path's fast paths give what the full rules give: row order and the reader's caches never matter."""

from __future__ import annotations

import io
from datetime import date, timedelta
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from dps_cli.events import EVENTS, Event, read, rows
from dps_cli.milestones import OutcomeRule, Rules, history

RULES = Rules("CO-1", date(2026, 1, 5), 10, OutcomeRule(4, 13, "completion", continuous=False), 13)
AS_OF = date(2026, 6, 30)
KEY = ("CO-1", "P-1")

histories = st.lists(st.tuples(st.sampled_from(EVENTS), st.integers(-3, 120)), max_size=12)


def _events(drawn: list[tuple[str, int]]) -> list[Event]:
    first = RULES.start
    return [
        Event("CO-1", "P-1", name, first + timedelta(days=offset), f"EV-{at}", "e.csv", at + 2)
        for at, (name, offset) in enumerate(drawn)
    ]


@given(histories, st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_history_is_the_same_in_any_row_order(drawn: list[tuple[str, int]], rnd: Random) -> None:
    events = _events(drawn)
    in_order = sorted(events, key=lambda e: (e.day, e.line))
    shuffled = list(events)
    rnd.shuffle(shuffled)
    expected = history(in_order, RULES, AS_OF, KEY)
    assert history(shuffled, RULES, AS_OF, KEY) == expected
    assert history(list(reversed(in_order)), RULES, AS_OF, KEY) == expected


def test_one_history_on_later_days_takes_every_event() -> None:
    days = [RULES.start + timedelta(days=n) for n in (0, 42, 50, 80, 90)]
    names = ["start", "completion", "job_start", "job_end", "job_start"]
    events = [
        Event("CO-1", "P-1", n, d, f"EV-{i}", "e.csv", i + 2) for i, (n, d) in enumerate(zip(names, days, strict=True))
    ]
    progress, findings = history(events, RULES, AS_OF, KEY)
    assert findings == []
    assert progress.spells == ((days[2], days[3]), (days[4], None))
    assert progress.worked == ((days[2], days[3]), (days[4], AS_OF))
    assert dict(progress.dates) == {"start": days[0], "completion": days[1]}


files = st.lists(
    st.tuples(
        st.sampled_from(["CO-1", "CO-2", "CO-9", ""]),
        st.sampled_from(["P-1", "P-2", "=P", "AB123456C", " "]),
        st.sampled_from([*EVENTS, "started", ""]),
        st.sampled_from(["2026-01-05", "2026-02-30", "2026-07-01", "2026-03-01", "x"]),
    ),
    max_size=30,
)


@given(files)
@settings(max_examples=200, deadline=None)
def test_reading_a_row_again_gives_what_the_first_reading_gave(drawn: list[tuple[str, str, str, str]]) -> None:
    """The second copy of each row meets the reader's caches; it is read exactly as the first was."""
    text = "calloff,participant,event,date,evidence\n" + "".join(f"{c},{p},{e},{d},EV\n" for c, p, e, d in drawn)
    once = read(io.BytesIO(text.encode()), "e.csv", {"CO-1", "CO-2"}, AS_OF)
    twice = read(io.BytesIO((text + text[text.index("\n") + 1 :]).encode()), "e.csv", {"CO-1", "CO-2"}, AS_OF)
    shift = len(drawn)
    again = [e._replace(line=e.line + shift) for e in once.rows]
    assert list(twice.rows) == [*once.rows, *again]
    assert [f.finding.rule for f in twice.findings] == [f.finding.rule for f in once.findings] * 2


@given(st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["", "\u2028", "\x0c", "\x85", "\x1c", "\x0b"]))
def test_lines_split_only_where_csv_splits_them(end: str, odd: str) -> None:
    """Only \\n, \\r\\n and \\r end a line; other breaks a string method knows stay inside their cell."""
    text = f"calloff,participant,event,date,evidence{end}CO-1,P-1,start,2026-01-05,a{odd}b{end}"
    text += f"CO-1,P-1,completion,2026-02-16,c{end}" * 2
    numbered = list(rows(io.BytesIO(text.encode())))
    assert [line for line, _ in numbered] == [1, 2, 3, 4]
    assert numbered[1][1] == ["CO-1", "P-1", "start", "2026-01-05", f"a{odd}b"]
