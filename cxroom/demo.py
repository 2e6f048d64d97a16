"""The deterministic demo room: Larkfield Mutual, a fictional insurer.

Same seed and end month give the same room, row for row. The story it tells:
- Get help is visibly getting worse (repeat contacts climbing month on month);
- Make a claim improved after a fix team took adjuster call-backs from ~61 %
  to ~89 %, and the room celebrated it;
- Pay and Renew carry broken moments of truth (first bill, renewal notice);
- 24 months of complaints with winter and renewal seasonality.
All writes go through the services, so the demo exercises the real paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from cxroom import demo_content as content
from cxroom.errors import InvalidInputError
from cxroom.media import MediaStore
from cxroom.models import (
    ArtifactCreate,
    ArtifactKind,
    CallCreate,
    CategoryRuleCreate,
    DecisionCreate,
    Direction,
    FindingCreate,
    FixCreate,
    FixMember,
    FixStatus,
    KpiCreate,
    MomentCreate,
    QuestionKind,
    Reliability,
    ReliabilityChange,
    ReviewCreate,
    SiloCreate,
    SiloRole,
    StageCreate,
    SurveyQuestionCreate,
    TranscriptSegment,
)
from cxroom.permissions import Role
from cxroom.queries import room as room_queries
from cxroom.services import bulk, evidence, fixes, review_capture, reviews, room, trust
from cxroom.store import Store

DEMO_ACTOR = "demo"
MONTHS = 24
DEMO_MEDIA_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

# Moments whose state changed during the two years: (stage, moment, earlier
# state, months before the end month when it changed, why).
TRANSITIONS = [
    (
        "buy",
        "Documents arrive within 24 hours",
        "reliable",
        14,
        "Same-day e-mailed documents went live; customers now mention it unprompted.",
    ),
    (
        "get-started",
        "ID card arrives before cover starts",
        "unreliable",
        2,
        "Review: 1 in 6 new customers drove without an ID card; mail vendor change.",
    ),
    (
        "claim",
        "Adjuster calls back within 24 hours",
        "broken",
        1,
        "Fix team proved call-backs within 24h rose from 61% to 89%; celebrated.",
    ),
]

_SEASONS = {
    "flat": [1.0] * 12,
    "winter": [1.35, 1.3, 1.15, 1.0, 0.9, 0.85, 0.85, 0.85, 0.9, 1.0, 1.15, 1.3],
    "renewal": [1.45, 1.1, 1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 1.3, 1.05, 0.95, 1.0],
}
# Complaint categories whose volume changed because of a fix: the month index
# (0-based within the 24) from which the improvement starts.
_FIX_STARTS = {"Adjuster did not call back": 15}
_CHANNELS = {"Call centre": "phone", "E-mail": "email", "Web form": "web", "Social": "social", "Regulator": "letter"}


@dataclass(frozen=True)
class DemoSummary:
    end_month: date
    complaints: int
    survey_responses: int
    kpi_readings: int
    calls: int
    artifacts: int


def last_complete_month(today: date | None = None) -> date:
    today = today or date.today()
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def month_starts(end_month: date, count: int = MONTHS) -> list[date]:
    months = []
    year, month = end_month.year, end_month.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def build_demo(
    store: Store,
    media: MediaStore,
    *,
    seed: int = 7,
    end_month: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill an empty room with the demo. Refuses a room that already has stages."""
    if not room_queries.stages(store, include_archived=True).empty:
        raise InvalidInputError("This room already has stages; the demo is built only into an empty room.")
    say = progress or (lambda _msg: None)
    end = (end_month or last_complete_month()).replace(day=1)
    months = month_starts(end)
    rng = np.random.default_rng(seed)

    say("people, stages, moments and silos")
    for email, name, role in content.USERS:
        trust.set_user_role(store, email=email, display_name=name, role=Role(role), actor=DEMO_ACTOR)
    _structure(store, months)
    say("KPIs and readings")
    readings = _kpis(store, months, rng)
    say("survey questions and responses")
    responses = _surveys(store, months, rng)
    say("complaints")
    complaints = _complaints(store, months, rng)
    say("artifacts and calls")
    artifacts, calls = _media(store, media)
    say("reviews and fixes")
    _reviews_and_fixes(store, months)
    room.set_room_name(store, content.ROOM_NAME, actor=DEMO_ACTOR)
    store.checkpoint()
    return DemoSummary(end, complaints, responses, readings, calls, artifacts)


def _at(month: date, day: int = 1, hour: int = 9) -> datetime:
    return datetime(month.year, month.month, min(day, 28), hour)


def _structure(store: Store, months: list[date]) -> None:
    for position, (slug, name, goal, description, colour) in enumerate(content.STAGES):
        room.create_stage(
            store,
            StageCreate(
                slug=slug, name=name, customer_goal=goal, description=description, position=position, colour=colour
            ),
            actor=DEMO_ACTOR,
        )
    for name, description in content.SILOS:
        room.create_silo(store, SiloCreate(name=name, description=description), actor=DEMO_ACTOR)
    for slug, silo, role in content.ACCOUNTABILITY:
        room.set_stage_silo(store, stage_slug=slug, silo_name=silo, role=SiloRole(role), actor=DEMO_ACTOR)
    earlier = {(stage, moment): (state, ago, why) for stage, moment, state, ago, why in TRANSITIONS}
    for slug, name, description, flags, state, key, silo in content.MOMENTS:
        first_state = earlier.get((slug, name), (state,))[0]
        moment_id = room.create_moment(
            store,
            MomentCreate(
                stage_slug=slug,
                name=name,
                description=description,
                drives_revenue=flags[0],
                forms_relationship=flags[1],
                rescues_at_risk=flags[2],
                grows_wallet=flags[3],
                reliability=Reliability(first_state),
                is_key=key,
            ),
            actor=DEMO_ACTOR,
            when=_at(months[0]),
        )
        room.set_moment_silo(store, moment_id=moment_id, silo_name=silo, role=SiloRole.OWNER, actor=DEMO_ACTOR)
        if (slug, name) in earlier:
            _, ago, why = earlier[(slug, name)]
            room.change_reliability(
                store,
                ReliabilityChange(moment_id=moment_id, to_state=Reliability(state), reason=why, expected_version=1),
                actor=content.FACILITATOR_EMAIL,
                when=_at(months[-1 - ago], 8, 11),
            )


def _series(start: float, end: float, shape: str, noise: float, rng: np.random.Generator, n: int) -> np.ndarray:
    t = np.arange(n, dtype=float)
    if shape.startswith("fix:"):
        fixed_at = n - 1 - int(shape.split(":")[1])
        ramp = np.clip((t - fixed_at) / 4.0, 0.0, 1.0)
        base = start + (end - start) * ramp
    else:
        base = start + (end - start) * t / (n - 1)
    return base + rng.normal(0.0, noise, n)


def _kpis(store: Store, months: list[date], rng: np.random.Generator) -> int:
    frames = []
    for (
        stage,
        moment,
        name,
        unit,
        direction,
        target,
        warning,
        silo,
        definition,
        start,
        end,
        noise,
        shape,
    ) in content.KPIS:
        kpi_id = evidence.create_kpi(
            store,
            KpiCreate(
                stage_slug=stage,
                moment_name=moment,
                name=name,
                unit=unit,
                direction=Direction(direction),
                target=target,
                warning=warning,
                silo_name=silo,
                definition=definition,
            ),
            actor=DEMO_ACTOR,
        )
        values = _series(start, end, shape, noise, rng, len(months))
        if unit == "%":
            values = np.clip(values, 0.0, 100.0)
        frames.append(pd.DataFrame({"kpi_id": kpi_id, "period": months, "value": np.round(values, 1)}))
    readings = pd.concat(frames, ignore_index=True)
    with store.transaction(DEMO_ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="demo", source="KPI warehouse", file_name="demo")
        evidence.upsert_kpi_readings(tx, readings, batch)
        bulk.close_batch(tx, batch, rows_read=len(readings), rows_imported=len(readings))
    return len(readings)


def _survey_values(kind: str, score: float, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "nps":
        promoters = 0.38 + score / 200.0
        detractors = 0.38 - score / 200.0
        group = rng.choice(3, size=n, p=[detractors, 1.0 - promoters - detractors, promoters])
        low = rng.integers(0, 7, n)
        mid = rng.integers(7, 9, n)
        high = rng.integers(9, 11, n)
        return np.where(group == 0, low, np.where(group == 1, mid, high)).astype(float)
    if kind == "csat":
        satisfied = rng.random(n) < score / 100.0
        return np.where(satisfied, rng.integers(4, 6, n), rng.integers(1, 4, n)).astype(float)
    # CES on 1-7 where 7 is "very easy": draw around the mean score
    return np.clip(np.round(rng.normal(score, 1.3, n)), 1, 7)


def _surveys(store: Store, months: list[date], rng: np.random.Generator) -> int:
    frames = []
    for survey, text, kind, stages, per_month, start, end in content.SURVEY_QUESTIONS:
        question_id = evidence.create_question(
            store,
            SurveyQuestionCreate(survey=survey, text=text, kind=QuestionKind(kind), stage_slugs=stages),
            actor=DEMO_ACTOR,
        )
        code = "".join(word[0] for word in survey.split()).upper()
        for index, month in enumerate(months):
            score = start + (end - start) * index / (len(months) - 1) + rng.normal(0.0, 1.0 if kind != "ces" else 0.05)
            n = int(rng.poisson(per_month))
            days = rng.integers(0, 28, n)
            frames.append(
                pd.DataFrame(
                    {
                        "response_id": [f"{code}-{month:%Y%m}-{i:05d}" for i in range(n)],
                        "question_id": question_id,
                        "value": _survey_values(kind, score, n, rng),
                        "answered_at": [datetime(month.year, month.month, 1 + int(d), 12) for d in days],
                    }
                )
            )
    responses = pd.concat(frames, ignore_index=True)
    with store.transaction(DEMO_ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="demo", source="Survey platform", file_name="demo")
        bulk.insert_survey_responses(tx, responses, batch)
        bulk.close_batch(tx, batch, rows_read=len(responses), rows_imported=len(responses))
    return len(responses)


def _fill(template: str, rng: np.random.Generator) -> str:
    return template.format(
        amount=f"${rng.integers(80, 900)}.{rng.integers(0, 100):02d}",
        date=f"{rng.integers(1, 29)} {['March', 'April', 'May', 'June', 'July', 'August'][rng.integers(0, 6)]}",
        email=f"{['sam', 'jo', 'alex', 'kim', 'lee'][rng.integers(0, 5)]}.{rng.integers(10, 99)}@example.com",
        phone=f"555-{rng.integers(200, 999)}-{rng.integers(1000, 9999)}",
        policy=f"LM-{rng.integers(10000, 99999)}",
        pct=int(rng.integers(12, 31)),
    )


def _complaints(store: Store, months: list[date], rng: np.random.Generator) -> int:
    names = [name for name, _ in content.SOURCES]
    weights = np.array([w for _, w in content.SOURCES])
    weights = weights / weights.sum()
    rows: list[pd.DataFrame] = []
    n_months = len(months)
    for category, _stage, _moment, base, trend, season, templates in content.COMPLAINT_CATEGORIES:
        for index, month in enumerate(months):
            t = index / (n_months - 1)
            if category in _FIX_STARTS:
                start = _FIX_STARTS[category]
                level = 1.0 if index < start else 1.0 + (trend - 1.0) * min((index - start) / 4.0, 1.0)
            else:
                # Accelerating trends read as "getting worse lately" on the wall.
                level = 1.0 + (trend - 1.0) * t**2
            expected = base * level * _SEASONS[season][month.month - 1]
            n = int(rng.poisson(expected))
            if n == 0:
                continue
            sources = rng.choice(len(names), size=n, p=weights)
            days = rng.integers(0, 28, n)
            minutes = rng.integers(8 * 60, 20 * 60, n)
            has_text = rng.random(n) < 0.35
            verbatims = [_fill(templates[rng.integers(0, len(templates))], rng) if flag else None for flag in has_text]
            severity = np.where(
                np.array([names[s] == "Regulator" for s in sources]),
                "high",
                np.where(rng.random(n) < 0.02, "critical", "normal"),
            )
            rows.append(
                pd.DataFrame(
                    {
                        "source": [names[s] for s in sources],
                        "received_at": [
                            datetime(month.year, month.month, 1 + int(d)) + timedelta(minutes=int(m))
                            for d, m in zip(days, minutes, strict=True)
                        ],
                        "channel": [_CHANNELS[names[s]] for s in sources],
                        "category": category,
                        "subcategory": "",
                        "verbatim": verbatims,
                        "severity": severity,
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True).sort_values(["received_at", "category"], kind="stable")
    frame["external_id"] = [f"LMC-{i:07d}" for i in range(1, len(frame) + 1)]
    with store.transaction(DEMO_ACTOR) as tx:
        for source in names:
            part = frame[frame["source"] == source]
            batch = bulk.open_batch(tx, kind="demo", source=source, file_name="demo")
            bulk.insert_complaints(tx, part, batch)
            bulk.close_batch(tx, batch, rows_read=len(part), rows_imported=len(part))
    for category, stage, moment, *_ in content.COMPLAINT_CATEGORIES:
        if stage is not None:
            evidence.create_category_rule(
                store, CategoryRuleCreate(category=category, stage_slug=stage, moment_name=moment), actor=DEMO_ACTOR
            )
    return len(frame)


def _media(store: Store, media: MediaStore) -> tuple[int, int]:
    manifest_path = DEMO_MEDIA_DIR / "manifest.json"
    if not manifest_path.exists():
        return 0, 0
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    artifacts = calls = 0
    for item in manifest.get("artifacts", []):
        path = DEMO_MEDIA_DIR / item["file"]
        stored = media.put(path.read_bytes(), allowed={"image", "pdf"}, original_name=path.name)
        evidence.add_artifact(
            store,
            ArtifactCreate(
                stage_slug=item["stage"],
                moment_name=item.get("moment"),
                title=item["title"],
                kind=ArtifactKind(item["kind"]),
                media_sha256=stored.sha256,
                caption=item.get("caption", ""),
                asks_of_customer=item.get("asks_of_customer", ""),
                version_label=item.get("version_label", ""),
                issued_on=item.get("issued_on"),
            ),
            stored,
            actor=DEMO_ACTOR,
        )
        artifacts += 1
    for item in manifest.get("calls", []):
        path = DEMO_MEDIA_DIR / item["file"]
        stored = media.put(path.read_bytes(), allowed={"audio"}, original_name=path.name)
        evidence.add_call(
            store,
            CallCreate(
                stage_slug=item["stage"],
                moment_name=item.get("moment"),
                title=item["title"],
                media_sha256=stored.sha256,
                duration_s=float(stored.duration_s or item["duration_s"]),
                clip_start_s=int(item["clip_start_s"]),
                clip_end_s=int(item["clip_end_s"]),
                transcript=[TranscriptSegment(**seg) for seg in item.get("transcript", [])],
                recorded_at=datetime.fromisoformat(item["recorded_at"]),
                channel=item.get("channel", "phone"),
                consent=bool(item.get("consent", True)),
                tags=item.get("tags", []),
            ),
            stored,
            actor=DEMO_ACTOR,
        )
        calls += 1
    return artifacts, calls


def _team(*pairs: tuple[str, str]) -> list[FixMember]:
    return [FixMember(person=person, silo_name=silo) for person, silo in pairs]


def _reviews_and_fixes(store: Store, months: list[date]) -> None:
    end = months[-1]
    review_ids: dict[int, int] = {}
    review_months = {3: months[-3], 2: months[-2], 1: months[-1]}
    for ago, month in review_months.items():
        held = (pd.Timestamp(month) + pd.offsets.MonthBegin(1) + pd.Timedelta(days=7)).date()
        review_ids[ago] = reviews.create_review(
            store,
            ReviewCreate(held_on=held, title=f"Monthly room review · {month:%B %Y}", attendees=content.LEADERSHIP),
            actor=content.FACILITATOR_EMAIL,
        )

    def finding(ago: int, text: str, stage: str, moment: str | None, evidence_text: str) -> int:
        return review_capture.add_finding(
            store,
            FindingCreate(
                review_id=review_ids[ago], text=text, stage_slug=stage, moment_name=moment, evidence=evidence_text
            ),
            actor=content.FACILITATOR_EMAIL,
            when=_at(review_months[ago] + timedelta(days=35), 8, 10),
        )

    def decision(ago: int, text: str, owner: str, finding_id: int | None) -> None:
        review_capture.add_decision(
            store,
            DecisionCreate(
                review_id=review_ids[ago],
                text=text,
                owner=owner,
                finding_id=finding_id,
                due_on=review_months[ago] + timedelta(days=95),
            ),
            actor=content.FACILITATOR_EMAIL,
            when=_at(review_months[ago] + timedelta(days=35), 8, 11),
        )

    f1 = finding(
        3,
        "First bills do not match the quote for about 1 in 11 new customers; an admin fee nobody mentions.",
        "pay",
        "First bill matches the quote",
        "KPI 'First bills matching the quote' at 91% vs 99% target",
    )
    decision(3, "Billing and Underwriting to find where the quoted and billed prices diverge.", "Mark Ellison", f1)
    f2 = finding(
        3,
        "Repeat contacts keep climbing: customers call three times about the same problem.",
        "get-help",
        "Third contact in a month",
        "Complaint category 'Repeat contact' up sharply vs its own trend",
    )
    decision(3, "Charter a cross-functional team: one call, one owner.", "Mark Ellison", f2)
    f3 = finding(
        2,
        "Renewal letters bury the price increase on page three; renewal complaints peak in January.",
        "renew",
        "Renewal notice explains the price",
        "Call: 'Renewal price shock'; renewal letter artifact",
    )
    decision(2, "Rewrite the renewal letter in plain language, price first.", "Nadia Farouk", f3)
    f4 = finding(
        1,
        "ID cards arrive after cover starts for 1 in 6 new customers since the mail vendor changed.",
        "get-started",
        "ID card arrives before cover starts",
        "KPI at 84% vs 98% target; complaints up 45%",
    )
    decision(1, "Operations and Digital to offer an instant digital ID card.", "Mark Ellison", f4)
    f5 = finding(
        1,
        "Claims settled within 10 days is getting worse while call-backs are now fixed.",
        "claim",
        "Claim settled within 10 days",
        "KPI 47% vs 70% target",
    )
    decision(1, "Charter a settlement-speed team reporting to the Chief Claims Officer.", "Paul Hart", f5)

    def charter(
        title: str,
        problem: str,
        stage: str,
        moment: str | None,
        sponsor: str,
        lead: str,
        members: list[FixMember],
        chartered: date,
        due_days: int,
        kpis: list[str],
        review: int | None = None,
    ) -> int:
        return fixes.charter_fix(
            store,
            FixCreate(
                title=title,
                problem=problem,
                stage_slug=stage,
                moment_name=moment,
                sponsor=sponsor,
                lead=lead,
                members=members,
                chartered_on=chartered,
                due_on=chartered + timedelta(days=due_days),
                chartered_review_id=review,
                kpi_names=kpis,
            ),
            actor=content.FACILITATOR_EMAIL,
            when=_at(chartered, chartered.day, 10),
        )

    def move(fix_id: int, steps: list[tuple[str, date, str, dict[str, str] | None]]) -> None:
        for version, (status, when, note, fields) in enumerate(steps, start=1):
            fixes.move_fix(
                store,
                fix_id,
                to_status=FixStatus(status),
                note=note,
                expected_version=version,
                actor=content.FACILITATOR_EMAIL,
                when=_at(when, when.day, 15),
                fields=fields,
            )

    m = months
    adjuster = charter(
        "Call back every new claim within 24 hours",
        "Customers wait days to hear from an adjuster after reporting a claim; they call us again and again.",
        "claim",
        "Adjuster calls back within 24 hours",
        "Paul Hart",
        "Robert Chen",
        _team(("Robert Chen", "Claims"), ("Aisha Rahman", "Customer Service"), ("Ines Moreau", "Digital")),
        m[-11],
        210,
        ["Adjuster call-back within 24h"],
    )
    move(
        adjuster,
        [
            ("diagnosing", m[-10], "Shadowed 40 new claims: 3 hand-offs before an adjuster is assigned.", None),
            ("recommending", m[-9], "Recommend auto-assignment at first notice of loss.", None),
            ("implementing", m[-8], "Auto-assignment live for motor claims.", None),
            (
                "results",
                m[-4],
                "Call-backs within 24h at 88% for 3 months running.",
                {
                    "findings": "Claims waited for a team leader to assign them; weekends added two days.",
                    "recommendations": "Assign an adjuster automatically at first notice of loss; weekend rota.",
                    "results": (
                        "Call-back within 24h rose from 61% to 89%; 'adjuster did not call back' complaints halved."
                    ),
                },
            ),
            (
                "celebrated",
                m[-1],
                "Celebrated in the room; moment moved up to unreliable, on the way to reliable.",
                None,
            ),
        ],
    )
    docs = charter(
        "Same-day policy documents",
        "Policy packs took up to a week by post.",
        "buy",
        "Documents arrive within 24 hours",
        "Mark Ellison",
        "Sofia Rossi",
        _team(("Sofia Rossi", "Operations"), ("Oliver Grant", "Digital")),
        m[-20],
        120,
        ["Documents sent within 24h"],
    )
    move(
        docs,
        [
            ("diagnosing", m[-19], "Print vendor batch runs weekly.", None),
            ("implementing", m[-18], "E-mail delivery of documents built.", None),
            ("results", m[-16], "98% sent within 24h.", {"results": "98% of packs sent within 24 hours."}),
            ("celebrated", m[-14], "Celebrated; customers mention it in surveys.", None),
        ],
    )
    first_bill = charter(
        "First bill equals the quote",
        "About 1 in 11 first bills differ from the accepted quote.",
        "pay",
        "First bill matches the quote",
        "Nadia Farouk",
        "Elena Petrova",
        _team(("Elena Petrova", "Billing"), ("Daniel Frost", "Underwriting"), ("Oliver Grant", "Digital")),
        m[-2] + timedelta(days=40),
        90,
        ["First bills matching the quote"],
        review_ids[3],
    )
    move(
        first_bill,
        [
            ("diagnosing", m[-1], "Admin fee added by billing, not shown by the quote engine.", None),
            ("recommending", m[-1] + timedelta(days=10), "Show the fee in the quote or drop it.", None),
            ("implementing", m[-1] + timedelta(days=20), "Quote engine change scheduled.", None),
        ],
    )
    one_owner = charter(
        "One call, one owner",
        "Customers contact us three or more times about the same issue.",
        "get-help",
        "Third contact in a month",
        "Mark Ellison",
        "Jonas Lindqvist",
        _team(("Jonas Lindqvist", "Customer Service"), ("Kwame Mensah", "Operations"), ("Ines Moreau", "Digital")),
        m[-2] + timedelta(days=40),
        120,
        ["Customers with 3+ contacts in a month"],
        review_ids[3],
    )
    move(
        one_owner,
        [
            ("diagnosing", m[-1], "Top drivers: billing disputes and claim status questions.", None),
            ("recommending", m[-1] + timedelta(days=15), "Case ownership for any second contact.", None),
        ],
    )
    renewal = charter(
        "Renewal letter in plain language",
        "Customers learn about price increases from page three of the letter.",
        "renew",
        "Renewal notice explains the price",
        "Nadia Farouk",
        "Margaret Osei",
        _team(("Margaret Osei", "Underwriting"), ("Priya Nair", "Marketing"), ("Grace Adeyemi", "Legal & Compliance")),
        m[-1] + timedelta(days=5),
        60,
        ["Complaints per 1,000 renewal notices"],
        review_ids[2],
    )
    move(
        renewal,
        [
            ("diagnosing", m[-1] + timedelta(days=8), "Letter tested with 12 customers.", None),
            ("implementing", m[-1] + timedelta(days=14), "New letter for November renewals.", None),
            (
                "results",
                m[-1] + timedelta(days=25),
                "First results expected after the January renewal peak.",
                {"results": "Too early to tell: the new letter goes out from November."},
            ),
        ],
    )
    id_card = charter(
        "Instant digital ID card",
        "ID cards arrive after cover starts for 1 in 6 new customers.",
        "get-started",
        "ID card arrives before cover starts",
        "Mark Ellison",
        "Kwame Mensah",
        _team(("Kwame Mensah", "Operations"), ("Ines Moreau", "Digital"), ("Maria Santos", "Customer Service")),
        end + timedelta(days=36),
        75,
        ["ID cards in hand before cover starts"],
        review_ids[1],
    )
    move(id_card, [("diagnosing", end + timedelta(days=40), "Mail vendor's SLA reviewed.", None)])
    charter(
        "Pay claims in 10 days",
        "Settlement within 10 days keeps falling; customers wait weeks for money.",
        "claim",
        "Claim settled within 10 days",
        "Paul Hart",
        "Fatima Al-Sayed",
        _team(("Fatima Al-Sayed", "Claims"), ("Sam Whitaker", "Billing"), ("Grace Adeyemi", "Legal & Compliance")),
        end + timedelta(days=36),
        120,
        ["Claims settled within 10 days"],
        review_ids[1],
    )
    breakdown = charter(
        "Show why the price is what it is",
        "Prospects abandon quotes they do not understand.",
        "shop",
        "Price explained clearly",
        "Catherine Doyle",
        "Tom Becker",
        _team(("Tom Becker", "Marketing"), ("Oliver Grant", "Digital"), ("Daniel Frost", "Underwriting")),
        m[-6],
        60,
        ["Quotes with price breakdown viewed"],
    )
    move(
        breakdown,
        [
            ("diagnosing", m[-5], "Heatmaps show the breakdown panel is below the fold.", None),
            ("implementing", m[-4], "Panel redesign in progress (overdue: waiting for pricing copy).", None),
        ],
    )
    anniversary = charter(
        "Thank customers at ten years",
        "Ten-year customers get a price rise and no thanks.",
        "renew",
        "Tenth anniversary",
        "Catherine Doyle",
        "Priya Nair",
        _team(("Priya Nair", "Marketing"), ("Aisha Rahman", "Customer Service")),
        m[-3],
        150,
        [],
    )
    move(anniversary, [("diagnosing", m[-2], "Counting who hits ten years each month.", None)])
    hold = charter(
        "Call-back instead of hold",
        "Customers wait on hold for over 40 minutes at peak.",
        "get-help",
        "First contact resolution",
        "Mark Ellison",
        "Maria Santos",
        _team(("Maria Santos", "Customer Service"), ("Oliver Grant", "Digital")),
        m[-9],
        90,
        ["Average speed of answer"],
    )
    move(
        hold,
        [
            ("diagnosing", m[-8], "Telephony vendor cannot offer call-back before next year.", None),
            ("dropped", m[-7], "Dropped: folded into 'One call, one owner'.", None),
        ],
    )
    fixes.record_presentation(
        store,
        fix_id=adjuster,
        review_id=review_ids[2],
        actor=content.FACILITATOR_EMAIL,
        when=_at(review_months[2] + timedelta(days=35)),
    )
    fixes.record_presentation(
        store,
        fix_id=renewal,
        review_id=review_ids[1],
        actor=content.FACILITATOR_EMAIL,
        when=_at(review_months[1] + timedelta(days=35)),
    )
    for ago in (3, 2):
        # findings and decisions do not change the review row, so it is still at version 1
        reviews.close_review(
            store,
            review_ids[ago],
            expected_version=1,
            actor=content.FACILITATOR_EMAIL,
            when=_at(review_months[ago] + timedelta(days=36)),
        )
