"""The demo's fix teams: charters, their moves through the statuses, and presentations at reviews.

Tells the room's fix story: call-backs fixed and celebrated, first bill and repeat contacts under way,
one fix overdue, one dropped.
"""

from __future__ import annotations

from datetime import date, timedelta

from cxroom import demo_content as content
from cxroom.demo.calendar import at
from cxroom.models import FixCreate, FixMember, FixStatus
from cxroom.services import fixes
from cxroom.store import Store


def _team(*pairs: tuple[str, str]) -> list[FixMember]:
    return [FixMember(person=person, silo_name=silo) for person, silo in pairs]


def charter_fixes(store: Store, months: list[date], review_ids: dict[int, int], review_months: dict[int, date]) -> None:
    """Charter and move the demo's fix teams; review ids link fixes to the reviews that chartered them."""
    end = months[-1]

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
            when=at(chartered, chartered.day, 10),
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
                when=at(when, when.day, 15),
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
        when=at(review_months[2] + timedelta(days=35)),
    )
    fixes.record_presentation(
        store,
        fix_id=renewal,
        review_id=review_ids[1],
        actor=content.FACILITATOR_EMAIL,
        when=at(review_months[1] + timedelta(days=35)),
    )
