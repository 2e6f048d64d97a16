"""The demo's last three monthly reviews with their findings and decisions, and closing the older two."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from cxroom import demo_content as content
from cxroom.demo.calendar import at
from cxroom.models import DecisionCreate, FindingCreate, ReviewCreate
from cxroom.services import review_capture, reviews
from cxroom.store import Store


def hold_reviews(store: Store, months: list[date]) -> tuple[dict[int, int], dict[int, date]]:
    """Create the reviews held one, two and three months ago; return their ids and months by months ago."""
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
            when=at(review_months[ago] + timedelta(days=35), 8, 10),
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
            when=at(review_months[ago] + timedelta(days=35), 8, 11),
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
    return review_ids, review_months


def close_reviews(store: Store, review_ids: dict[int, int], review_months: dict[int, date]) -> None:
    """Close the reviews of three and two months ago; last month's stays open."""
    for ago in (3, 2):
        # findings and decisions do not change the review row, so it is still at version 1
        reviews.close_review(
            store,
            review_ids[ago],
            expected_version=1,
            actor=content.FACILITATOR_EMAIL,
            when=at(review_months[ago] + timedelta(days=36)),
        )
