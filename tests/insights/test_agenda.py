"""The proposed agenda from hand-made facts: which stages make it, in what
order and why; which fixes are due to present; which wins to celebrate."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cxroom.insights.agenda import (
    MAX_FIX_ITEMS,
    MAX_STAGE_ITEMS,
    MAX_WIN_ITEMS,
    MORE_NAMED,
    AgendaKind,
    AgendaSection,
    next_month,
    propose_agenda,
    review_month,
)
from cxroom.insights.agenda_facts import (
    AgendaInputs,
    CategorySeries,
    FixFacts,
    KpiFacts,
    MomentFacts,
    StageFacts,
    SurveyFacts,
)

MONTH = date(2026, 10, 1)
HELD = date(2026, 11, 8)
SINCE = datetime(2026, 10, 8)
PAY = StageFacts(1, "pay", "Pay", 0)
HELP = StageFacts(2, "get-help", "Get help", 1)
RENEW = StageFacts(3, "renew", "Renew", 2)


def _kpi(
    stage: StageFacts, value: float, *, previous: float | None = None, key: bool = False, kid: int = 1
) -> KpiFacts:
    return KpiFacts(
        id=kid,
        stage_id=stage.id,
        name=f"KPI {kid}",
        unit="%",
        direction="higher_better",
        target=95.0,
        warning=90.0,
        value=value,
        previous_value=previous,
        moment_id=10 + kid,
        key_moment=key,
    )


def _inputs(**kw: object) -> AgendaInputs:
    base: dict[str, object] = {"month": MONTH, "held_on": HELD, "since": SINCE, "stages": (PAY, HELP, RENEW)}
    base.update(kw)
    return AgendaInputs(**base)  # type: ignore[arg-type]


def test_review_month_is_the_month_before_it_is_held() -> None:
    assert review_month(date(2026, 11, 8)) == date(2026, 10, 1)
    assert review_month(date(2027, 1, 3)) == date(2026, 12, 1)
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)


def test_stages_are_ranked_by_how_badly_they_let_customers_down() -> None:
    seasonal_peak = [100] * 24 + [100]
    seasonal_peak[12] = 200
    seasonal_peak[24] = 205  # expected: last year's peak
    spike = [100] * 24 + [150]  # unusual
    inputs = _inputs(
        kpis=(
            _kpi(PAY, 80.0, key=True, kid=1),  # off target on a key moment: 4
            _kpi(HELP, 92.0, kid=2),  # near target: 1 (alone, not enough for the agenda)
            _kpi(RENEW, 80.0, kid=3),  # off target: 3
        ),
        categories=(
            CategorySeries(HELP.id, "Seasonal", tuple(seasonal_peak)),
            CategorySeries(RENEW.id, "Price shock", tuple(spike)),  # +3
        ),
        moments=(MomentFacts(20, PAY.id, "First bill", True, "broken", "broken", datetime(2025, 1, 5)),),  # +3
    )
    items = propose_agenda(inputs)
    stages = [i for i in items if i.section is AgendaSection.LETTING_DOWN]
    assert [i.title for i in stages] == ["Pay", "Renew"]
    assert [i.score for i in stages] == [7, 6]
    pay, renew = stages
    assert pay.kind is AgendaKind.STAGE and pay.stage_id == PAY.id
    assert pay.moment_id == 20  # the broken moment leads
    assert any("still broken since January 2025 · First bill" in r for r in pay.reasons)
    assert any(r.startswith("KPI off target · KPI 1: 80.0% against a target of 95.0%") for r in pay.reasons)
    rise = (
        "Complaints rose unusually · Price shock: "
        "150 complaints this month, about half as much again as the usual for this time of year"
    )
    assert rise in renew.reasons
    assert not any("z =" in r or "Poisson" in r for i in items for r in i.reasons)  # statistics stay in the method
    assert not any("Seasonal" in r for i in items for r in i.reasons)


def test_a_moment_that_broke_since_the_last_review_weighs_more_than_one_still_broken() -> None:
    inputs = _inputs(
        moments=(
            MomentFacts(1, PAY.id, "Old break", False, "broken", "broken", None),
            MomentFacts(2, HELP.id, "New break", False, "broken", "reliable", datetime(2026, 10, 20)),
        )
    )
    stages = [i for i in propose_agenda(inputs) if i.section is AgendaSection.LETTING_DOWN]
    assert [i.title for i in stages] == ["Get help", "Pay"]
    assert "broke since the last review" in stages[0].reasons[0]


def test_a_survey_fall_counts_only_with_enough_answers_and_a_real_drop() -> None:
    def survey(qid: int, prev: float, now: float, n: int) -> SurveyFacts:
        return SurveyFacts(
            kind="csat",
            score=now,
            n=n,
            previous_score=prev,
            previous_n=n,
            question_id=qid,
            stage_ids=(HELP.id,),
            survey="Service",
            text=f"Q{qid}",
        )

    inputs = _inputs(
        surveys=(
            survey(1, 80.0, 76.0, 100),  # 4 points of a 100-point scale: fell
            survey(2, 80.0, 78.0, 100),  # 2 points: noise
            survey(3, 80.0, 60.0, 10),  # too few answers
        )
    )
    (item,) = [i for i in propose_agenda(inputs) if i.section is AgendaSection.LETTING_DOWN]
    assert item.title == "Get help"
    assert [r for r in item.reasons if "Survey" in r] == [
        "Survey score fell · Service · Q1: down from 80% to 76% (100 answers)"
    ]


def test_at_most_six_stages_make_the_agenda() -> None:
    stages = tuple(StageFacts(i, f"s{i}", f"Stage {i}", i) for i in range(1, 10))
    kpis = tuple(KpiFacts(i, i, f"K{i}", "%", "higher_better", 95.0, 90.0, 50.0, None) for i in range(1, 10))
    items = propose_agenda(_inputs(stages=stages, kpis=kpis))
    assert len([i for i in items if i.section is AgendaSection.LETTING_DOWN]) == MAX_STAGE_ITEMS


def test_fixes_due_to_present() -> None:
    fixes = (
        FixFacts(1, PAY.id, "Results ready", "results", "Ann", date(2027, 1, 1)),
        FixFacts(2, PAY.id, "Needs a decision", "recommending", "Bob", date(2027, 1, 1)),
        FixFacts(3, HELP.id, "Overdue", "implementing", "Cy", date(2026, 9, 30)),
        FixFacts(4, HELP.id, "On track", "diagnosing", "Di", date(2027, 3, 1)),
        FixFacts(5, HELP.id, "Already presented", "results", "Ed", date(2027, 1, 1), presented_in_this_review=True),
        FixFacts(6, HELP.id, "Dropped", "dropped", "Flo", date(2026, 1, 1)),
    )
    items = [i for i in propose_agenda(_inputs(fixes=fixes)) if i.section is AgendaSection.FIXES_DUE]
    assert [i.fix_id for i in items] == [1, 2, 3]
    assert all(i.kind is AgendaKind.FIX for i in items)
    assert items[0].reasons == ("Lead: Ann", "Results to present: did the fix work?")
    assert "Due 30 Sep 2026, still implementing" in items[2].reasons[1]


def test_a_room_with_many_fixes_due_gets_the_most_urgent_and_one_item_for_the_rest() -> None:
    """A large room has hundreds of fixes past due: the session has time for a few."""
    overdue = tuple(
        FixFacts(100 + i, HELP.id, f"Fix {i}", "implementing", "Cy", HELD - timedelta(days=10 * i))
        for i in range(1, 21)
    )
    fixes = (
        *overdue,
        FixFacts(1, PAY.id, "Results ready", "results", "Ann", date(2027, 1, 1)),
        FixFacts(2, PAY.id, "Needs a decision", "recommending", "Bob", date(2027, 1, 1)),
    )
    inputs = _inputs(fixes=fixes)
    items = [i for i in propose_agenda(inputs) if i.section is AgendaSection.FIXES_DUE]
    assert len(items) == MAX_FIX_ITEMS + 1
    # Results first, then the decision, then the longest overdue.
    assert [i.fix_id for i in items[:MAX_FIX_ITEMS]] == [1, 2, 120, 119, 118]
    more = items[-1]
    assert more.kind is AgendaKind.NOTE and more.fix_id is None
    assert more.title == "17 more fixes due or overdue"
    assert more.reasons[0] == "· Fix 17" and more.reasons[-1] == "… and 9 more on the fix board"
    assert len(more.reasons) == MORE_NAMED + 1


def test_many_wins_keep_the_latest() -> None:
    fixes = tuple(
        FixFacts(i, PAY.id, f"Win {i}", "celebrated", "Gil", None, celebrated_at=datetime(2026, 10, 10 + i))
        for i in range(1, 10)
    )
    wins = [i for i in propose_agenda(_inputs(fixes=fixes)) if i.section is AgendaSection.WINS]
    assert [w.fix_id for w in wins[:MAX_WIN_ITEMS]] == [9, 8, 7, 6, 5]
    assert wins[-1].title == "4 more fixes celebrated"
    assert wins[-1].reasons == ("· Win 4", "· Win 3", "· Win 2", "· Win 1")


def test_wins_since_the_last_review() -> None:
    fixes = (
        FixFacts(7, PAY.id, "Celebrated lately", "celebrated", "Gil", None, celebrated_at=datetime(2026, 10, 20)),
        FixFacts(8, PAY.id, "Celebrated long ago", "celebrated", "Hal", None, celebrated_at=datetime(2026, 3, 1)),
    )
    moments = (MomentFacts(30, RENEW.id, "Renewal letter", True, "reliable", "broken", datetime(2026, 10, 15)),)
    kpis = (_kpi(PAY, 96.0, previous=85.0, kid=4),)  # red last month, green now
    items = propose_agenda(_inputs(fixes=fixes, moments=moments, kpis=kpis))
    wins = [i for i in items if i.section is AgendaSection.WINS]
    assert [(w.kind, w.fix_id) for w in wins] == [(AgendaKind.WIN, 7), (AgendaKind.WIN, None)]
    assert wins[1].reasons == (
        "Moment of truth climbed · Renewal letter: from broken to reliable",
        "Back on target · KPI 4: 96.0% against a target of 95.0%",
    )


def test_a_healthy_room_gets_an_empty_proposal() -> None:
    assert propose_agenda(_inputs(kpis=(_kpi(PAY, 99.0, previous=99.0),))) == []


def test_results_past_due_are_late_too_and_the_longest_late_comes_first() -> None:
    """The one overdue rule (cxroom.fix_status): results past due are overdue until the room accepts them."""
    fixes = (
        FixFacts(1, PAY.id, "Results on time", "results", "Ann", date(2027, 1, 1)),
        FixFacts(2, PAY.id, "Results a week late", "results", "Bob", HELD - timedelta(days=7)),
        FixFacts(3, PAY.id, "Results a month late", "results", "Cy", HELD - timedelta(days=30)),
    )
    items = [i for i in propose_agenda(_inputs(fixes=fixes)) if i.section is AgendaSection.FIXES_DUE]
    assert [i.fix_id for i in items] == [3, 2, 1]
    due = f"Due {HELD - timedelta(days=30):%-d %b %Y}: accept the results, or send the team back?"
    assert items[0].reasons == ("Lead: Cy", "Results to present: did the fix work?", due)
    assert items[2].reasons == ("Lead: Ann", "Results to present: did the fix work?")
