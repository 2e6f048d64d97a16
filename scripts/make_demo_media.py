#!/usr/bin/env python3
"""Make the committed demo media for the Customer Room (``data/demo/``).

What it makes, from scratch, every time it runs:

* ``data/demo/calls/*.ogg`` - ten short phone calls between a Larkfield Mutual
  agent and a customer.  Every utterance is spoken by espeak-ng (one voice for
  the agent, another for the customer), cleaned up and resampled by sox,
  measured with ``soxi -D`` (so transcript timestamps are exact), joined with
  short pauses by sox and encoded to small mono Ogg Opus by ffmpeg.
* ``data/demo/artifacts/*.png|pdf`` - 22 things a customer physically receives
  (letters, bills, e-mails, web pages, forms, packaging, a label, an ID card),
  drawn with Pillow.  Several carry deliberate, realistic flaws for a CX team
  to spot: a first bill that does not match the quote, a renewal notice that
  buries an 18% increase under jargon, a claim letter promising "up to 30
  working days", and so on.
* ``data/demo/manifest.json`` - what every file is: journey stage, moment of
  truth, title and dates; transcript and highlighted clip for each call;
  caption and what it asks of the customer for each artifact.

A developer runs it once and commits the outputs; the app never runs it.  The
content is fixed (no randomness), so running it again gives the same files.

Needs on the PATH: espeak-ng, sox (with soxi) and ffmpeg (with libopus, and
ffprobe).  Needs Pillow.  DejaVu fonts are used when installed (Debian:
fonts-dejavu-core), otherwise Pillow's built-in font.

    .venv/bin/python scripts/make_demo_media.py
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "demo"
CALLS_DIR = OUT / "calls"
ARTIFACTS_DIR = OUT / "artifacts"

MAX_CALL_BYTES = 300 * 1024
MAX_ARTIFACT_BYTES = 200_000
MAX_TOTAL_BYTES = 6 * 1024 * 1024

STAGES = {
    "shop": ("Online quote", "Price explained clearly"),
    "buy": ("Policy bought in one sitting", "Documents arrive within 24 hours"),
    "get-started": ("Welcome call", "ID card arrives before cover starts"),
    "pay": ("First bill matches the quote", "Autopay set up first time"),
    "get-help": ("First contact resolution", "Third contact in a month"),
    "claim": (
        "First notice of loss",
        "Adjuster calls back within 24 hours",
        "Claim settled within 10 days",
    ),
    "renew": (
        "Renewal notice explains the price",
        "Tenth anniversary",
        "Cancellation handled with respect",
    ),
}
ARTIFACT_KINDS = {"letter", "bill", "email", "packaging", "label", "web_page", "form", "other"}


def run(cmd: list[str]) -> str:
    """Run a command, fail loudly with its stderr, return its stdout."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}... failed:\n{proc.stderr.strip()}")
    return proc.stdout


# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

SAMPLE_RATE = 16000
LEAD_IN_S = 0.4
TAIL_S = 0.6
# Pauses between turns, cycled; a frustrated customer cuts in sooner.
TURN_PAUSES_S = (0.55, 0.75, 0.45, 0.65, 0.5, 0.85, 0.6)
INTERRUPT_PAUSE_S = 0.3
KEY = "key"  # third element of a line: part of the highlighted clip


@dataclass(frozen=True)
class Voice:
    espeak: str  # espeak-ng voice+variant
    speed: int  # words per minute
    pitch: int  # 0-99


@dataclass(frozen=True)
class Call:
    name: str
    stage: str
    moment: str | None
    title: str
    recorded_at: str
    tags: tuple[str, ...]
    agent: Voice
    customer: Voice
    # ("A", text) agent, ("C", text) customer, ("C!", text) frustrated customer;
    # an optional third element KEY marks the lines the clip must cover.
    lines: tuple[tuple[str, ...], ...]


AGENT_ALISON = Voice("en-gb+f3", 170, 50)
AGENT_RACHEL = Voice("en-gb-x-rp+f4", 168, 56)
AGENT_FIONA = Voice("en-gb+f3", 162, 46)
AGENT_BETH = Voice("en-gb-x-rp+f4", 170, 52)
AGENT_HANNAH = Voice("en-gb+f3", 168, 58)
AGENT_JORDAN = Voice("en-gb-x-rp+m2", 170, 40)
AGENT_LUKE = Voice("en-gb+m7", 166, 44)
AGENT_DANIEL = Voice("en-gb+m3", 170, 38)
AGENT_KEVIN = Voice("en-gb-x-rp+m2", 168, 44)
AGENT_CALLUM = Voice("en-gb+m7", 162, 40)

CALLS: tuple[Call, ...] = (
    Call(
        name="01-shop-quote-jump-teen-driver",
        stage="shop",
        moment="Price explained clearly",
        title="Why did my quote jump $56 when I added my son?",
        recorded_at="2026-05-07T10:14:00",
        tags=("quote", "pricing", "jargon", "teen driver", "nearly lost"),
        agent=AGENT_ALISON,
        customer=Voice("en-us+m3", 175, 45),
        lines=(
            ("A", "Thank you for calling Larkfield Mutual, this is Alison. How can I help you today?"),
            (
                "C",
                "Hi. I got a car insurance quote online yesterday, it said $92 a month. "
                "Then I added my son as a driver and it jumped to $148.",
            ),
            ("A", "I can look at that for you. Do you have the quote reference?"),
            ("C", "Yes, it's Q-80544. Marcus Bell."),
            (
                "A",
                "Thanks, Mr. Bell. Adding a driver under twenty-five moves the policy "
                "into a different rating tier, and the territory factor is reapplied.",
            ),
            (
                "C!",
                "Sorry, I don't know what a rating tier is. The website just showed me a new "
                "number. Nothing on the page told me why it went up by $56.",
                KEY,
            ),
            ("A", "In plain terms, young drivers have more accidents, so the price goes up while he's on the policy."),
            ("C", "Okay, that I get. So why couldn't the page just say that? I nearly went with someone else.", KEY),
            (
                "A",
                "That's fair, I'll pass it on. If your son takes an approved driving "
                "course, it drops by about $11 a month.",
            ),
            ("C", "Fine. Can you email me that in writing, so I can compare?"),
            ("A", "Of course, within the hour."),
        ),
    ),
    Call(
        name="02-buy-checkout-session-expired",
        stage="buy",
        moment="Policy bought in one sitting",
        title="Checkout timed out three times before I could pay",
        recorded_at="2026-05-19T19:42:00",
        tags=("website", "checkout", "session timeout", "home policy", "effort"),
        agent=AGENT_JORDAN,
        customer=Voice("en-us+f4", 180, 60),
        lines=(
            ("A", "Larkfield Mutual, Jordan speaking. How can I help?"),
            (
                "C",
                "Hi Jordan. I've been trying to buy a home policy on your website for forty "
                "minutes. Every time I get to the payment page, it says my session has expired.",
            ),
            ("A", "I'm sorry about that. How many times has it happened?"),
            (
                "C!",
                "Three times. I've typed my address, my roof age and my mortgage details three "
                "times. I was ready to pay. I just need cover before I close on Friday.",
                KEY,
            ),
            ("A", "Let's finish it together on the phone. I can see your saved quote, Q-81207, for 386 Elm Street."),
            ("C", "Good. So nothing is lost?"),
            ("A", "The quote is saved, yes. It's $1,048 for the year, or $87.33 a month."),
            ("C", "Monthly, please. And my lender needs proof of insurance today."),
            ("A", "Once payment goes through, I'll email your declarations page straight away."),
            ("C", "Okay. Let's do it before anything else expires."),
        ),
    ),
    Call(
        name="03-get-started-welcome-call",
        stage="get-started",
        moment="Welcome call",
        title="Welcome call: 'My last insurer only wrote when the price went up'",
        recorded_at="2026-06-09T11:05:00",
        tags=("welcome", "outbound", "positive", "onboarding", "roadside"),
        agent=AGENT_LUKE,
        customer=Voice("en-029+f2", 170, 66),
        lines=(
            (
                "A",
                "Hello, is that Priya Raman? This is Luke from Larkfield Mutual. I'm calling to "
                "welcome you, as your home and car policies started last week.",
            ),
            ("C", "Oh, hi! Yes, this is Priya. That's nice of you."),
            ("A", "Have you had a chance to look at your welcome pack? I want to make sure everything in it is right."),
            (
                "C",
                "I have. The ID cards came on Saturday, and the car details are correct. "
                "I did wonder about the roadside assistance number, though.",
            ),
            (
                "A",
                "Good question. It's on the back of your ID card. It's free, twenty-four hours "
                "a day, and you don't need to call us first.",
            ),
            (
                "C",
                "That's really helpful. Honestly, I didn't expect a call. My last insurer only "
                "ever wrote to me when the price went up.",
                KEY,
            ),
            ("A", "We'd rather you hear from us when nothing is wrong. Is there anything else I can help with?"),
            ("C", "No, that's everything. Thank you, Luke, this made my day.", KEY),
            ("A", "You're welcome. Enjoy the rest of your week."),
        ),
    ),
    Call(
        name="04-get-started-id-card-late",
        stage="get-started",
        moment="ID card arrives before cover starts",
        title="Cover starts Monday and the ID card is still in the post",
        recorded_at="2026-05-29T16:20:00",
        tags=("id card", "late documents", "standard mail", "registration", "personal data"),
        agent=AGENT_DANIEL,
        customer=Voice("en-us+f2", 178, 58),
        lines=(
            ("A", "Larkfield Mutual, this is Daniel. How can I help?"),
            (
                "C",
                "Hi, my name is Jane Doe, policy LM-48213. My car insurance starts on Monday, "
                "and I still don't have my ID card. I can't register the car without it.",
            ),
            (
                "A",
                "I'm sorry to hear that, Ms. Doe. Let me check. The card prints on Wednesday, "
                "and it goes out by standard mail.",
            ),
            (
                "C!",
                "Wednesday? And standard mail is five to nine days. I bought this policy two "
                "weeks ago. I can't drive my new car on Monday without it.",
                KEY,
            ),
            ("A", "I understand. I can email you a temporary card right now. Can you confirm your email address?"),
            ("C", "It's jane.doe@example.com."),
            ("A", "Thank you. And a phone number, in case the email doesn't come through?"),
            ("C", "555-201-3344. Please text me when it's sent."),
            ("A", "Done. The temporary card is in your inbox, and it's valid until the printed one arrives."),
            ("C", "Thank you. But someone should have told me it was coming by slow post."),
        ),
    ),
    Call(
        name="05-pay-first-bill-not-the-quote",
        stage="pay",
        moment="First bill matches the quote",
        title="First bill $131.55, quote said $94.20",
        recorded_at="2026-06-22T09:31:00",
        tags=("billing", "first bill", "quote mismatch", "fees", "goodwill"),
        agent=AGENT_RACHEL,
        customer=Voice("en-gb-scotland+m2", 172, 42),
        lines=(
            ("A", "Good morning, Larkfield Mutual billing, this is Rachel."),
            (
                "C",
                "Morning. It's Tom Okafor, policy LM-49860. My first bill says $131.55. My quote said $94.20 a month.",
            ),
            ("A", "Let me look, Mr. Okafor. Yes, the first bill is higher."),
            (
                "C!",
                "I chose you because of that $94.20. I've got the quote in front of me. "
                "Nobody said the first month would be nearly forty dollars more.",
                KEY,
            ),
            (
                "A",
                "The first bill has a one-off policy fee of $25, a $3 installment fee, "
                "and three extra days of cover from your start date.",
            ),
            ("C", "None of that was on the quote page. Is every month going to have fees?", KEY),
            ("A", "The $3 installment fee applies each month if you pay monthly. It's waived if you set up autopay."),
            ("C", "So really it's $97.20, not $94.20. That should have been on the quote."),
            ("A", "You're right, it should be clearer. I can waive the policy fee today."),
            ("C", "Thank you. Please pass that feedback on."),
        ),
    ),
    Call(
        name="06-get-help-third-contact-address",
        stage="get-help",
        moment="Third contact in a month",
        title="Third call this month to change one address",
        recorded_at="2026-07-14T13:48:00",
        tags=("repeat contact", "address change", "effort", "name misspelled", "frustrated"),
        agent=AGENT_KEVIN,
        customer=Voice("en-us+f5", 182, 55),
        lines=(
            ("A", "Thank you for calling Larkfield Mutual, my name is Kevin. Can I take your policy number?"),
            ("C!", "LM-31475. And yes, I have called before. This is the third time this month."),
            ("A", "I'm sorry about that, Ms. Castillo. What is the call about?"),
            (
                "C!",
                "I moved on June twentieth. I called on the first to change my address, and "
                "again on the eighth. Today I got a letter confirming my new address, sent "
                "to my old address. And it spells my name wrong.",
                KEY,
            ),
            ("A", "I can see the first change was saved on your home policy, but not on your car policy."),
            ("C", "I have one account with you. Why would I need to tell you twice?", KEY),
            ("A", "You shouldn't. I'm updating both policies now, and the billing address too."),
            ("C", "Will I have to call a fourth time?"),
            (
                "A",
                "No. I'll email you a confirmation today, and I'll call you on Friday "
                "to check the letter came to the right address.",
            ),
            ("C", "Fine. Please do."),
        ),
    ),
    Call(
        name="07-claim-first-notice-burst-pipe",
        stage="claim",
        moment="First notice of loss",
        title="Burst pipe: 'An adjuster will call within 24 hours'",
        recorded_at="2026-08-03T07:52:00",
        tags=("claim", "water damage", "first notice of loss", "promise made", "calm agent"),
        agent=AGENT_FIONA,
        customer=Voice("en-us+m1", 168, 38),
        lines=(
            ("A", "Larkfield Mutual claims, this is Fiona. First, is everyone safe?"),
            (
                "C",
                "Yes, we're fine. A pipe burst under the kitchen sink last night. "
                "There's water all over the kitchen and the hallway.",
            ),
            ("A", "I'm sorry, that's a horrible thing to wake up to. Have you been able to turn the water off?"),
            ("C", "Yes, at the main. The floor is soaked, and the cabinets are starting to swell."),
            (
                "A",
                "Okay. I've opened a claim for you, number CL-20931. You can call a water "
                "removal company today, and we'll cover reasonable costs.",
            ),
            ("C", "Thank you. What happens next? I've never made a claim before."),
            (
                "A",
                "An adjuster will call you within twenty-four hours to arrange a visit. "
                "Take photos of everything before anything is thrown away.",
                KEY,
            ),
            (
                "C",
                "Within twenty-four hours. Okay. I'll keep my phone on me. "
                "We can't really use the kitchen until someone looks at it.",
                KEY,
            ),
            ("A", "Understood. I'll mark it as urgent. You'll also get a letter confirming the claim."),
            ("C", "Thanks, Fiona. You've been very calm."),
        ),
    ),
    Call(
        name="08-claim-adjuster-never-called",
        stage="claim",
        moment="Adjuster calls back within 24 hours",
        title="Four days, two voicemails, no adjuster",
        recorded_at="2026-08-07T15:10:00",
        tags=("claim", "adjuster", "no callback", "broken promise", "frustrated"),
        agent=AGENT_BETH,
        customer=Voice("en-us+m1", 170, 40),
        lines=(
            ("A", "Larkfield Mutual claims, this is Beth. How can I help?"),
            (
                "C",
                "Claim number CL-20931. I reported a burst pipe on Monday morning. "
                "I was told an adjuster would call within twenty-four hours. It's Friday.",
            ),
            ("A", "Let me pull that up, Mr. Howell. The claim was assigned to an adjuster on Tuesday."),
            (
                "C!",
                "Assigned, but nobody called. I've left two voicemails. My kitchen cabinets "
                "are warping, and the drying company needs approval to keep the fans running.",
                KEY,
            ),
            (
                "A",
                "I'm really sorry. Your adjuster is out this week, and the claim wasn't moved "
                "to anyone else. That shouldn't have happened.",
            ),
            ("C!", "So I've been waiting four days for someone who's on holiday?", KEY),
            (
                "A",
                "I'm reassigning it to a senior adjuster now. She'll call you before five "
                "today, and I'm approving the drying costs on this call.",
            ),
            ("C", "Okay. And the letter said up to thirty working days to settle. Is that real?"),
            ("A", "Most water claims settle faster. I'll ask her to give you a date today."),
        ),
    ),
    Call(
        name="09-renew-eighteen-percent-increase",
        stage="renew",
        moment="Renewal notice explains the price",
        title="Renewal up 18%, found at the bottom of page two",
        recorded_at="2026-09-10T12:25:00",
        tags=("renewal", "price increase", "jargon", "retention risk", "competitor quotes"),
        agent=AGENT_HANNAH,
        customer=Voice("en-gb-x-gbclan+m4", 175, 48),
        lines=(
            ("A", "Larkfield Mutual, you're speaking with Hannah."),
            (
                "C!",
                "Hi Hannah. I'm calling about my renewal, policy LM-22418. It's two pages of "
                "base rates and territory relativities, and only at the very bottom does it "
                "say the price is going up eighteen percent.",
                KEY,
            ),
            ("A", "I'm sorry it wasn't clearer, Mr. Kowalski. Your premium goes from $1,164 to $1,373.52.", KEY),
            ("C!", "I haven't made a claim in six years. No tickets. What did I do?"),
            (
                "A",
                "Nothing, personally. Repair costs have gone up, and the rate change applies to everyone in your area.",
            ),
            (
                "C",
                "Then the letter should say that in one sentence, at the top. Right now it "
                "reads like you hoped I wouldn't notice.",
            ),
            ("A", "That's fair. If you add your home policy with us, you'd save about $120."),
            ("C", "I'll think about it. Honestly, I already have two other quotes, and one of them is cheaper."),
            ("A", "I understand. Your renewal date is October first, so you have time to decide."),
        ),
    ),
    Call(
        name="10-renew-tenth-anniversary-thanks",
        stage="renew",
        moment="Tenth anniversary",
        title="Ten years a member: a thank-you call",
        recorded_at="2026-10-02T10:40:00",
        tags=("anniversary", "loyalty", "outbound", "positive", "past claim"),
        agent=AGENT_CALLUM,
        customer=Voice("en-us+f1", 160, 62),
        lines=(
            ("A", "Hello, may I speak with Ruth Adeyemi? This is Callum from Larkfield Mutual."),
            ("C", "Speaking. Is everything all right?"),
            ("A", "Everything's fine. Today is ten years since you joined us, and I wanted to say thank you."),
            ("C", "Oh! Ten years already. I didn't think anybody kept track of that."),
            (
                "A",
                "We do. As a thank you, we've added free glass repair to your car policy, "
                "and there's a small card on its way to you.",
            ),
            (
                "C",
                "That's lovely. You know, I stayed because when my basement flooded in "
                "twenty nineteen, you paid in a week, and nobody made me feel like a number.",
                KEY,
            ),
            ("A", "That's wonderful to hear. Is there anything we could do better?"),
            ("C", "Just send letters I can understand. The last renewal notice was hard going."),
            ("A", "I'll pass that on. Thank you again, Mrs. Adeyemi."),
        ),
    ),
)


def speakable(text: str) -> str:
    """Rewrite codes, phone numbers and money so espeak-ng reads them naturally."""
    # Phone numbers: digit by digit in three groups ("5 5 5, 2 0 1, 3 3 4 4").
    text = re.sub(
        r"\b(\d{3})-(\d{3})-(\d{4})\b",
        lambda m: ", ".join(" ".join(group) for group in m.groups()),
        text,
    )
    # Reference codes such as LM-48213 or CL-20931: letters, then digits one by one.
    text = re.sub(
        r"\b([A-Z]{1,3})-(\d+)\b",
        lambda m: " ".join(m.group(1)) + ", " + " ".join(m.group(2)),
        text,
    )

    # Money: "$1,373.52" -> "1373 dollars and 52 cents".
    def money(m: re.Match[str]) -> str:
        words = f"{m.group(1).replace(',', '')} dollars"
        if m.group(2) and m.group(2) != "00":
            words += f" and {int(m.group(2))} cents"
        return words

    return re.sub(r"\$(\d[\d,]*)(?:\.(\d\d))?", money, text)


def wav_seconds(path: Path) -> float:
    return float(run(["soxi", "-D", str(path)]).strip())


def make_silence(seconds: float, path: Path) -> None:
    run(["sox", "-D", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(path), "trim", "0", f"{seconds:.3f}"])


def speak(text: str, voice: Voice, frustrated: bool, path: Path) -> None:
    """One utterance -> 16 kHz mono WAV, trimmed of espeak's own silences."""
    raw = path.with_name(path.stem + "-raw.wav")
    speed = voice.speed + (18 if frustrated else 0)
    pitch = min(99, voice.pitch + (12 if frustrated else 0))
    amplitude = 130 if frustrated else 110
    run(
        [
            "espeak-ng",
            "-v",
            voice.espeak,
            "-s",
            str(speed),
            "-p",
            str(pitch),
            "-a",
            str(amplitude),
            "-w",
            str(raw),
            speakable(text),
        ]
    )
    # -D: no dither, so the output is the same on every run.  A telephone-ish
    # band (180 Hz - 3.8 kHz), levelled to -3 dBFS.
    run(
        [
            "sox",
            "-D",
            str(raw),
            "-r",
            str(SAMPLE_RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(path),
            "silence",
            "1",
            "0.02",
            "0.5%",
            "reverse",
            "silence",
            "1",
            "0.02",
            "0.5%",
            "reverse",
            "highpass",
            "180",
            "lowpass",
            "3800",
            "norm",
            "-3",
        ]
    )
    raw.unlink()


def clip_bounds(transcript: list[dict], duration: float) -> tuple[int, int]:
    """A 10-25 s stretch (whole seconds) covering every line marked KEY.

    Too short a stretch grows by whole following lines, so the clip ends
    between sentences rather than in the middle of one."""
    keyed = [i for i, t in enumerate(transcript) if t.pop("key", False)]
    if not keyed:
        raise ValueError("every call needs at least one KEY line")
    first, last = transcript[keyed[0]], transcript[keyed[-1]]
    start = max(0, math.floor(first["start"] - 0.3))
    i = keyed[-1]
    end = math.ceil(last["end"] + 0.3)
    while end - start < 10 and i + 1 < len(transcript) and transcript[i + 1]["end"] + 0.3 - start <= 25:
        i += 1
        end = math.ceil(transcript[i]["end"] + 0.3)
    if end - start < 10:
        end = start + 10
    end = min(end, math.floor(duration))
    if not (0 <= start < end <= duration and 10 <= end - start <= 25):
        raise ValueError(f"bad clip {start}-{end} for a {duration:.1f}s call")
    if first["start"] < start or last["end"] > end:
        raise ValueError(f"clip {start}-{end} does not cover the KEY lines; mark fewer lines")
    return start, end


def make_call(call: Call, work: Path) -> dict:
    segments: list[Path] = []
    transcript: list[dict] = []
    clock = 0.0

    def add(path: Path) -> float:
        nonlocal clock
        seconds = wav_seconds(path)
        segments.append(path)
        clock += seconds
        return seconds

    lead = work / f"{call.name}-lead.wav"
    make_silence(LEAD_IN_S, lead)
    add(lead)
    for i, line in enumerate(call.lines):
        code, text = line[0], line[1]
        frustrated = code == "C!"
        if i:
            pause = INTERRUPT_PAUSE_S if frustrated else TURN_PAUSES_S[i % len(TURN_PAUSES_S)]
            gap = work / f"{call.name}-{i:02d}-gap.wav"
            make_silence(pause, gap)
            add(gap)
        utterance = work / f"{call.name}-{i:02d}.wav"
        speak(text, call.customer if code.startswith("C") else call.agent, frustrated, utterance)
        start = clock
        add(utterance)
        transcript.append(
            {
                "start": round(start, 2),
                "end": round(clock, 2),
                "speaker": "customer" if code.startswith("C") else "agent",
                "text": text,
                "key": KEY in line[2:],
            }
        )
    tail = work / f"{call.name}-tail.wav"
    make_silence(TAIL_S, tail)
    add(tail)

    full = work / f"{call.name}.wav"
    run(["sox", "-D", *map(str, segments), str(full)])
    duration = wav_seconds(full)
    if abs(duration - clock) > 0.01:
        raise RuntimeError(f"{call.name}: joined {duration:.3f}s but parts sum to {clock:.3f}s")
    if not 30 <= duration <= 70:
        raise RuntimeError(f"{call.name}: {duration:.1f}s, calls must last 30-70 s")

    ogg = CALLS_DIR / f"{call.name}.ogg"
    # bitexact: a fixed Ogg stream serial and no encoder tag, so reruns match.
    run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(full),
            "-map_metadata",
            "-1",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-c:a",
            "libopus",
            "-b:a",
            "24k",
            "-application",
            "voip",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(ogg),
        ]
    )
    check_ogg(ogg, duration)

    clip_start, clip_end = clip_bounds(transcript, duration)
    return {
        "file": f"calls/{ogg.name}",
        "stage": call.stage,
        "moment": call.moment,
        "title": call.title,
        "channel": "phone",
        "recorded_at": call.recorded_at,
        "consent": True,
        "tags": list(call.tags),
        "duration_s": round(duration, 2),
        "clip_start_s": clip_start,
        "clip_end_s": clip_end,
        "transcript": transcript,
    }


def check_ogg(ogg: Path, expected: float) -> None:
    """The file must decode cleanly, be Opus, last as long as the WAV, and be small."""
    probe = json.loads(
        run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration:stream=codec_name,channels",
                "-of",
                "json",
                str(ogg),
            ]
        )
    )
    stream = probe["streams"][0]
    if stream["codec_name"] != "opus" or stream["channels"] != 1:
        raise RuntimeError(f"{ogg.name}: expected mono opus, got {stream}")
    probed = float(probe["format"]["duration"])
    if abs(probed - expected) > 0.1:
        raise RuntimeError(f"{ogg.name}: ffprobe says {probed:.2f}s, expected {expected:.2f}s")
    decode = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(ogg), "-f", "null", "-"], capture_output=True, text=True
    )
    if decode.returncode != 0 or decode.stderr.strip():
        raise RuntimeError(f"{ogg.name} does not decode cleanly: {decode.stderr.strip()}")
    if ogg.stat().st_size >= MAX_CALL_BYTES:
        raise RuntimeError(f"{ogg.name} is {ogg.stat().st_size} bytes, too big")


# ---------------------------------------------------------------------------
# Drawing kit
# ---------------------------------------------------------------------------

INK = (33, 37, 41)
MUTED = (96, 104, 112)
FAINT = (150, 156, 161)
LINE = (212, 217, 214)
PALE = (246, 247, 246)
GREEN = (23, 77, 61)
GREEN_DARK = (14, 50, 40)
GREEN_TINT = (233, 242, 237)
GOLD = (196, 152, 42)
GOLD_TINT = (251, 244, 224)
CREAM = (251, 249, 243)
WHITE = (255, 255, 255)
RED = (178, 34, 40)
RED_TINT = (252, 235, 235)
AMBER = (176, 106, 0)
AMBER_TINT = (255, 243, 219)
BLUE = (26, 95, 180)

COMPANY = "Larkfield Mutual Insurance Company"
COMPANY_STREET = "400 Meridian Way"
COMPANY_CITY = "Columbus, OH 43215"
PHONE_SERVICE = "1-800-555-0142"
PHONE_CLAIMS = "1-800-555-0199"
PHONE_ROADSIDE = "1-800-555-0177"
WEBSITE = "larkfieldmutual.com"

FONT_FILES = {
    "sans": ("DejaVuSans.ttf",),
    "bold": ("DejaVuSans-Bold.ttf",),
    "italic": ("DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSans.ttf"),
    "serif-bold": ("DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "serif-italic": ("DejaVuSerif-Italic.ttf", "DejaVuSerif.ttf", "DejaVuSans.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSans.ttf"),
    "mono-bold": ("DejaVuSansMono-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "cond": ("DejaVuSansCondensed.ttf", "DejaVuSans.ttf"),
    "cond-bold": ("DejaVuSansCondensed-Bold.ttf", "DejaVuSans-Bold.ttf"),
}
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / ".fonts",
)


@cache
def font(style: str = "sans", size: int = 16) -> ImageFont.FreeTypeFont:
    """A DejaVu face if installed, else Pillow's built-in font at that size."""
    for name in FONT_FILES[style]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def font_size(f) -> int:
    return int(getattr(f, "size", 12))


def line_height(f, leading: float = 1.4) -> int:
    return round(font_size(f) * leading)


def wrap(text: str, f, width: float) -> list[str]:
    """Greedy word wrap; "\n" forces a break."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if not current or f.getlength(trial) <= width:
                current = trial
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


def tracked(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, f, fill, spacing: float) -> float:
    """Letter-spaced text (for small caps labels); returns the end x."""
    x, y = xy
    for ch in text:
        d.text((x, y), ch, font=f, fill=fill)
        x += f.getlength(ch) + spacing
    return x


def dashed(
    d: ImageDraw.ImageDraw,
    a: tuple[float, float],
    b: tuple[float, float],
    fill=FAINT,
    width: int = 1,
    dash: int = 8,
    gap: int = 6,
) -> None:
    (x0, y0), (x1, y1) = a, b
    length = math.hypot(x1 - x0, y1 - y0)
    pos = 0.0
    while pos < length:
        end = min(pos + dash, length)
        d.line(
            [
                (x0 + (x1 - x0) * pos / length, y0 + (y1 - y0) * pos / length),
                (x0 + (x1 - x0) * end / length, y0 + (y1 - y0) * end / length),
            ],
            fill=fill,
            width=width,
        )
        pos += dash + gap


def dashed_box(d: ImageDraw.ImageDraw, box: tuple[float, float, float, float], **kw) -> None:
    x0, y0, x1, y1 = box
    for a, b in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))):
        dashed(d, a, b, **kw)


def button(
    d: ImageDraw.ImageDraw,
    x: float,
    y: float,
    label: str,
    fill=GREEN,
    fg=WHITE,
    size: int = 16,
    height: int = 44,
    pad: int = 24,
    outline=None,
) -> float:
    """A rounded button with its top-left at (x, y); returns its width."""
    f = font("bold", size)
    width = f.getlength(label) + 2 * pad
    d.rounded_rectangle([x, y, x + width, y + height], radius=8, fill=fill, outline=outline, width=2 if outline else 1)
    d.text((x + width / 2, y + height / 2), label, font=f, fill=fg, anchor="mm")
    return width


def checkbox(d: ImageDraw.ImageDraw, x: float, y: float, label: str, size: int = 15, ticked: bool = False) -> float:
    d.rectangle([x, y + 2, x + 16, y + 18], outline=INK, width=2)
    if ticked:
        d.line([(x + 3, y + 10), (x + 7, y + 15), (x + 14, y + 4)], fill=INK, width=2)
    d.text((x + 24, y), label, font=font("sans", size), fill=INK)
    return x + 24 + font("sans", size).getlength(label)


def barcode_bars(seed: str, count: int) -> list[int]:
    """Deterministic pseudo-barcode pattern (0-3) derived from a string."""
    digest = b""
    block = 0
    while len(digest) < count:
        digest += hashlib.sha256(f"{seed}:{block}".encode()).digest()
        block += 1
    return [byte % 4 for byte in digest[:count]]


def imb_barcode(
    d: ImageDraw.ImageDraw, x: float, y: float, seed: str, bars: int = 65, pitch: float = 5.0, height: int = 22
) -> None:
    """A USPS Intelligent Mail style four-state barcode."""
    for i, state in enumerate(barcode_bars(seed, bars)):
        top = y if state in (1, 3) else y + height * 0.33
        bottom = y + height if state in (2, 3) else y + height * 0.67
        d.rectangle([x + i * pitch, top, x + i * pitch + pitch * 0.45, bottom], fill=INK)


def linear_barcode(d: ImageDraw.ImageDraw, x: float, y: float, seed: str, width: int, height: int) -> None:
    """A Code 128 look-alike: bars of 1-4 modules, deterministic."""
    module = 2
    pos = x
    for i, w in enumerate(barcode_bars(seed, 400)):
        w = (w + 1) * module
        if pos + w > x + width:
            break
        if i % 2 == 0:
            d.rectangle([pos, y, pos + w - 1, y + height], fill=INK)
        pos += w


def draw_logo(
    d: ImageDraw.ImageDraw,
    x: float,
    y: float,
    size: int = 56,
    on_dark: bool = False,
    wordmark: bool = True,
    tagline: bool = True,
) -> float:
    """The Larkfield Mutual mark: a lark over a sunrise and a ploughed field, plus the wordmark.

    Returns the right edge of what was drawn."""
    s = size
    tile, mark = (WHITE, GREEN) if on_dark else (GREEN, WHITE)
    d.rounded_rectangle([x, y, x + s, y + s], radius=max(3, s // 5), fill=tile)
    w = max(2, round(s / 18))
    # The sun rising on the horizon.
    d.pieslice([x + s * 0.28, y + s * 0.34, x + s * 0.72, y + s * 0.78], 180, 360, fill=GOLD)
    horizon = y + s * 0.56
    d.line([(x + s * 0.14, horizon), (x + s * 0.86, horizon)], fill=mark, width=w)
    # The field: three gold furrows widening towards the viewer.
    for i in range(3):
        yy = y + s * (0.67 + 0.1 * i)
        d.line([(x + s * (0.25 - 0.05 * i), yy), (x + s * (0.75 + 0.05 * i), yy)], fill=GOLD, width=w)
    # The lark: two shallow wing arcs.
    bw = max(2, w - 1)
    d.arc([x + s * 0.56, y + s * 0.10, x + s * 0.72, y + s * 0.26], 200, 340, fill=mark, width=bw)
    d.arc([x + s * 0.70, y + s * 0.10, x + s * 0.86, y + s * 0.26], 200, 340, fill=mark, width=bw)
    right = x + s
    if wordmark:
        name_colour = WHITE if on_dark else GREEN
        f = font("serif-bold", round(s * 0.46))
        tx = x + s + round(s * 0.26)
        ty = y + (round(s * 0.02) if tagline else round(s * 0.22))
        d.text((tx, ty), "Larkfield Mutual", font=f, fill=name_colour)
        right = tx + f.getlength("Larkfield Mutual")
        if tagline:
            small = font("sans", max(9, round(s * 0.19)))
            tracked(
                d,
                (tx + 1, y + s * 0.66),
                "INSURANCE SINCE 1921",
                small,
                GOLD if on_dark else MUTED,
                max(1.0, s * 0.035),
            )
    return right


class Page:
    """A canvas with a moving cursor (``y``) and text/table helpers."""

    def __init__(self, width: int = 1000, height: int = 2600, bg=WHITE, margin: int = 70) -> None:
        self.im = Image.new("RGB", (width, height), bg)
        self.d = ImageDraw.Draw(self.im)
        self.w, self.h = width, height
        self.x0, self.x1 = margin, width - margin
        self.y = margin

    def gap(self, height: float) -> None:
        self.y += height

    def text(
        self,
        text: str,
        style: str = "sans",
        size: int = 16,
        fill=INK,
        x: float | None = None,
        right: float | None = None,
        leading: float = 1.45,
        align: str = "left",
        after: float = 6,
    ) -> None:
        f = font(style, size)
        x0 = self.x0 if x is None else x
        x1 = self.x1 if right is None else right
        for ln in wrap(text, f, x1 - x0):
            width = f.getlength(ln)
            tx = {"left": x0, "center": x0 + (x1 - x0 - width) / 2, "right": x1 - width}[align]
            self.d.text((tx, self.y), ln, font=f, fill=fill)
            self.y += line_height(f, leading)
        self.y += after

    def rich(
        self,
        text: str,
        size: int = 16,
        fill=INK,
        serif: bool = False,
        x: float | None = None,
        right: float | None = None,
        leading: float = 1.5,
        after: float = 12,
    ) -> None:
        """A wrapped paragraph in which **double stars** mark bold words."""
        regular = font("serif" if serif else "sans", size)
        bold = font("serif-bold" if serif else "bold", size)
        tokens: list[tuple[str, object, bool]] = []  # word, font, glued to previous
        parts = text.split("**")
        for i, part in enumerate(parts):
            f = bold if i % 2 else regular
            glue = i > 0 and parts[i - 1] and not parts[i - 1][-1].isspace() and part and not part[0].isspace()
            for j, word in enumerate(part.split()):
                tokens.append((word, f, bool(glue and j == 0)))
        x0 = self.x0 if x is None else x
        x1 = self.x1 if right is None else right
        step = line_height(regular, leading)
        space = regular.getlength(" ")
        cx = x0
        for word, f, glued in tokens:
            if glued:
                cx -= space
            width = f.getlength(word)
            if cx > x0 and not glued and cx + width > x1:
                cx = x0
                self.y += step
            self.d.text((cx, self.y), word, font=f, fill=fill)
            cx += width + space
        self.y += step + after

    def bullets(
        self,
        items: list[str],
        size: int = 16,
        serif: bool = False,
        bullet: str = "•",
        x: float | None = None,
        right: float | None = None,
        after: float = 10,
        numbered: bool = False,
    ) -> None:
        x0 = self.x0 if x is None else x
        f = font("serif" if serif else "sans", size)
        for n, item in enumerate(items, 1):
            mark = f"{n}." if numbered else bullet
            self.d.text((x0 + 6, self.y), mark, font=font("bold", size) if numbered else f, fill=GREEN)
            self.rich(item, size=size, serif=serif, x=x0 + 34, right=right, after=4)
        self.y += after

    def rule(
        self, fill=LINE, width: int = 1, after: float = 14, x0: float | None = None, x1: float | None = None
    ) -> None:
        self.d.line(
            [(self.x0 if x0 is None else x0, self.y), (self.x1 if x1 is None else x1, self.y)], fill=fill, width=width
        )
        self.y += width + after

    def table(
        self,
        rows: list[list[str]],
        widths: list[float],
        aligns: str | None = None,
        size: int = 15,
        header: bool = True,
        head_fill=GREEN,
        head_fg=WHITE,
        zebra=PALE,
        bold_rows: tuple[int, ...] = (),
        x: float | None = None,
        right: float | None = None,
        pad: int = 9,
        after: float = 18,
        outline=LINE,
        style: str = "sans",
    ) -> None:
        """Rows of cells; widths are fractions of the table width; aligns like "lrr"."""
        x0 = self.x0 if x is None else x
        x1 = self.x1 if right is None else right
        total = x1 - x0
        cols = [w / sum(widths) * total for w in widths]
        aligns = aligns or "l" * len(widths)
        bold_rows = {b % len(rows) for b in bold_rows}
        top = self.y
        for r, row in enumerate(rows):
            is_head = header and r == 0
            f = font("bold" if is_head or r in bold_rows else style, size)
            wrapped = [wrap(str(cell), f, cw - 2 * pad) for cell, cw in zip(row, cols, strict=True)]
            height = max(len(c) for c in wrapped) * line_height(f, 1.35) + 2 * pad
            fill = head_fill if is_head else (zebra if zebra and r % 2 == 0 else None)
            if fill:
                self.d.rectangle([x0, self.y, x1, self.y + height], fill=fill)
            cx = x0
            for lines, cw, al in zip(wrapped, cols, aligns, strict=True):
                ty = self.y + pad
                for ln in lines:
                    lw = f.getlength(ln)
                    tx = cx + pad if al == "l" else (cx + cw - pad - lw if al == "r" else cx + (cw - lw) / 2)
                    self.d.text((tx, ty), ln, font=f, fill=head_fg if is_head else INK)
                    ty += line_height(f, 1.35)
                cx += cw
            self.y += height
            if r < len(rows) - 1:
                self.d.line([(x0, self.y), (x1, self.y)], fill=LINE, width=1)
        if outline:
            self.d.rectangle([x0, top, x1, self.y], outline=outline, width=1)
        self.y += after

    def finish(self, bottom_pad: int = 60) -> Image.Image:
        """Crop the canvas just below the content."""
        return self.im.crop((0, 0, self.w, min(self.h, math.ceil(self.y + bottom_pad))))


def panel(p: Page, content, fill=PALE, outline=None, pad: int = 16, radius: int = 8, after: float = 18) -> None:
    """A filled box sized to its content: ``content(q)`` draws on a scratch page."""
    q = Page(p.w, 1000, bg=fill)
    q.x0, q.x1, q.y = p.x0 + pad, p.x1 - pad, pad
    content(q)
    height = math.ceil(q.y + pad - 6)
    mask = Image.new("L", (p.x1 - p.x0, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, p.x1 - p.x0 - 1, height - 1], radius=radius, fill=255)
    p.im.paste(q.im.crop((p.x0, 0, p.x1, height)), (p.x0, round(p.y)), mask)
    if outline:
        p.d.rounded_rectangle([p.x0, p.y, p.x1 - 1, p.y + height - 1], radius=radius, outline=outline)
    p.y += height + after


def letterhead(p: Page, size: int = 58) -> None:
    draw_logo(p.d, p.x0, p.y, size)
    small = font("sans", 13)
    lines = (COMPANY, COMPANY_STREET, COMPANY_CITY, f"{PHONE_SERVICE}  ·  {WEBSITE}")
    for i, ln in enumerate(lines):
        p.d.text((p.x1 - small.getlength(ln), p.y + i * 17), ln, font=small, fill=MUTED)
    p.y += max(size, 4 * 17) + 16
    p.rule(fill=GOLD, width=3, after=30)


def letter_footer(p: Page, form_code: str, page_note: str = "") -> None:
    y = p.h - 58
    p.d.line([(p.x0, y), (p.x1, y)], fill=LINE, width=1)
    f = font("sans", 11)
    p.d.text((p.x0, y + 12), f"{COMPANY}  ·  {COMPANY_STREET}, {COMPANY_CITY}  ·  {WEBSITE}", font=f, fill=FAINT)
    right = f"{form_code}{'  ·  ' + page_note if page_note else ''}"
    p.d.text((p.x1 - f.getlength(right), y + 12), right, font=f, fill=FAINT)


def address_block(p: Page, lines: list[str], size: int = 16, after: float = 28) -> None:
    for ln in lines:
        p.text(ln, size=size, after=0, leading=1.4)
    p.gap(after)


def browser(p: Page, url: str, tab: str) -> None:
    """Browser window chrome across the top of a web_page artifact."""
    d, w = p.d, p.w
    d.rectangle([0, 0, w, 40], fill=(223, 226, 231))
    for i, colour in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        d.ellipse([16 + i * 20, 14, 28 + i * 20, 26], fill=colour)
    d.rounded_rectangle([90, 7, 400, 46], radius=9, fill=WHITE)
    d.rounded_rectangle([102, 17, 116, 31], radius=3, fill=GREEN)
    d.text((124, 16), tab, font=font("sans", 13), fill=INK)
    d.text((380, 15), "×", font=font("sans", 14), fill=MUTED)
    d.rectangle([0, 40, w, 84], fill=WHITE)
    d.text((18, 50), "←   →   ↻", font=font("sans", 17), fill=MUTED)
    d.rounded_rectangle([120, 48, w - 70, 77], radius=14, fill=(241, 243, 244))
    # Padlock.
    d.rectangle([136, 60, 146, 69], fill=MUTED)
    d.arc([137, 54, 145, 64], 180, 360, fill=MUTED, width=2)
    d.text((156, 54), url, font=font("sans", 14), fill=INK)
    d.text((w - 50, 50), "⋮", font=font("bold", 18), fill=MUTED)
    d.line([(0, 84), (w, 84)], fill=LINE)
    p.y = 85


def site_header(
    p: Page, signed_in: str | None = None, nav: tuple[str, ...] = ("Auto", "Home", "Claims", "Help")
) -> None:
    d, w = p.d, p.w
    top = p.y
    d.rectangle([0, top, w, top + 76], fill=WHITE)
    draw_logo(d, 40, top + 14, 48)
    f = font("sans", 16)
    x = w - 40
    label = f"Hi, {signed_in}" if signed_in else "Log in"
    bw = font("bold", 15).getlength(label) + 40
    button(
        d,
        x - bw,
        top + 18,
        label,
        size=15,
        height=40,
        pad=20,
        fill=WHITE if signed_in else GREEN,
        fg=GREEN if signed_in else WHITE,
        outline=GREEN if signed_in else None,
    )
    x -= bw + 30
    for item in reversed(nav):
        x -= f.getlength(item)
        d.text((x, top + 28), item, font=f, fill=INK)
        x -= 30
    d.line([(0, top + 76), (w, top + 76)], fill=LINE)
    p.y = top + 77


def site_footer(p: Page) -> None:
    top = p.y
    p.d.rectangle([0, top, p.w, top + 120], fill=GREEN_DARK)
    draw_logo(p.d, 40, top + 26, 40, on_dark=True)
    f = font("sans", 13)
    cols = (("Products", "Auto · Home · Renters"), ("Support", PHONE_SERVICE), ("About", "Careers · Newsroom"))
    for i, (head, body) in enumerate(cols):
        x = 440 + i * 190
        p.d.text((x, top + 28), head, font=font("bold", 13), fill=WHITE)
        p.d.text((x, top + 50), body, font=f, fill=(186, 206, 197))
    p.d.text(
        (40, top + 88),
        f"© 2026 {COMPANY}. Privacy · Terms · Accessibility",
        font=font("sans", 12),
        fill=(150, 180, 168),
    )
    p.y = top + 120


def stepper(
    p: Page, steps: list[str], current: int, x0: float | None = None, x1: float | None = None, done_label: str = "✓"
) -> None:
    """Horizontal progress steps; steps before ``current`` are done."""
    d = p.d
    x0 = p.x0 if x0 is None else x0
    x1 = p.x1 if x1 is None else x1
    n = len(steps)
    span = (x1 - x0) / n
    cy = p.y + 16
    d.line([(x0 + span / 2, cy), (x1 - span / 2, cy)], fill=LINE, width=3)
    if current > 0:
        d.line([(x0 + span / 2, cy), (x0 + span / 2 + span * min(current, n - 1), cy)], fill=GREEN, width=3)
    for i, label in enumerate(steps):
        cx = x0 + span * (i + 0.5)
        if i < current:
            d.ellipse([cx - 15, cy - 15, cx + 15, cy + 15], fill=GREEN)
            d.text((cx, cy), done_label, font=font("bold", 15), fill=WHITE, anchor="mm")
        elif i == current:
            d.ellipse([cx - 15, cy - 15, cx + 15, cy + 15], fill=WHITE, outline=GREEN, width=3)
            d.text((cx, cy), str(i + 1), font=font("bold", 14), fill=GREEN, anchor="mm")
        else:
            d.ellipse([cx - 15, cy - 15, cx + 15, cy + 15], fill=WHITE, outline=LINE, width=2)
            d.text((cx, cy), str(i + 1), font=font("sans", 14), fill=FAINT, anchor="mm")
        f = font("bold" if i == current else "sans", 13)
        for k, part in enumerate(label.split("\n")):
            d.text((cx, cy + 22 + k * 17), part, font=f, fill=INK if i <= current else FAINT, anchor="ma")
    p.y = cy + 22 + 17 * max(len(s.split("\n")) for s in steps) + 4


def email_client(
    p: Page, subject: str, sender: str, address: str, to: str, date: str, earlier: tuple[tuple[str, str, str], ...] = ()
) -> None:
    """Webmail chrome: toolbar, subject, any earlier messages collapsed, then the open one."""
    d, w = p.d, p.w
    d.rectangle([0, 0, w, 52], fill=(242, 245, 248))
    f = font("sans", 14)
    x = 24
    for item in ("← Inbox", "Archive", "Delete", "Move to", "Reply", "Forward"):
        d.text((x, 17), item, font=f, fill=MUTED)
        x += f.getlength(item) + 30
    d.text((w - 24 - f.getlength("4 of 1,286"), 17), "4 of 1,286", font=f, fill=MUTED)
    d.line([(0, 52), (w, 52)], fill=LINE)
    p.y = 74
    p.text(subject, style="bold", size=22, x=40, right=w - 140, after=4)
    chip = font("sans", 12)
    d.rounded_rectangle([40, p.y, 40 + chip.getlength("Inbox") + 16, p.y + 20], radius=4, fill=(232, 234, 237))
    d.text((48, p.y + 3), "Inbox", font=chip, fill=MUTED)
    p.y += 36
    for who, snippet, when in earlier:
        d.line([(40, p.y), (w - 40, p.y)], fill=LINE)
        d.text((40, p.y + 14), who, font=font("bold", 14), fill=INK)
        d.text((230, p.y + 14), snippet, font=font("sans", 14), fill=MUTED)
        d.text((w - 40 - f.getlength(when), p.y + 14), when, font=f, fill=MUTED)
        p.y += 46
    d.line([(40, p.y), (w - 40, p.y)], fill=LINE)
    p.y += 16
    d.ellipse([40, p.y, 84, p.y + 44], fill=GREEN)
    d.text((62, p.y + 22), "LM", font=font("bold", 15), fill=WHITE, anchor="mm")
    name_f = font("bold", 15)
    d.text((98, p.y + 2), sender, font=name_f, fill=INK)
    d.text((98 + name_f.getlength(sender) + 8, p.y + 3), f"<{address}>", font=font("sans", 14), fill=MUTED)
    d.text((98, p.y + 24), f"to {to} ▾", font=font("sans", 13), fill=MUTED)
    d.text((w - 40 - f.getlength(date), p.y + 2), date, font=f, fill=MUTED)
    p.y += 66


class EmailBody:
    """The centred HTML-newsletter column of a branded e-mail."""

    def __init__(self, p: Page, width: int = 700, band: str | None = None) -> None:
        self.p = p
        self.top = p.y
        self.left = (p.w - width) // 2
        self.right = self.left + width
        p.d.rectangle([0, self.top, p.w, p.h], fill=(240, 242, 241))
        p.d.rectangle([self.left, self.top + 24, self.right, p.h], fill=WHITE)
        p.d.rectangle([self.left, self.top + 24, self.right, self.top + 110], fill=GREEN)
        draw_logo(p.d, self.left + 36, self.top + 43, 48, on_dark=True)
        if band:
            bf = font("sans", 13)
            p.d.text((self.right - 36 - bf.getlength(band), self.top + 60), band, font=bf, fill=(190, 214, 203))
        p.x0, p.x1 = self.left + 44, self.right - 44
        p.y = self.top + 144

    def close(self, footer_lines: list[str]) -> None:
        p = self.p
        p.y += 20
        p.d.rectangle([0, p.y, p.w, p.h], fill=(240, 242, 241))
        p.y += 22
        for ln in footer_lines:
            p.text(ln, size=12, fill=FAINT, align="center", x=self.left, right=self.right, after=0, leading=1.5)


def save_png(img: Image.Image, path: Path, colours: int = 128) -> None:
    """Palette PNG: documents are flat colour, so this stays small and sharp."""
    q = img.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    q.save(path, optimize=True)


def save_pdf(pages: list[Image.Image], path: Path, title: str, issued_on: str) -> None:
    """US Letter pages, drawn at 120 dpi and stored at 108 dpi (918 x 1188 px) as JPEG in a PDF.

    Pillow can only put JPEG (or uncompressed) images in a PDF; 108 dpi keeps
    a dense two-page letter under the 200 KB budget while staying crisp."""
    stamp = time.strptime(issued_on, "%Y-%m-%d")
    scale = PDF_DPI / 120
    first, *rest = [
        pg.convert("RGB").resize((round(pg.width * scale), round(pg.height * scale)), Image.LANCZOS) for pg in pages
    ]
    first.save(
        path,
        "PDF",
        resolution=PDF_DPI,
        save_all=True,
        append_images=rest,
        title=title,
        author="Larkfield Mutual",
        creator="make_demo_media.py",
        producer="Pillow",
        creationDate=stamp,
        modDate=stamp,
        quality=75,
        subsampling=1,
        optimize=True,
        progressive=True,
    )


LETTER_W, LETTER_H = 1020, 1320  # 8.5 x 11 in at 120 dpi
PDF_DPI = 108.0


# ---------------------------------------------------------------------------
# Artifacts.  Each function draws one artifact and returns its page(s).
# ---------------------------------------------------------------------------


def art_quote_results_page() -> list[Image.Image]:
    p = Page(1000, 2400, margin=50)
    browser(p, "https://www.larkfieldmutual.com/quote/auto/results?ref=Q-77120", "Your quote | Larkfield Mutual")
    site_header(p)
    p.gap(24)
    stepper(p, ["About you", "Your car", "Drivers", "Your quote", "Buy"], current=3, x0=150, x1=850)
    p.gap(18)
    p.text("Good news, Tom — here's your quote", style="bold", size=30, after=2)
    p.text(
        "2021 Mazda CX-5 · 2 drivers · Columbus, OH 43201 · Quote ref Q-77120 · Starts June 1, 2026",
        size=15,
        fill=MUTED,
        after=24,
    )
    plans = (
        ("Essential", "$78.40", ["State minimum liability", "Collision, $1,000 deductible", "—", "—"], False),
        (
            "Standard",
            "$94.20",
            [
                "Liability 100/300/100",
                "Collision, $500 deductible",
                "Comprehensive, $500 deductible",
                "Roadside assistance",
            ],
            True,
        ),
        (
            "Plus",
            "$121.90",
            [
                "Liability 250/500/250",
                "Collision, $250 deductible",
                "Comprehensive, $250 deductible",
                "Rental car + roadside",
            ],
            False,
        ),
    )
    gap = 22
    cw = (p.x1 - p.x0 - 2 * gap) / 3
    top = p.y
    for i, (name, price, items, best) in enumerate(plans):
        x = p.x0 + i * (cw + gap)
        p.d.rounded_rectangle(
            [x, top, x + cw, top + 360], radius=12, fill=WHITE, outline=GOLD if best else LINE, width=3 if best else 1
        )
        if best:
            p.d.rounded_rectangle([x + cw / 2 - 70, top - 14, x + cw / 2 + 70, top + 14], radius=14, fill=GOLD)
            p.d.text((x + cw / 2, top), "★ MOST POPULAR", font=font("bold", 12), fill=WHITE, anchor="mm")
        p.d.text((x + 24, top + 30), name, font=font("bold", 20), fill=INK)
        p.d.text((x + 24, top + 64), price, font=font("bold", 36), fill=GREEN)
        p.d.text((x + 28 + font("bold", 36).getlength(price), top + 81), "/month", font=font("sans", 14), fill=MUTED)
        y = top + 128
        for item in items:
            mark, colour = ("✓", GREEN) if item != "—" else ("—", FAINT)
            p.d.text((x + 24, y), mark, font=font("bold", 15), fill=colour)
            lines = wrap(item if item != "—" else "Not included", font("sans", 14), cw - 70)
            for k, ln in enumerate(lines):
                p.d.text((x + 48, y + k * 19), ln, font=font("sans", 14), fill=INK if item != "—" else FAINT)
            y += 19 * len(lines) + 18
        label = "Buy now" if best else f"Choose {name}"
        bw = font("bold", 16).getlength(label) + 48
        button(
            p.d,
            x + (cw - bw) / 2,
            top + 294,
            label,
            fill=GREEN if best else WHITE,
            fg=WHITE if best else GREEN,
            outline=None if best else GREEN,
        )
    p.y = top + 390
    p.text("What's included in Standard", style="bold", size=18, after=10)
    p.table(
        [
            ["Coverage", "Limit", "Deductible"],
            ["Bodily injury liability", "$100,000 / $300,000", "—"],
            ["Property damage liability", "$100,000", "—"],
            ["Collision", "Actual cash value", "$500"],
            ["Comprehensive", "Actual cash value", "$500"],
            ["Uninsured motorist", "$100,000 / $300,000", "—"],
            ["Roadside assistance", "Included, 24/7", "—"],
        ],
        widths=[2.2, 1.6, 1],
        aligns="llr",
        size=14,
    )
    p.d.rounded_rectangle([p.x0, p.y, p.x1, p.y + 64], radius=10, fill=GREEN_TINT)
    p.d.text((p.x0 + 20, p.y + 12), "Save 5% when you add your home insurance", font=font("bold", 15), fill=GREEN)
    p.d.text(
        (p.x0 + 20, p.y + 36), "Bundle in the next step. It takes about 3 minutes.", font=font("sans", 14), fill=INK
    )
    p.y += 90
    p.text(
        "Monthly price shown is premium only. A one-time policy fee of $25.00 and an installment fee of "
        "$3.00 per month apply to monthly payment plans; the first installment may include a pro-rata "
        "adjustment. Quote valid for 30 days and subject to verification of driving record, claims "
        "history (CLUE) and credit-based insurance score where permitted. Larkfield Mutual Insurance "
        "Company, Columbus, OH.",
        size=11,
        fill=FAINT,
        leading=1.5,
        after=26,
    )
    site_footer(p)
    return [p.finish(0)]


def art_quote_email_jargon() -> list[Image.Image]:
    p = Page(1000, 2400)
    email_client(
        p,
        "Your updated quote Q-80544 has been saved",
        "Larkfield Mutual",
        "quotes@mail.larkfieldmutual.com",
        "Marcus Bell",
        "Wed, May 6, 2026, 9:47 PM",
    )
    body = EmailBody(p, band="Quote Q-80544")
    p.text("Hi Marcus,", size=17, after=10)
    p.rich(
        "Your quote has been **re-rated** following a change to the drivers listed on the policy. "
        "Your updated premium is shown below.",
        size=16,
    )
    top = p.y
    p.d.rounded_rectangle([p.x0, top, p.x1, top + 110], radius=10, fill=PALE, outline=LINE)
    mid = (p.x0 + p.x1) / 2
    p.d.text((p.x0 + 30, top + 20), "Previous quote", font=font("sans", 14), fill=MUTED)
    p.d.text((p.x0 + 30, top + 44), "$92.00/mo", font=font("bold", 30), fill=FAINT)
    p.d.text((mid - 10, top + 52), "→", font=font("bold", 28), fill=MUTED)
    p.d.text((mid + 40, top + 20), "Updated quote", font=font("sans", 14), fill=MUTED)
    p.d.text((mid + 40, top + 44), "$148.00/mo", font=font("bold", 30), fill=GREEN)
    p.y = top + 134
    p.text("Why did my quote change?", style="bold", size=18, after=8)
    p.text(
        "The addition of a youthful operator (age 16–24) results in reassignment of the policy to "
        "rating tier C4 and application of the youthful operator surcharge factor to the base rate, "
        "together with re-application of the garaging territory relativity and the driver-class "
        "differential. Good Student and Driver Training credits may apply subject to eligibility "
        "verification (see Rule 23B of the Ohio Personal Auto Manual).",
        size=15,
        leading=1.55,
        after=16,
    )
    p.table(
        [
            ["Rating factor", "Before", "After"],
            ["Rating tier", "B2", "C4"],
            ["Youthful operator surcharge", "1.000", "1.580"],
            ["Territory relativity (Terr. 114)", "0.970", "0.970"],
            ["Driver-class differential", "1.000", "1.120"],
            ["Multi-car credit", "-5%", "-5%"],
        ],
        widths=[2.4, 1, 1],
        aligns="lrr",
        size=14,
    )
    button(p.d, p.x0, p.y, "Resume my quote", size=16)
    p.y += 70
    p.text(
        "Quote valid for 30 days from the date of issue. Premium is subject to change upon "
        "verification of underwriting information. This e-mail does not bind coverage.",
        size=12,
        fill=FAINT,
        leading=1.5,
    )
    body.close(
        [
            "Larkfield Mutual Insurance Company · 400 Meridian Way, Columbus, OH 43215",
            "You received this e-mail because you requested a quote. Unsubscribe · Privacy",
        ]
    )
    return [p.finish(30)]


def art_switch_flyer() -> list[Image.Image]:
    p = Page(1000, 1500, bg=WHITE, margin=60)
    d = p.d
    d.rectangle([0, 0, p.w, 560], fill=GREEN)
    # Sunrise over the field, in the brand's gold.
    d.pieslice([560, 250, 1160, 850], 180, 360, fill=(35, 97, 78))
    d.pieslice([640, 330, 1080, 770], 180, 360, fill=(46, 112, 90))
    for i in range(5):
        y = 470 + i * 18
        d.line([(0, y), (p.w, y - 40)], fill=(30, 88, 70), width=6)
    draw_logo(d, 60, 50, 60, on_dark=True)
    d.text((60, 170), "Switch to Larkfield", font=font("bold", 54), fill=WHITE)
    d.text((60, 240), "and save up to 25%*", font=font("bold", 54), fill=GOLD)
    p.y = 330
    p.text(
        "Car insurance from a mutual that answers to its members, not to shareholders.",
        size=22,
        fill=WHITE,
        x=60,
        right=620,
        after=20,
    )
    d.ellipse([770, 70, 940, 240], fill=GOLD)
    d.text((855, 130), "Quote in", font=font("bold", 20), fill=GREEN_DARK, anchor="mm")
    d.text((855, 168), "5 minutes", font=font("bold", 26), fill=GREEN_DARK, anchor="mm")
    p.y = 600
    features = (
        ("24/7", "Real people, day and night", "Claims answered by our own team in Ohio, not a call centre abroad."),
        (
            "$",
            "Member dividends",
            "When we have a good year, members share in it. We paid dividends in 9 of the last 10 years.",
        ),
        ("+", "Bundle and save", "Add your home or renters policy and save up to 12% more on both."),
    )
    cw = (p.x1 - p.x0 - 40) / 3
    for i, (icon, head, body) in enumerate(features):
        x = p.x0 + i * (cw + 20)
        d.ellipse([x, p.y, x + 64, p.y + 64], fill=GREEN_TINT)
        d.text((x + 32, p.y + 32), icon, font=font("bold", 22 if len(icon) > 2 else 28), fill=GREEN, anchor="mm")
        d.text((x, p.y + 84), head, font=font("bold", 18), fill=INK)
        for k, ln in enumerate(wrap(body, font("sans", 15), cw - 10)):
            d.text((x, p.y + 116 + k * 22), ln, font=font("sans", 15), fill=MUTED)
    p.y += 220
    d.rounded_rectangle([p.x0, p.y, p.x1, p.y + 150], radius=16, fill=GOLD_TINT, outline=GOLD, width=2)
    d.text((p.x0 + 34, p.y + 28), "Get your quote today", font=font("bold", 26), fill=GREEN_DARK)
    d.text((p.x0 + 34, p.y + 72), f"{WEBSITE}/switch   or call {PHONE_SERVICE}", font=font("sans", 20), fill=INK)
    d.text((p.x0 + 34, p.y + 106), "Mention code SPRING26", font=font("bold", 16), fill=MUTED)
    linear_barcode(d, p.x1 - 190, p.y + 30, "SPRING26-flyer", 160, 70)
    d.text((p.x1 - 110, p.y + 118), "SPRING26", font=font("mono", 13), fill=INK, anchor="mm")
    p.y += 190
    p.text(
        "*Savings of up to 25% based on the average savings reported by new auto customers who switched "
        "to Larkfield Mutual between 01/01/2025 and 12/31/2025 and provided prior premium information. "
        "Your savings may vary. Discounts, coverages and payment plans are not available in all states "
        "and all applicants may not qualify. Dividends are not guaranteed. Quote time based on online "
        "quotes completed without interruption. Larkfield Mutual Insurance Company, 400 Meridian Way, "
        "Columbus, OH 43215.",
        size=10,
        fill=FAINT,
        leading=1.5,
    )
    return [p.finish(40)]


def art_checkout_expired() -> list[Image.Image]:
    p = Page(1000, 2000, margin=50)
    d = p.d
    browser(p, "https://secure.larkfieldmutual.com/buy/home/payment", "Checkout – step 5 of 6")
    site_header(p, nav=("Help",))
    p.gap(24)
    stepper(p, ["Property", "Coverage", "Mortgage", "Review", "Payment", "Done"], current=4, x0=90, x1=910)
    p.gap(20)
    left_right = 620
    top = p.y
    d.rounded_rectangle([p.x0, top, left_right, top + 150], radius=8, fill=RED_TINT, outline=RED, width=2)
    d.text((p.x0 + 22, top + 20), "⚠  Your session has expired", font=font("bold", 20), fill=RED)
    p.y = top + 58
    p.text(
        "For your security, sessions end after 15 minutes of inactivity. Information entered on this "
        "page has not been saved. Please start again.",
        size=15,
        x=p.x0 + 22,
        right=left_right - 22,
        after=0,
    )
    p.y = top + 170
    bw = button(d, p.x0, p.y, "Start again", size=16)
    button(d, p.x0 + bw + 14, p.y, "Back to home", fill=WHITE, fg=GREEN, outline=GREEN, size=16)
    p.y += 76
    # The payment form, greyed out behind the error.
    grey = (200, 204, 207)
    d.text((p.x0, p.y), "Payment details", font=font("bold", 20), fill=FAINT)
    p.y += 40
    for label, width in (
        ("Name on card", 1.0),
        ("Card number", 1.0),
        ("Expiry (MM/YY)", 0.48),
        ("Billing ZIP code", 1.0),
    ):
        d.text((p.x0, p.y), label, font=font("sans", 14), fill=FAINT)
        d.rounded_rectangle(
            [p.x0, p.y + 22, p.x0 + (left_right - p.x0) * width, p.y + 62], radius=6, fill=PALE, outline=grey
        )
        if label.startswith("Expiry"):
            x2 = p.x0 + (left_right - p.x0) * 0.52
            d.text((x2, p.y), "Security code", font=font("sans", 14), fill=FAINT)
            d.rounded_rectangle([x2, p.y + 22, left_right, p.y + 62], radius=6, fill=PALE, outline=grey)
        p.y += 80
    checkbox(d, p.x0, p.y, "Pay monthly by automatic card payment", ticked=True)
    p.y += 40
    d.rounded_rectangle([p.x0, p.y, left_right, p.y + 50], radius=8, fill=grey)
    d.text(
        ((p.x0 + left_right) / 2, p.y + 25), "Pay $87.33 and buy policy", font=font("bold", 17), fill=WHITE, anchor="mm"
    )
    p.y += 74
    d.text(
        (p.x0, p.y),
        "Error reference: SESS-440-7F2A  ·  Tue May 19 2026 19:31:07 EDT",
        font=font("mono", 12),
        fill=FAINT,
    )
    bottom = p.y + 30
    # Order summary on the right.
    x0, x1 = 650, p.x1
    d.rounded_rectangle([x0, top, x1, top + 400], radius=10, fill=PALE, outline=LINE)
    p.y = top + 20
    p.text("Your home policy", style="bold", size=18, x=x0 + 20, right=x1 - 20, after=8)
    for k, v in (
        ("Quote ref", "Q-81207"),
        ("Property", "386 Elm Street, Dublin, OH 43017"),
        ("Dwelling", "$340,000"),
        ("Deductible", "$1,000"),
        ("Starts", "May 22, 2026"),
    ):
        p.text(k, size=12, fill=MUTED, x=x0 + 20, right=x1 - 20, after=0)
        p.text(v, size=15, x=x0 + 20, right=x1 - 20, after=8)
    p.rule(x0=x0 + 20, x1=x1 - 20, after=10)
    d.text((x0 + 20, p.y), "Monthly", font=font("sans", 15), fill=INK)
    d.text((x1 - 20, p.y), "$87.33", font=font("bold", 20), fill=GREEN, anchor="ra")
    p.y += 30
    d.text((x0 + 20, p.y), "or $1,048.00 a year", font=font("sans", 13), fill=MUTED)
    p.y = max(bottom, top + 420)
    p.gap(10)
    site_footer(p)
    return [p.finish(0)]


def art_purchase_confirmation_email() -> list[Image.Image]:
    p = Page(1000, 2400)
    email_client(
        p,
        "You're covered! Welcome to Larkfield Mutual (Policy LM-50977)",
        "Larkfield Mutual",
        "no-reply@mail.larkfieldmutual.com",
        "Dana Whitfield",
        "Tue, May 19, 2026, 8:26 PM",
    )
    body = EmailBody(p, band="Policy LM-50977")
    p.text("You're covered, Dana!", style="bold", size=26, after=10)
    p.rich(
        "Thank you for choosing Larkfield Mutual. Your homeowners policy is active from **12:01 AM on May 22, 2026**.",
        size=16,
    )
    p.table(
        [
            ["Policy summary", ""],
            ["Policy number", "LM-50977"],
            ["Property", "386 Elm Street, Dublin, OH 43017"],
            ["Cover starts", "May 22, 2026"],
            ["Payment plan", "Monthly, $87.33 (first payment taken today)"],
            ["Mortgagee", "First Buckeye Bank, N.A., ISAOA/ATIMA"],
        ],
        widths=[1, 1.8],
        size=14,
    )
    p.text("What happens next", style="bold", size=18, after=8)
    p.bullets(
        [
            "Your policy documents, including your declarations page, will be mailed to you "
            "within **5–7 business days**.",
            "Your online account will be available **48 hours** after purchase. You will need your "
            "policy number and the activation code in your welcome pack.",
            "Need proof of insurance for your lender sooner? Ask your lender to send a request to "
            "mortgagee@larkfieldmutual.com. Requests are processed in 3–5 business days.",
        ],
        size=15,
        numbered=True,
    )
    button(p.d, p.x0, p.y, "Visit the Help Center", size=16)
    p.y += 70
    p.text("This is an automated message. Please do not reply to this e-mail.", size=12, fill=FAINT)
    body.close(
        [
            "Larkfield Mutual Insurance Company · 400 Meridian Way, Columbus, OH 43215",
            "Privacy · Terms · Manage e-mail preferences",
        ]
    )
    return [p.finish(30)]


def art_policy_pack_envelope() -> list[Image.Image]:
    manila = (231, 213, 168)
    p = Page(1100, 760, bg=(120, 124, 122), margin=0)
    d = p.d
    d.rectangle([30, 30, 1076, 736], fill=(98, 100, 98))  # shadow
    d.rectangle([20, 20, 1066, 726], fill=manila)
    d.rectangle([20, 20, 1066, 726], outline=(206, 186, 140), width=2)
    draw_logo(d, 60, 60, 46)
    f = font("sans", 13)
    for i, ln in enumerate((COMPANY, COMPANY_STREET, COMPANY_CITY, "RETURN SERVICE REQUESTED")):
        d.text((60, 122 + i * 18), ln, font=f if i < 3 else font("bold", 12), fill=INK)
    # Postage indicia.
    box = (880, 50, 1030, 160)
    d.rectangle(box, outline=INK, width=2)
    for i, ln in enumerate(("PRSRT STD", "U.S. POSTAGE", "PAID", "COLUMBUS OH", "PERMIT NO. 1187")):
        d.text(((box[0] + box[2]) / 2, box[1] + 16 + i * 19), ln, font=font("bold", 12), fill=INK, anchor="mm")
    # Stamped warning.
    d.rounded_rectangle([300, 250, 800, 330], radius=6, outline=RED, width=4)
    d.text((550, 274), "IMPORTANT POLICY DOCUMENTS", font=font("bold", 26), fill=RED, anchor="mm")
    d.text((550, 308), "ENCLOSED — PLEASE DO NOT DISCARD", font=font("bold", 17), fill=RED, anchor="mm")
    # Address window.
    win = (330, 400, 810, 560)
    d.rounded_rectangle(win, radius=10, fill=(250, 250, 247), outline=(205, 190, 150), width=2)
    imb_barcode(d, 362, 420, "LM-50977-pack")
    mono = font("mono", 18)
    for i, ln in enumerate(("DANA WHITFIELD", "386 ELM ST", "DUBLIN OH 43017-2214")):
        d.text((362, 456 + i * 26), ln, font=mono, fill=INK)
    small = font("sans", 12)
    d.text(
        (60, 660),
        "Mailed 05/27/2026  ·  Batch 0527-PS-03  ·  Contents: Declarations, HO-3 policy booklet "
        "(64 pp.), Privacy notice, ID wallet card",
        font=small,
        fill=(110, 96, 60),
    )
    d.text((1030, 690), "LM-ENV-9x12 (11/25)", font=font("sans", 11), fill=(130, 114, 74), anchor="ra")
    return [p.im]


def letter_page() -> Page:
    return Page(LETTER_W, LETTER_H, margin=80)


def art_welcome_letter() -> list[Image.Image]:
    p = letter_page()
    letterhead(p)
    p.text("June 2, 2026", size=16, after=22)
    address_block(p, ["Priya Raman", "1482 Sycamore Lane", "Westerville, OH 43081"])
    p.text("Member number: M-330918", size=14, fill=MUTED, after=22)
    p.text("Welcome to Larkfield Mutual, Priya", style="serif-bold", size=28, fill=GREEN, after=16)
    p.rich(
        "Thank you for trusting us with your home and your car. As a mutual, we are owned by our "
        "members rather than shareholders, so from today that includes you.",
        size=16,
        serif=True,
    )
    p.rich(
        "Your cover started at **12:01 AM on June 1, 2026**. Everything you need is in this pack:",
        size=16,
        serif=True,
        after=6,
    )
    p.bullets(
        [
            "Your **auto ID cards**, one for each car. Keep one in each glovebox.",
            "Your **declarations pages**, which list exactly what you are covered for.",
            "Your **policy booklets**, which explain the full terms.",
        ],
        size=16,
        serif=True,
    )
    p.rich(
        "**We'll call you in your first two weeks.** Someone from our welcome team will check that "
        "everything is right and answer any questions. If you'd rather not be called, just tell us.",
        size=16,
        serif=True,
        after=18,
    )
    top = p.y
    p.d.rounded_rectangle([p.x0, top, p.x1, top + 132], radius=10, fill=GREEN_TINT)
    p.d.text((p.x0 + 24, top + 18), "Three numbers worth saving", font=font("bold", 16), fill=GREEN)
    cw = (p.x1 - p.x0 - 48) / 3
    for i, (head, num, note) in enumerate(
        (
            ("Claims, 24/7", PHONE_CLAIMS, "Report a claim any time"),
            ("Roadside assistance", PHONE_ROADSIDE, "Free, 24/7"),
            ("Member services", PHONE_SERVICE, "Mon–Fri 8am–8pm, Sat 9am–1pm"),
        )
    ):
        x = p.x0 + 24 + i * cw
        p.d.text((x, top + 52), head, font=font("sans", 13), fill=MUTED)
        p.d.text((x, top + 72), num, font=font("bold", 19), fill=INK)
        p.d.text((x, top + 100), note, font=font("sans", 12), fill=MUTED)
    p.y = top + 160
    p.text("Warm regards,", style="serif", size=16, after=6)
    p.text("Eleanor Vance", style="serif-italic", size=30, fill=(30, 50, 110), after=2)
    p.text("Eleanor Vance, Head of Member Experience", style="serif", size=15, fill=MUTED)
    letter_footer(p, "LM-WEL-01 (01/26)", "Page 1 of 2")
    page1 = p.im

    p = letter_page()
    draw_logo(p.d, p.x0, p.y, 40)
    p.d.text((p.x1, p.y + 10), "Priya Raman · M-330918", font=font("sans", 13), fill=MUTED, anchor="ra")
    p.y += 70
    p.text("Your cover at a glance", style="serif-bold", size=26, fill=GREEN, after=14)
    p.table(
        [
            ["Policy", "Number", "Cover period", "Premium"],
            ["Homeowners (HO-3)", "LM-51342-H", "06/01/2026 – 06/01/2027", "$1,212.00 / year"],
            ["Auto, 2 vehicles", "LM-51342-A", "06/01/2026 – 12/01/2026", "$684.00 / 6 months"],
            ["Multi-policy discount", "", "", "–$143.00 (applied)"],
        ],
        widths=[1.5, 1.1, 1.7, 1.4],
        aligns="lllr",
        size=14,
    )
    p.text("Key coverages", style="bold", size=17, after=8)
    p.table(
        [
            ["Home", "Limit", "Auto", "Limit"],
            ["Dwelling", "$385,000", "Liability", "100/300/100"],
            ["Personal property", "$192,500", "Collision deductible", "$500"],
            ["Personal liability", "$300,000", "Comprehensive deductible", "$250"],
            ["All-peril deductible", "$1,000", "Roadside assistance", "Included"],
        ],
        widths=[1.4, 1, 1.6, 1],
        aligns="lrlr",
        size=14,
    )
    top = p.y
    p.d.rectangle([p.x0, top, p.x0 + 5, top + 126], fill=GOLD)
    p.y = top + 4
    p.text("Please check your details", style="bold", size=16, x=p.x0 + 22, after=4)
    p.text(
        "Please review your declarations pages carefully. If any information shown is incorrect or "
        "incomplete, you must notify us in writing within 14 days of the date of this letter. Failure "
        "to do so may affect the outcome of a future claim.",
        size=14,
        x=p.x0 + 22,
        leading=1.5,
    )
    p.y = top + 150
    p.text("Members get more", style="bold", size=17, after=8)
    p.bullets(
        [
            "**Member dividends** in good years, paid as a credit at renewal.",
            "**The Larkfield app**: ID cards, bills and claims in your pocket. See the e-mail we sent you.",
            "**Safe Home kit**: a free water-leak sensor for members with a home policy. Ask us for one.",
        ],
        size=15,
    )
    letter_footer(p, "LM-WEL-01 (01/26)", "Page 2 of 2")
    return [page1, p.im]


def id_card_face(d: ImageDraw.ImageDraw, x: int, y: int, back: bool) -> None:
    cw, ch = 420, 264
    d.rounded_rectangle([x, y, x + cw, y + ch], radius=14, fill=WHITE, outline=(180, 186, 184), width=2)
    if not back:
        d.rounded_rectangle([x, y, x + cw, y + 56], radius=14, fill=GREEN)
        d.rectangle([x, y + 40, x + cw, y + 56], fill=GREEN)
        draw_logo(d, x + 14, y + 10, 36, on_dark=True, tagline=False)
        d.text((x + cw - 14, y + 20), "OHIO", font=font("bold", 14), fill=GOLD, anchor="ra")
        d.text((x + 14, y + 64), "AUTOMOBILE INSURANCE IDENTIFICATION CARD", font=font("bold", 12), fill=GREEN)
        rows = (
            ("NAIC", "31847"),
            ("POLICY NUMBER", "LM-48213"),
            ("EFFECTIVE", "06/01/2026"),
            ("EXPIRES", "12/01/2026"),
            ("VEHICLE", "2026 TOYOTA RAV4 XLE"),
            ("VIN", "2T3P1RFV8TW148213"),
        )
        for i, (k, v) in enumerate(rows):
            col, row = i % 2, i // 2
            xx = x + 14 + col * 200
            yy = y + 88 + row * 38
            d.text((xx, yy), k, font=font("sans", 10), fill=MUTED)
            d.text((xx, yy + 13), v, font=font("mono-bold" if k in ("POLICY NUMBER", "VIN") else "bold", 14), fill=INK)
        d.text((x + 14, y + 206), "INSURED", font=font("sans", 10), fill=MUTED)
        d.text((x + 14, y + 219), "JANE DOE", font=font("bold", 14), fill=INK)
        d.text((x + 14, y + 238), "77 BIRCH CT APT 4, COLUMBUS OH 43206", font=font("sans", 12), fill=INK)
    else:
        d.text((x + 16, y + 16), "IN CASE OF AN ACCIDENT", font=font("bold", 14), fill=GREEN)
        steps = (
            "1. Make sure everyone is safe. Call 911 if anyone is hurt.",
            "2. Exchange names, insurers and policy numbers.",
            "3. Take photos. Do not admit fault.",
            f"4. Report the claim: {PHONE_CLAIMS} (24/7)",
        )
        for i, s in enumerate(steps):
            d.text((x + 16, y + 44 + i * 22), s, font=font("sans", 12), fill=INK)
        d.text((x + 16, y + 140), f"Roadside assistance: {PHONE_ROADSIDE}", font=font("bold", 13), fill=INK)
        for i, ln in enumerate(
            wrap(
                "This card must be carried in the insured vehicle and shown on request "
                "as proof of financial responsibility (Ohio R.C. 4509.101). Not valid "
                "unless the policy is in force on the date of an accident.",
                font("sans", 10),
                cw - 32,
            )
        ):
            d.text((x + 16, y + 172 + i * 14), ln, font=font("sans", 10), fill=MUTED)
        d.text((x + cw - 16, y + ch - 20), "LM-ID-OH (09/25)", font=font("sans", 9), fill=FAINT, anchor="ra")


def art_id_card() -> list[Image.Image]:
    p = letter_page()
    letterhead(p, size=50)
    p.d.text((p.x1, p.y - 18), "Date printed: 06/03/2026", font=font("bold", 14), fill=INK, anchor="ra")
    p.text("Your Auto Insurance Identification Cards", style="serif-bold", size=26, fill=GREEN, after=10)
    p.rich("Jane Doe · Policy **LM-48213** · Cover from **06/01/2026**", size=15, after=6)
    p.text(
        "Keep a card in the vehicle at all times. Ohio law requires you to show proof of insurance "
        "when asked by a police officer, at the BMV, and after an accident. Cut along the dotted lines.",
        size=14,
        fill=MUTED,
        leading=1.5,
        after=48,
    )
    gx = (LETTER_W - 2 * 420 - 40) // 2
    for row in range(2):
        y = p.y + row * 310
        dashed_box(p.d, (gx - 14, y - 14, gx + 2 * 420 + 40 + 14, y + 264 + 14), fill=FAINT)
        id_card_face(p.d, gx, y, back=False)
        id_card_face(p.d, gx + 460, y, back=True)
        p.d.text(
            (gx - 14, y - 34),
            "✂  Copy 1 — front and back" if row == 0 else "✂  Copy 2 — front and back",
            font=font("sans", 12),
            fill=FAINT,
        )
    p.y += 2 * 310 + 10
    panel(
        p,
        lambda q: q.text(
            "These cards were mailed to you on 06/03/2026 by standard mail. If you need proof of insurance "
            "before they arrive, print a temporary card from your online account (available 48 hours after "
            "purchase) or call us.",
            size=13,
            leading=1.5,
            after=0,
        ),
        fill=PALE,
        outline=LINE,
    )
    letter_footer(p, "LM-ID-OH (09/25)", "Page 1 of 1")
    return [p.im]


def art_mailer_label() -> list[Image.Image]:
    kraft = (196, 160, 112)
    p = Page(1000, 660, bg=kraft, margin=0)
    d = p.d
    for i in range(0, 1000, 37):  # paper fibre streaks, fixed positions
        d.line([(i, 0), (i + 80, 660)], fill=(189, 153, 106), width=1)
    d.rectangle([98, 58, 908, 618], fill=(160, 128, 88))  # shadow
    d.rectangle([90, 50, 900, 610], fill=WHITE)
    draw_logo(d, 116, 74, 34, tagline=False)
    for i, ln in enumerate((COMPANY.upper(), "400 MERIDIAN WAY", "COLUMBUS OH 43215")):
        d.text((116, 118 + i * 16), ln, font=font("sans", 12), fill=INK)
    d.rectangle([640, 70, 880, 168], outline=INK, width=3)
    d.text((760, 96), "USPS MARKETING MAIL", font=font("bold", 15), fill=INK, anchor="mm")
    d.text((760, 122), "U.S. POSTAGE PAID", font=font("sans", 13), fill=INK, anchor="mm")
    d.text((760, 144), "PERMIT 1187  ·  COLUMBUS OH", font=font("sans", 12), fill=INK, anchor="mm")
    d.rectangle([90, 186, 900, 192], fill=INK)
    d.text((116, 210), "SHIP TO:", font=font("bold", 15), fill=INK)
    imb_barcode(d, 240, 212, "LM-48213-idcards")
    for i, ln in enumerate(("JANE DOE", "77 BIRCH CT APT 4", "COLUMBUS OH 43206-1873")):
        d.text((240, 250 + i * 34), ln, font=font("bold", 26), fill=INK)
    d.rectangle([90, 368, 900, 374], fill=INK)
    d.text((495, 390), "NO TRACKING — MARKETING MAIL", font=font("bold", 14), fill=INK, anchor="ma")
    linear_barcode(d, 200, 420, "LM-MAIL-0603-48213-ID", 600, 80)
    d.text((495, 510), "LM 0603 48213 ID 02", font=font("mono", 16), fill=INK, anchor="ma")
    d.rectangle([90, 540, 900, 542], fill=INK)
    d.text(
        (116, 556),
        "Contents: ID CARDS (2)   ·   Ship date: 06/03/2026   ·   Est. delivery: 5–9 business days",
        font=font("sans", 14),
        fill=INK,
    )
    d.text((116, 582), "Wt 1 oz  ·  Pc 1 of 1  ·  Ref LM-48213", font=font("sans", 12), fill=MUTED)
    return [p.im]


def art_app_email() -> list[Image.Image]:
    p = Page(1000, 2600)
    email_client(
        p,
        "Get the Larkfield app — set up in 6 easy steps",
        "Larkfield Mutual",
        "hello@mail.larkfieldmutual.com",
        "Priya Raman",
        "Tue, Jun 2, 2026, 7:03 AM",
    )
    body = EmailBody(p, band="Member M-330918")
    p.text("Your policies, in your pocket", style="bold", size=26, after=8)
    p.text(
        "View ID cards, pay bills and start a claim from your phone. Setting up takes just a few minutes:",
        size=16,
        leading=1.5,
        after=14,
    )
    p.bullets(
        [
            "Download **Larkfield Mutual** from the App Store or Google Play.",
            "Tap **Register** and enter your **10-digit member number** (this is not your policy number).",
            "Enter the **8-character activation code** printed on page 3 of your welcome letter.",
            "Create a password: at least 12 characters, with an uppercase letter, a number and a symbol. "
            "It cannot match any password used in the last 24 months.",
            "Verify your e-mail address. The link expires after **15 minutes**.",
            "Set up two-step verification with an authenticator app (text messages are not supported).",
        ],
        size=15,
        numbered=True,
    )
    top = p.y
    p.d.rounded_rectangle([p.x0, top, p.x0 + 170, top + 52], radius=10, fill=INK)
    p.d.text((p.x0 + 85, top + 26), "App Store", font=font("bold", 17), fill=WHITE, anchor="mm")
    p.d.rounded_rectangle([p.x0 + 186, top + 0, p.x0 + 376, top + 52], radius=10, fill=INK)
    p.d.text((p.x0 + 281, top + 26), "▶ Google Play", font=font("bold", 17), fill=WHITE, anchor="mm")
    p.y = top + 80
    p.text(
        "Having trouble registering? Call our digital support team on 1-800-555-0168, Monday to Friday, 9am to 5pm ET.",
        size=14,
        fill=MUTED,
        leading=1.5,
    )
    body.close(
        [
            "Larkfield Mutual Insurance Company · 400 Meridian Way, Columbus, OH 43215",
            "App Store is a service mark of Apple Inc. Google Play is a trademark of Google LLC.",
            "Unsubscribe · Privacy",
        ]
    )
    return [p.finish(30)]


def art_first_bill() -> list[Image.Image]:
    p = Page(1000, 1500, margin=60)
    d = p.d
    letterhead(p, size=52)
    top = p.y
    address_block(p, ["Tom Okafor", "2215 Neil Avenue", "Columbus, OH 43201"], after=0)
    bx0 = 560
    d.rounded_rectangle([bx0, top - 6, p.x1, top + 196], radius=10, outline=GREEN, width=2)
    d.rectangle([bx0 + 1, top - 5, p.x1 - 1, top + 36], fill=GREEN)
    d.text((bx0 + 18, top + 4), "BILLING STATEMENT", font=font("bold", 16), fill=WHITE)
    for i, (k, v) in enumerate(
        (
            ("Statement date", "06/15/2026"),
            ("Policy number", "LM-49860"),
            ("Account number", "4415-2290"),
            ("Payment due", "07/01/2026"),
        )
    ):
        d.text((bx0 + 18, top + 48 + i * 24), k, font=font("sans", 14), fill=MUTED)
        d.text((p.x1 - 18, top + 48 + i * 24), v, font=font("bold", 14), fill=INK, anchor="ra")
    d.line([(bx0 + 18, top + 148), (p.x1 - 18, top + 148)], fill=LINE)
    d.text((bx0 + 18, top + 160), "Amount due", font=font("bold", 16), fill=INK)
    d.text((p.x1 - 18, top + 154), "$131.55", font=font("bold", 28), fill=GREEN, anchor="ra")
    p.y = top + 230
    p.text("Summary of charges — Auto policy LM-49860 (Standard plan)", style="bold", size=17, after=10)
    p.table(
        [
            ["Description", "Period", "Amount"],
            ["Premium, installment 1 of 12", "06/04/2026 – 07/03/2026", "$94.20"],
            ["Pro-rata adjustment (policy effective 06/01/2026)", "06/01/2026 – 06/03/2026", "$9.35"],
            ["Policy fee (one-time, non-refundable)", "", "$25.00"],
            ["Installment fee", "", "$3.00"],
            ["Total amount due by 07/01/2026", "", "$131.55"],
        ],
        widths=[2.6, 1.7, 0.9],
        aligns="llr",
        size=14,
        bold_rows=(-1,),
    )
    p.text("Messages", style="bold", size=16, after=6)
    p.text(
        "Thank you for choosing Larkfield Mutual. Future monthly installments will be $97.20, including "
        "the $3.00 installment fee. Enroll in EFT and the installment fee is waived — see the enclosed "
        "form LM-EFT-2. Late payments are subject to a $10.00 late fee.",
        size=14,
        leading=1.5,
        after=14,
    )
    p.text("Ways to pay", style="bold", size=16, after=6)
    p.bullets(
        [
            f"**Online:** {WEBSITE}/pay (no fee)",
            f"**Phone:** {PHONE_SERVICE} (a $4.95 convenience fee applies to card payments by phone)",
            "**Mail:** return the coupon below with a check payable to Larkfield Mutual",
        ],
        size=14,
        after=16,
    )
    y = p.y
    dashed(d, (20, y), (p.w - 20, y), fill=MUTED, width=2, dash=10, gap=6)
    d.rectangle([34, y - 14, 66, y + 14], fill=WHITE)
    d.text((38, y - 13), "✂", font=font("sans", 20), fill=MUTED)
    d.text(
        (p.w / 2, y + 8),
        "Detach and return this portion with your payment",
        font=font("sans", 12),
        fill=MUTED,
        anchor="ma",
    )
    p.y = y + 40
    draw_logo(d, p.x0, p.y, 38, tagline=False)
    d.text((p.x0, p.y + 56), "Make check payable to Larkfield Mutual", font=font("sans", 13), fill=MUTED)
    for i, ln in enumerate(("LARKFIELD MUTUAL", "PO BOX 18220", "COLUMBUS OH 43218-0220")):
        d.text((p.x0, p.y + 90 + i * 22), ln, font=font("mono", 16), fill=INK)
    rx = 560
    for i, (k, v) in enumerate(
        (
            ("Policy number", "LM-49860"),
            ("Due date", "07/01/2026"),
            ("Amount due", "$131.55"),
            ("Amount enclosed", "$ ____________"),
        )
    ):
        d.text((rx, p.y + i * 30), k, font=font("sans", 14), fill=MUTED)
        d.text((p.x1, p.y + i * 30), v, font=font("bold", 15), fill=INK, anchor="ra")
    p.y += 170
    d.text((p.x0, p.y), "4415229000 0013155 070126 3", font=font("mono", 18), fill=INK)
    p.y += 30
    return [p.finish(30)]


def art_autopay_form() -> list[Image.Image]:
    p = letter_page()
    p.x0, p.x1 = 70, LETTER_W - 70
    p.y = 60
    d = p.d
    letterhead(p, size=48)
    p.text("Electronic Funds Transfer (EFT) Authorization", style="bold", size=24, after=2)
    p.text(
        "Use this form to pay your premium automatically from a checking or savings account.",
        size=14,
        fill=MUTED,
        after=16,
    )

    def section(title: str) -> None:
        d.rectangle([p.x0, p.y, p.x1, p.y + 30], fill=GREEN)
        d.text((p.x0 + 12, p.y + 6), title, font=font("bold", 15), fill=WHITE)
        p.y += 42

    def fields(items: list[tuple[str, float, str]]) -> None:
        x = p.x0
        total = p.x1 - p.x0
        for label, frac, value in items:
            w = total * frac
            d.rectangle([x, p.y, x + w - 8, p.y + 52], outline=(120, 126, 130), width=1)
            d.text((x + 6, p.y + 4), label, font=font("sans", 11), fill=MUTED)
            if value:
                d.text((x + 8, p.y + 22), value, font=font("mono", 17), fill=INK)
            x += w
        p.y += 62

    def digit_boxes(label: str, count: int) -> None:
        d.text((p.x0, p.y), label, font=font("sans", 13), fill=INK)
        bx = p.x0 + 190
        for i in range(count):
            d.rectangle([bx + i * 30, p.y - 4, bx + i * 30 + 26, p.y + 26], outline=(120, 126, 130))
        p.y += 42

    section("Section 1 — Policyholder")
    fields([("Policy number(s)", 0.34, "LM-49860"), ("Name of policyholder(s)", 0.66, "")])
    fields([("Daytime phone", 0.34, ""), ("E-mail address", 0.66, "")])
    section("Section 2 — Bank account")
    fields([("Name of bank or credit union", 0.6, ""), ("City / State", 0.4, "")])
    digit_boxes("Routing number (9 digits)", 9)
    digit_boxes("Account number", 17)
    x = checkbox(d, p.x0, p.y, "Checking")
    checkbox(d, x + 40, p.y, "Savings")
    p.y += 40
    section("Section 3 — Draft date")
    p.text(
        "Payments are drafted on each installment due date. ☐ I'd like a different draft date "
        "(1st–28th): ______ (not available when fewer than 3 installments remain in the policy term).",
        size=13,
        leading=1.5,
        after=12,
    )
    section("Section 4 — Authorization")
    p.text(
        "I authorize Larkfield Mutual Insurance Company and the financial institution named above to "
        "initiate debit entries to my account for premiums due on the policies listed, and, if "
        "necessary, credit entries to correct erroneous debits. This authorization remains in effect "
        "until Larkfield Mutual has received written notice of termination in such time and manner as "
        "to afford a reasonable opportunity to act on it. Returned items are subject to a $25.00 fee. "
        "Two returned drafts in a 12-month period will result in removal from EFT.",
        size=12,
        fill=INK,
        leading=1.5,
        after=24,
    )
    y = p.y
    d.line([(p.x0, y + 30), (p.x0 + 520, y + 30)], fill=INK)
    d.line([(p.x0 + 580, y + 30), (p.x1, y + 30)], fill=INK)
    d.text((p.x0, y + 36), "Signature of account holder (blue or black ink)", font=font("sans", 11), fill=MUTED)
    d.text((p.x0 + 580, y + 36), "Date", font=font("sans", 11), fill=MUTED)
    p.y = y + 70
    panel(
        p,
        lambda q: q.rich(
            "**IMPORTANT:** Attach a **voided check** (deposit slips are not accepted). Return this form by mail "
            "to Larkfield Mutual, EFT Processing, PO Box 18225, Columbus OH 43218-0225, or fax it to "
            "1-614-555-0190. **Please allow up to two billing cycles** for EFT to take effect and continue to "
            'pay by other means until your statement shows "EFT – DO NOT PAY".',
            size=13,
            leading=1.5,
            after=0,
        ),
        fill=GOLD_TINT,
        outline=GOLD,
        radius=0,
    )
    letter_footer(p, "Form LM-EFT-2 (11/24)", "Page 1 of 1")
    return [p.im]


def art_autopay_failed_email() -> list[Image.Image]:
    p = Page(1000, 2400)
    email_client(
        p,
        "Action required: EFT enrollment not completed (R03)",
        "Larkfield Mutual Billing",
        "billing@mail.larkfieldmutual.com",
        "Tom Okafor",
        "Tue, Jul 7, 2026, 2:14 AM",
    )
    body = EmailBody(p, band="Policy LM-49860")
    top = p.y
    p.d.rectangle([p.x0, top, p.x1, top + 60], fill=RED_TINT)
    p.d.rectangle([p.x0, top, p.x0 + 5, top + 60], fill=RED)
    p.d.text((p.x0 + 20, top + 18), "We were unable to complete your EFT enrollment.", font=font("bold", 17), fill=RED)
    p.y = top + 84
    p.text("Dear Policyholder,", size=16, after=10)
    p.text(
        "Your financial institution returned our prenotification entry with reason code R03 (No "
        "Account/Unable to Locate Account). Your account has therefore been reverted to Direct Bill. "
        "Please remit the amount due by the due date shown to avoid cancellation of your policy for "
        "non-payment of premium.",
        size=15,
        leading=1.55,
        after=16,
    )
    p.table(
        [
            ["Account details", ""],
            ["Policy number", "LM-49860"],
            ["Billing method", "Direct Bill (EFT pending)"],
            ["Amount due", "$97.20"],
            ["Due date", "08/01/2026"],
            ["Return reason code", "R03"],
            ["Trace number", "071000288412207"],
        ],
        widths=[1, 1.3],
        size=14,
    )
    button(p.d, p.x0, p.y, "Update bank details", size=16)
    p.y += 70
    p.text(
        "To re-enroll, log in to your account and re-submit Form LM-EFT-2 with a voided check. Please allow "
        "up to two billing cycles for processing. If you have already made this payment, please disregard "
        "this notice.",
        size=13,
        fill=MUTED,
        leading=1.5,
    )
    body.close(
        [
            "This mailbox is not monitored. For questions call 1-800-555-0142.",
            "Larkfield Mutual Insurance Company · 400 Meridian Way, Columbus, OH 43215",
        ]
    )
    return [p.finish(30)]


def art_help_contact_page() -> list[Image.Image]:
    p = Page(1000, 2400, margin=50)
    d = p.d
    browser(p, "https://www.larkfieldmutual.com/help/contact", "Contact us | Larkfield Mutual")
    site_header(p)
    top = p.y
    d.rectangle([0, top, p.w, top + 200], fill=GREEN_TINT)
    p.y = top + 22
    p.text("Help Center  ›  Contact us", size=13, fill=MUTED, after=10)
    p.text("How can we help?", style="bold", size=32, after=14)
    d.rounded_rectangle([p.x0, p.y, p.x1, p.y + 52], radius=26, fill=WHITE, outline=LINE, width=2)
    d.ellipse([p.x0 + 22, p.y + 15, p.x0 + 38, p.y + 31], outline=MUTED, width=2)
    d.line([(p.x0 + 36, p.y + 29), (p.x0 + 44, p.y + 37)], fill=MUTED, width=2)
    d.text((p.x0 + 58, p.y + 15), 'Search help articles, e.g. "change my address"', font=font("sans", 16), fill=FAINT)
    p.y = top + 226
    p.text("Popular topics", style="bold", size=16, after=10)
    x = p.x0
    for chip in ("Change my address", "ID cards", "Billing & payments", "Make a claim", "Cancel my policy"):
        w = font("sans", 14).getlength(chip) + 30
        d.rounded_rectangle([x, p.y, x + w, p.y + 34], radius=17, outline=GREEN, width=1)
        d.text((x + 15, p.y + 8), chip, font=font("sans", 14), fill=GREEN)
        x += w + 12
    p.y += 64
    cards = (
        (
            "Call us",
            PHONE_SERVICE,
            ["Mon–Fri 8am–6pm ET", "Closed weekends and holidays"],
            ("Current wait: about 47 minutes", AMBER, AMBER_TINT),
        ),
        (
            "Chat with us",
            "Chat is offline",
            ["Available Mon–Fri 9am–5pm ET", "Average reply: 3 minutes"],
            ("Offline", MUTED, PALE),
        ),
        ("Send a message", "Secure message", ["Log in to your account", "We reply within 3–5 business days"], None),
    )
    gap = 20
    cw = (p.x1 - p.x0 - 2 * gap) / 3
    top = p.y
    for i, (head, main, lines, badge) in enumerate(cards):
        x = p.x0 + i * (cw + gap)
        d.rounded_rectangle([x, top, x + cw, top + 210], radius=12, outline=LINE, width=1, fill=WHITE)
        d.text((x + 22, top + 22), head, font=font("sans", 15), fill=MUTED)
        d.text((x + 22, top + 48), main, font=font("bold", 21), fill=FAINT if main == "Chat is offline" else INK)
        for k, ln in enumerate(lines):
            d.text((x + 22, top + 90 + k * 24), ln, font=font("sans", 14), fill=INK)
        if badge:
            label, fg, bg = badge
            w = font("bold", 13).getlength(label) + 24
            d.rounded_rectangle([x + 22, top + 156, x + 22 + w, top + 184], radius=6, fill=bg)
            d.text((x + 34, top + 162), label, font=font("bold", 13), fill=fg)
    p.y = top + 246
    p.text("Frequently asked", style="bold", size=20, after=10)
    faqs = (
        (
            "How do I change my address?",
            "To change your address, please call us. For your security, address changes cannot be made online "
            "for policies with more than one vehicle or property. Each policy must be updated separately.",
        ),
        ("When will I get my ID cards?", "ID cards are mailed within 10 business days of purchase."),
        ("Can I pay my bill by phone?", "Yes. A $4.95 convenience fee applies to card payments by phone."),
    )
    for q, a in faqs:
        p.rule(after=12)
        p.text(q, style="bold", size=16, after=4)
        p.text(a, size=14, fill=MUTED, leading=1.5, after=8)
    p.rule(after=14)
    d.text((p.x0, p.y + 8), "Was this page helpful?", font=font("sans", 14), fill=MUTED)
    x = p.x0 + font("sans", 14).getlength("Was this page helpful?") + 16
    x += button(d, x, p.y, "Yes", fill=WHITE, fg=GREEN, outline=GREEN, size=13, height=34, pad=16) + 10
    button(d, x, p.y, "No", fill=WHITE, fg=GREEN, outline=GREEN, size=13, height=34, pad=16)
    p.y += 64
    site_footer(p)
    return [p.finish(0)]


def art_address_change_letter() -> list[Image.Image]:
    p = letter_page()
    letterhead(p)
    p.text("July 9, 2026", size=16, after=22)
    address_block(p, ["Linda Castilo", "5120 Hollow Oak Drive", "Grove City, OH 43123"])
    p.rich("**Re: Change of mailing address — Policy LM-31475-H**", size=16, after=14)
    p.text("Dear Linda Castilo,", style="serif", size=16, after=12)
    p.text(
        "This letter confirms that we have processed your request to change the mailing address on the "
        "policy shown above. Our records have been updated as follows:",
        style="serif",
        size=16,
        leading=1.55,
        after=16,
    )
    p.table(
        [
            ["Policy", "New mailing address", "Effective"],
            ["LM-31475-H (Homeowners)", "88 Larch Street, Apt 2B, Columbus, OH 43215", "06/20/2026"],
        ],
        widths=[1.3, 2.2, 0.8],
        size=14,
    )
    p.rich(
        "**Please note:** this change applies only to the policy shown above. Other policies you hold with "
        "Larkfield Mutual are not affected and must be changed separately. A change of address may affect "
        "your premium; any adjustment will be reflected on your next billing statement.",
        size=16,
        serif=True,
    )
    p.text(
        "If any of the above information is incorrect, please contact Policy Services within 10 days of "
        "the date of this letter at 1-800-555-0142.",
        style="serif",
        size=16,
        leading=1.55,
        after=22,
    )
    p.text("Sincerely,", style="serif", size=16, after=26)
    p.text("Policy Services Department", style="serif-bold", size=16, after=2)
    p.text("Larkfield Mutual Insurance Company", style="serif", size=15, fill=MUTED, after=30)
    p.text("This is a computer-generated letter and requires no signature. Ref: PS-0709-55127", size=12, fill=FAINT)
    letter_footer(p, "LM-PS-207 (10/25)", "Page 1 of 1")
    return [p.im]


def art_survey_email() -> list[Image.Image]:
    p = Page(1000, 2400)
    email_client(
        p,
        "How did we do, Linda?",
        "Larkfield Mutual",
        "survey@mail.larkfieldmutual.com",
        "Linda Castillo",
        "Tue, Jul 14, 2026, 3:02 PM",
        earlier=(
            ("Larkfield Mutual", "How did we do, Linda? — Tell us about your recent call…", "Jul 1"),
            ("Larkfield Mutual", "How did we do, Linda? — Tell us about your recent call…", "Jul 8"),
        ),
    )
    body = EmailBody(p)
    p.text("How did we do, Linda?", style="bold", size=26, after=10)
    p.text(
        "You recently contacted Larkfield Mutual. We'd love to hear about your experience — it takes less "
        "than a minute.",
        size=16,
        leading=1.5,
        after=18,
    )
    p.text(
        "How likely are you to recommend Larkfield Mutual to a friend or colleague?",
        style="bold",
        size=16,
        leading=1.5,
        after=14,
    )
    size = 48
    gap = (p.x1 - p.x0 - 11 * size) / 10
    for i in range(11):
        x = p.x0 + i * (size + gap)
        shade = RED_TINT if i <= 6 else AMBER_TINT if i <= 8 else GREEN_TINT
        p.d.rounded_rectangle([x, p.y, x + size, p.y + size], radius=6, fill=shade, outline=LINE)
        p.d.text((x + size / 2, p.y + size / 2), str(i), font=font("bold", 18), fill=INK, anchor="mm")
    p.y += size + 8
    p.d.text((p.x0, p.y), "Not at all likely", font=font("sans", 12), fill=MUTED)
    p.d.text((p.x1, p.y), "Extremely likely", font=font("sans", 12), fill=MUTED, anchor="ra")
    p.y += 40
    p.text(
        "This survey is about your call on 07/14/2026 with Kevin (reference CS-3198204).",
        size=14,
        fill=MUTED,
        leading=1.5,
        after=20,
    )
    p.text("Thank you for being a Larkfield Mutual member.", size=16, after=6)
    p.text("The Member Experience Team", style="bold", size=16, after=4)
    body.close(
        [
            "You received this survey because you contacted us. Survey invitations are sent after every contact.",
            "Unsubscribe from surveys · Privacy",
        ]
    )
    return [p.finish(30)]


def art_claim_acknowledgement() -> list[Image.Image]:
    p = letter_page()
    letterhead(p)
    p.text("August 4, 2026", size=16, after=22)
    address_block(p, ["Greg Howell", "940 Kenwick Road", "Upper Arlington, OH 43221"], after=22)
    p.table(
        [
            ["Claim number", "CL-20931", "Date of loss", "08/02/2026"],
            ["Policy number", "LM-27731-H", "Reported", "08/03/2026"],
            ["Type of loss", "Water — sudden and accidental discharge", "Adjuster", "To be assigned"],
        ],
        widths=[1, 1.6, 0.8, 1],
        header=False,
        size=13,
        zebra=GREEN_TINT,
    )
    p.text("ACKNOWLEDGEMENT OF CLAIM", style="bold", size=17, after=12)
    p.text("Dear Policyholder,", style="serif", size=15, after=10)
    p.text(
        "We acknowledge receipt of your notice of loss, which has been referred to our Property Claims "
        "Unit. An adjuster will contact you in due course to arrange an inspection of the damaged "
        "property.",
        style="serif",
        size=15,
        leading=1.55,
        after=10,
    )
    p.text(
        "We aim to complete our investigation and settle valid claims within up to 30 working days of "
        "receiving all required documentation. To enable us to process your claim, please provide:",
        style="serif",
        size=15,
        leading=1.55,
        after=8,
    )
    p.bullets(
        [
            "A signed and notarized Sworn Statement in Proof of Loss (form LM-CL-9) within 60 days;",
            "Itemized repair estimates from two licensed contractors;",
            "Photographs of the damage and of the source of the water;",
            "Receipts for any emergency mitigation services.",
        ],
        size=14,
        serif=True,
        after=8,
    )
    p.text(
        "Please take reasonable steps to protect the property from further damage. Do not dispose of "
        "damaged items until they have been inspected.",
        style="serif",
        size=15,
        leading=1.55,
        after=10,
    )
    p.text(
        "Nothing in this letter shall be construed as a waiver of any of the terms, conditions or "
        "exclusions of the policy, and Larkfield Mutual expressly reserves all of its rights thereunder.",
        style="serif",
        size=13,
        fill=MUTED,
        leading=1.5,
        after=18,
    )
    p.text("Property Claims Unit", style="serif-bold", size=15, after=2)
    p.text(f"Larkfield Mutual Insurance Company  ·  Claims {PHONE_CLAIMS}", style="serif", size=14, fill=MUTED)
    letter_footer(p, "LM-CL-ACK (07/25)", "Page 1 of 1")
    return [p.im]


def art_claim_status_page() -> list[Image.Image]:
    p = Page(1000, 2400, margin=50)
    d = p.d
    browser(p, "https://www.larkfieldmutual.com/account/claims/CL-20931", "Claim CL-20931 | Larkfield Mutual")
    site_header(p, signed_in="Greg", nav=("Policies", "Billing", "Claims", "Documents"))
    p.gap(26)
    p.text("My claims  ›  CL-20931", size=13, fill=MUTED, after=6)
    p.text("Water damage — kitchen and hallway", style="bold", size=28, after=2)
    p.text("Claim CL-20931 · Home policy LM-27731-H · Reported August 3, 2026", size=15, fill=MUTED, after=24)
    stepper(
        p,
        ["Reported\nAug 3", "Adjuster\nassigned", "Adjuster\ncontact", "Inspection", "Estimate", "Payment"],
        current=2,
        x0=60,
        x1=940,
    )
    p.gap(26)
    top = p.y
    d.rounded_rectangle([p.x0, top, p.x1, top + 96], radius=10, fill=AMBER_TINT)
    d.text((p.x0 + 22, top + 18), "Waiting for your adjuster to contact you", font=font("bold", 18), fill=AMBER)
    d.text(
        (p.x0 + 22, top + 50),
        "Your adjuster will contact you within 24 hours of assignment to arrange an inspection.",
        font=font("sans", 15),
        fill=INK,
    )
    p.y = top + 120
    half = (p.x0 + p.x1) / 2
    d.rounded_rectangle([p.x0, p.y, half - 10, p.y + 150], radius=10, outline=LINE)
    d.text((p.x0 + 20, p.y + 18), "Your adjuster", font=font("sans", 14), fill=MUTED)
    d.text((p.x0 + 20, p.y + 42), "T. Marsh", font=font("bold", 20), fill=INK)
    d.text((p.x0 + 20, p.y + 74), "Property Claims", font=font("sans", 14), fill=INK)
    d.text((p.x0 + 20, p.y + 98), f"{PHONE_CLAIMS} ext. 4471", font=font("sans", 14), fill=INK)
    d.text((p.x0 + 20, p.y + 122), "Status: Out of office", font=font("sans", 13), fill=FAINT)
    d.rounded_rectangle([half + 10, p.y, p.x1, p.y + 150], radius=10, outline=LINE)
    d.text((half + 30, p.y + 18), "Upload photos and receipts", font=font("bold", 16), fill=INK)
    dashed_box(d, (half + 30, p.y + 50, p.x1 - 20, p.y + 130), fill=FAINT)
    d.text(
        ((half + p.x1) / 2 + 5, p.y + 90), "Drag files here or browse", font=font("sans", 14), fill=MUTED, anchor="mm"
    )
    p.y += 180
    p.text("Activity", style="bold", size=18, after=8)
    p.table(
        [
            ["Date", "Activity"],
            ["08/03/2026 07:58", "Claim reported by phone"],
            ["08/03/2026 08:10", "Emergency water mitigation authorized"],
            ["08/04/2026 09:12", "Claim assigned to adjuster"],
            ["08/05/2026 11:40", "Message received from you"],
            ["08/06/2026 16:05", "Message received from you"],
        ],
        widths=[1, 3],
        size=14,
    )
    p.text("Last updated: August 4, 2026 at 9:12 AM", size=13, fill=MUTED, after=30)
    site_footer(p)
    return [p.finish(0)]


def art_settlement_letter() -> list[Image.Image]:
    p = letter_page()
    letterhead(p)
    p.text("August 26, 2026", size=16, after=22)
    address_block(p, ["Greg Howell", "940 Kenwick Road", "Upper Arlington, OH 43221"], after=20)
    p.rich("**Re: Claim CL-20931 — Settlement of building loss (date of loss 08/02/2026)**", size=15, after=12)
    p.text("Dear Mr. Howell,", style="serif", size=16, after=10)
    p.text(
        "We have completed our review of your claim for water damage at 940 Kenwick Road. We are pleased "
        "to confirm payment as set out below.",
        style="serif",
        size=16,
        leading=1.55,
        after=14,
    )
    p.table(
        [
            ["Item", "Amount"],
            ["Emergency water mitigation (DryRight Restoration)", "$2,140.00"],
            ["Kitchen base cabinets — replace (RCV)", "$4,380.00"],
            ["Vinyl plank flooring, kitchen and hall (RCV)", "$1,320.00"],
            ["Replacement cost value (RCV)", "$7,840.00"],
            ["Less recoverable depreciation (holdback)", "–$612.00"],
            ["Actual cash value (ACV)", "$7,228.00"],
            ["Less deductible", "–$1,000.00"],
            ["Net payment issued", "$6,228.00"],
        ],
        widths=[3, 1],
        aligns="lr",
        size=14,
        bold_rows=(4, 6, 8),
    )
    p.text(
        "Payment has been issued by direct deposit and should reach your account within 3–5 business days.",
        style="serif",
        size=15,
        leading=1.55,
        after=10,
    )
    p.text(
        "Recoverable depreciation of $612.00 may be claimed on completion of repairs by submitting final "
        "invoices within 180 days of the date of loss. Depreciation not claimed within this period is "
        "forfeited.",
        style="serif",
        size=15,
        leading=1.55,
        after=18,
    )
    p.text("Sincerely,", style="serif", size=16, after=6)
    p.text("Angela Ruiz", style="serif-italic", size=28, fill=(30, 50, 110), after=2)
    p.text(f"Angela Ruiz, Senior Property Adjuster  ·  {PHONE_CLAIMS} ext. 4390", style="serif", size=14, fill=MUTED)
    letter_footer(p, "LM-CL-SET (12/25)", "Page 1 of 1")
    return [p.im]


def art_renewal_notice() -> list[Image.Image]:
    p = letter_page()
    letterhead(p, size=50)
    p.text("AUTOMOBILE POLICY RENEWAL NOTICE AND DECLARATIONS", style="bold", size=19, after=14)
    p.table(
        [
            ["Named insured", "SAM KOWALSKI", "Policy number", "LM-22418-A"],
            ["Mailing address", "3318 Norwood Ave, Columbus OH 43224", "Notice date", "09/01/2026"],
            ["Policy period", "10/01/2026 to 10/01/2027, 12:01 AM standard time", "Producer", "Direct (000)"],
        ],
        widths=[0.9, 2, 0.8, 0.9],
        header=False,
        size=12,
        zebra=PALE,
    )
    p.text("IMPORTANT NOTICE REGARDING YOUR RENEWAL", style="bold", size=14, after=6)
    p.text(
        "This notice is provided pursuant to Ohio Rev. Code §3937.25 and the terms and conditions of your "
        "policy. Your policy will be renewed under the rates, rules and forms on file with the Ohio "
        "Department of Insurance as of the renewal effective date, including Filing No. OH-2026-AU-0417, "
        "which revises base rates, territorial relativities, vehicle symbol (ISO/VSR) relativities and the "
        "tier placement algorithm. Premium shown reflects all applicable credits, surcharges and fees. "
        "Coverage is provided only for those coverages for which a premium is shown. No action is required "
        "to renew; renewal premium will be drafted via EFT in accordance with your current payment plan.",
        size=13,
        leading=1.5,
        after=14,
    )
    p.text(
        "SCHEDULE OF COVERAGES — VEHICLE 1: 2020 SUBARU OUTBACK LTD, VIN 4S4BTANC2L3148221",
        style="bold",
        size=13,
        after=6,
    )
    p.table(
        [
            ["Coverage", "Limits", "Deductible", "Premium"],
            ["A. Bodily injury liability", "$100,000 each person / $300,000 each accident", "—", "$412.18"],
            ["B. Property damage liability", "$100,000 each accident", "—", "$238.40"],
            ["C. Medical payments", "$5,000 each person", "—", "$41.22"],
            ["D. Uninsured/underinsured motorists (BI)", "$100,000 / $300,000", "—", "$96.55"],
            ["E. Other than collision (comprehensive)", "Actual cash value", "$500", "$171.03"],
            ["F. Collision", "Actual cash value", "$500", "$389.14"],
            ["G. Towing and labor", "$100 per disablement", "—", "$12.00"],
            ["H. Transportation expense", "$30 per day / $900 maximum", "—", "$13.00"],
        ],
        widths=[2, 2.2, 0.8, 0.8],
        aligns="llcr",
        size=12,
        pad=7,
    )
    p.text(
        "Payment plan: EFT, 12 installments. Installment fees waived. See page 2 for forms, endorsements "
        "and rating information.",
        size=12,
        fill=MUTED,
        leading=1.5,
    )
    letter_footer(p, "LM-AU-REN-3 (06/26)", "Page 1 of 2")
    page1 = p.im

    p = letter_page()
    p.d.text(
        (p.x0, p.y), "LM-22418-A  ·  SAM KOWALSKI  ·  RENEWAL DECLARATIONS (CONTINUED)", font=font("bold", 13), fill=INK
    )
    p.y += 34
    p.text("FORMS AND ENDORSEMENTS APPLICABLE TO THIS POLICY", style="bold", size=14, after=6)
    p.text(
        "PP 00 01 09 18 Personal Auto Policy; LM-AU-114 (06/26) Amendment of Policy Provisions – Ohio; "
        "PP 04 01 09 18 Uninsured Motorists Coverage – Ohio; LM-AU-ENDT-27 (01/25) Towing and Labor Costs; "
        "PP 03 02 09 18 Transportation Expenses; LM-AU-ENDT-31 (06/26) Named Driver Exclusion Notice; "
        "LM-AU-PRIV (03/24) Notice of Information Practices.",
        size=12,
        leading=1.5,
        after=14,
    )
    p.text("RATING INFORMATION", style="bold", size=14, after=6)
    p.table(
        [
            ["Rating element", "Prior term", "Renewal term"],
            ["Rating tier", "C1", "C2"],
            ["Territory", "114", "114 (relativity revised)"],
            ["Vehicle symbol (liability / physical damage)", "25 / 25", "27 / 26"],
            ["Driver class", "1A", "1A"],
            ["Good driver credit", "10%", "10%"],
            ["Paperless credit", "2%", "2%"],
            ["Loyalty credit (6+ years)", "—", "—"],
        ],
        widths=[2.2, 1, 1.4],
        aligns="lcc",
        size=12,
        pad=7,
    )
    p.text("EXPLANATION OF PREMIUM CHANGE", style="bold", size=14, after=6)
    p.text(
        "Premium change reflects the combined effect of the approved rate revision referenced on page 1, "
        "re-evaluation of tier placement under the revised algorithm (including insurance score "
        "re-order where permitted), updated vehicle symbol relativities for the model year, and changes "
        "in applicable credits, if any. Individual results vary. For an explanation of the factors that "
        "most affected your premium, you may submit a written request within 60 days.",
        size=12,
        leading=1.5,
        after=14,
    )
    p.text("NOTICE OF INFORMATION PRACTICES", style="bold", size=14, after=6)
    p.text(
        "Personal information about you may be collected from persons other than you, including consumer "
        "reporting agencies, motor vehicle records and claims databases. Such information, as well as "
        "other personal or privileged information subsequently collected by us, may in certain "
        "circumstances be disclosed to third parties without your authorization as permitted by law. You "
        "have the right to access and request correction of such information.",
        size=12,
        leading=1.5,
        after=20,
    )
    p.y = p.h - 150  # the price change sits at the very bottom of the last page
    p.rule(after=10)
    p.text(
        "Total renewal premium: $1,373.52    Prior term premium: $1,164.00    Change: +$209.52 (+18.0%)",
        size=12,
        leading=1.5,
        after=4,
    )
    p.text("Premium is fully earned upon cancellation except as provided by the policy.", size=11, fill=MUTED)
    letter_footer(p, "LM-AU-REN-3 (06/26)", "Page 2 of 2")
    return [page1, p.im]


def art_anniversary_card() -> list[Image.Image]:
    p = Page(1100, 720, bg=(206, 212, 208), margin=0)
    d = p.d
    d.rectangle([34, 34, 1076, 706], fill=(178, 184, 180))  # shadow
    d.rectangle([24, 24, 1066, 696], fill=CREAM)
    d.line([(545, 24), (545, 696)], fill=(226, 222, 210), width=3)  # the fold
    # Cover panel.
    d.rectangle([24, 24, 545, 696], fill=GREEN)
    d.rectangle([48, 48, 521, 672], outline=GOLD, width=2)
    d.rectangle([56, 56, 513, 664], outline=GOLD, width=1)
    d.text((284, 250), "10", font=font("serif-bold", 190), fill=GOLD, anchor="mm")
    d.text((284, 400), "Ten years together", font=font("serif-italic", 34), fill=WHITE, anchor="mm")
    d.line([(200, 440), (368, 440)], fill=GOLD, width=2)
    d.text((284, 470), "2016 – 2026", font=font("sans", 18), fill=(200, 222, 212), anchor="mm")
    draw_logo(d, 170, 580, 40, on_dark=True, tagline=False)
    # Inside panel: the handwritten note.
    ink = (34, 52, 110)
    p.y = 80
    p.x0, p.x1 = 600, 1020
    p.text("Dear Ruth,", style="serif-italic", size=24, fill=ink, after=14)
    p.text(
        "Ten years ago you trusted us with your home, and later your car too. Since then we have been "
        "through one flooded basement together (and we're glad it was only one!).",
        style="serif-italic",
        size=19,
        fill=ink,
        leading=1.5,
        after=12,
    )
    p.text(
        "Thank you for being part of Larkfield Mutual. As a small thank-you, we've added free glass "
        "repair to your car policy: no deductible, no paperwork.",
        style="serif-italic",
        size=19,
        fill=ink,
        leading=1.5,
        after=12,
    )
    p.text("Here's to the next ten.", style="serif-italic", size=19, fill=ink, after=20)
    p.text("With warm thanks,", style="serif-italic", size=19, fill=ink, after=4)
    p.text("Callum", style="serif-italic", size=30, fill=ink, after=2)
    p.text("Callum Price, Member Care, and everyone at Larkfield Mutual", style="serif", size=13, fill=MUTED)
    return [p.im]


def art_cancellation_letter() -> list[Image.Image]:
    p = letter_page()
    letterhead(p)
    p.text("October 6, 2026", size=16, after=22)
    address_block(p, ["SAM KOWALSKI", "3318 NORWOOD AVE", "COLUMBUS OH 43224"], after=22)
    p.text("NOTICE OF CANCELLATION — INSURED'S REQUEST", style="bold", size=20, after=14)
    p.table(
        [
            ["Named insured", "SAM KOWALSKI"],
            ["Policy number", "LM-22418-A (Personal Auto)"],
            ["Cancellation effective", "10/01/2026 at 12:01 AM standard time"],
            ["Reason", "Insured's request — non-renewal"],
            ["Earned premium balance due", "$12.40"],
        ],
        widths=[1, 1.8],
        header=False,
        size=14,
        zebra=PALE,
    )
    p.text(
        "This notice confirms that the policy shown above has been cancelled as requested. Coverage under "
        "this policy terminated at 12:01 AM on the effective date shown. You are responsible for "
        "maintaining proof of financial responsibility as required by Ohio law.",
        style="serif",
        size=15,
        leading=1.55,
        after=10,
    )
    p.text(
        "An earned premium balance of $12.40 remains due for the period 09/28/2026 to 10/01/2026. Payment is "
        "due within 15 days of the date of this notice. Unpaid balances may be referred to a collection "
        "agency and reported to consumer reporting agencies. Any return premium due to you will be issued "
        "within 30 days.",
        style="serif",
        size=15,
        leading=1.55,
        after=10,
    )
    p.text(
        "Please destroy any identification cards issued for this policy.",
        style="serif",
        size=15,
        leading=1.55,
        after=24,
    )
    p.text("Policy Services Department", style="serif-bold", size=15, after=2)
    p.text("Larkfield Mutual Insurance Company", style="serif", size=14, fill=MUTED, after=28)
    p.text("This is a computer-generated notice and requires no signature. Ref: PS-1006-22418", size=12, fill=FAINT)
    letter_footer(p, "LM-PS-CXL (03/24)", "Page 1 of 1")
    return [p.im]


@dataclass(frozen=True)
class Artifact:
    name: str  # file name without extension
    fmt: str  # "png" or "pdf"
    draw: object  # () -> list[Image]
    stage: str
    moment: str | None
    title: str
    kind: str
    caption: str
    asks_of_customer: str
    version_label: str
    issued_on: str


ARTIFACTS: tuple[Artifact, ...] = (
    # --- shop -------------------------------------------------------------
    Artifact(
        "shop-quote-results-page",
        "png",
        art_quote_results_page,
        "shop",
        "Online quote",
        "Online auto quote results page",
        "web_page",
        "Three plans with Standard at $94.20 a month in large type; the $25 policy fee and $3 monthly "
        "installment fee appear only in grey small print at the very bottom.",
        "Choose a plan and click Buy now.",
        "v7 2026-04",
        "2026-05-06",
    ),
    Artifact(
        "shop-quote-email-jargon",
        "png",
        art_quote_email_jargon,
        "shop",
        "Price explained clearly",
        "Saved-quote e-mail after adding a teen driver",
        "email",
        "The quote jumps from $92 to $148 a month and the only explanation is rating tiers, surcharge "
        "factors and territory relativities.",
        "Click Resume my quote to buy within 30 days.",
        "v2 2026-03",
        "2026-05-06",
    ),
    Artifact(
        "shop-switch-and-save-flyer",
        "png",
        art_switch_flyer,
        "shop",
        "Online quote",
        "'Switch and save up to 25%' mailer",
        "other",
        "A bold direct-mail flyer promising savings of up to 25%, with the conditions in tiny print under an asterisk.",
        "Get a quote online or by phone with code SPRING26.",
        "v1 2026-04",
        "2026-04-20",
    ),
    # --- buy --------------------------------------------------------------
    Artifact(
        "buy-checkout-session-expired",
        "png",
        art_checkout_expired,
        "buy",
        "Policy bought in one sitting",
        "Checkout 'session expired' error at the payment step",
        "web_page",
        "At step 5 of 6, ready to pay $87.33, the customer sees a red 'session has expired' box saying "
        "nothing was saved and they must start again.",
        "Start the quote again.",
        "v12 2026-05",
        "2026-05-19",
    ),
    Artifact(
        "buy-confirmation-email",
        "png",
        art_purchase_confirmation_email,
        "buy",
        "Documents arrive within 24 hours",
        "Purchase confirmation e-mail",
        "email",
        "A cheerful 'You're covered!' e-mail that then says documents take 5-7 business days, the online "
        "account 48 hours, and lender proof of insurance 3-5 business days.",
        "Wait for documents by post; ask the lender to e-mail for proof of insurance.",
        "v4 2026-02",
        "2026-05-19",
    ),
    Artifact(
        "buy-policy-pack-envelope",
        "png",
        art_policy_pack_envelope,
        "buy",
        "Documents arrive within 24 hours",
        "Policy pack envelope (mailed 8 days after purchase)",
        "packaging",
        "A manila envelope stamped 'Important policy documents enclosed', sent presorted standard mail "
        "on 05/27, eight days after the policy was bought.",
        "",
        "v2 2025-11",
        "2026-05-27",
    ),
    # --- get started -------------------------------------------------------
    Artifact(
        "get-started-welcome-letter",
        "pdf",
        art_welcome_letter,
        "get-started",
        "Welcome call",
        "Welcome letter and cover summary (2 pages)",
        "letter",
        "A warm signed welcome letter with the three phone numbers worth saving, followed by a cover "
        "summary that warns errors must be reported in writing within 14 days.",
        "Check the declarations and report any errors in writing within 14 days.",
        "v5 2026-01",
        "2026-06-02",
    ),
    Artifact(
        "get-started-id-card",
        "pdf",
        art_id_card,
        "get-started",
        "ID card arrives before cover starts",
        "Auto ID cards, printed after cover started",
        "other",
        "Two cut-out insurance ID cards for a policy effective 06/01/2026, printed on 06/03/2026 and "
        "sent by standard mail.",
        "Cut out the cards and keep one in the vehicle.",
        "v3 2025-09",
        "2026-06-03",
    ),
    Artifact(
        "get-started-id-card-mailer-label",
        "png",
        art_mailer_label,
        "get-started",
        "ID card arrives before cover starts",
        "Mailing label on the ID card envelope",
        "label",
        "The label shows the ID cards went by untracked USPS Marketing Mail on 06/03 with an estimated "
        "delivery of 5-9 business days.",
        "",
        "v1 2025-06",
        "2026-06-03",
    ),
    Artifact(
        "get-started-app-setup-email",
        "png",
        art_app_email,
        "get-started",
        None,
        "'Set up the app in 6 easy steps' e-mail",
        "email",
        "Six registration steps that ask for a 10-digit member number and a code on 'page 3' of a "
        "two-page welcome letter, plus strict password and 15-minute link rules.",
        "Download the app and register with the member number and activation code.",
        "v3 2026-03",
        "2026-06-02",
    ),
    # --- pay ---------------------------------------------------------------
    Artifact(
        "pay-first-bill",
        "png",
        art_first_bill,
        "pay",
        "First bill matches the quote",
        "First billing statement: $131.55 against a $94.20 quote",
        "bill",
        "The first bill asks for $131.55, not the $94.20 quoted, after adding a pro-rata adjustment, a "
        "$25 policy fee and a $3 installment fee.",
        "Pay $131.55 by July 1, 2026.",
        "v9 2026-02",
        "2026-06-15",
    ),
    Artifact(
        "pay-eft-authorization-form",
        "png",
        art_autopay_form,
        "pay",
        "Autopay set up first time",
        "Paper autopay (EFT) authorization form",
        "form",
        "A paper form for autopay that needs a voided check, a wet signature and mail or fax, and takes "
        "up to two billing cycles to start.",
        "Fill in bank details, attach a voided check, sign, and mail or fax the form.",
        "v6 2024-11",
        "2026-06-15",
    ),
    Artifact(
        "pay-eft-failed-email",
        "png",
        art_autopay_failed_email,
        "pay",
        "Autopay set up first time",
        "'EFT enrollment not completed (R03)' e-mail",
        "email",
        "A 2 a.m. e-mail addressed to 'Dear Policyholder' saying autopay failed with bank reason code R03 "
        "and warning of cancellation for non-payment.",
        "Re-submit bank details or pay $97.20 by August 1, 2026.",
        "v2 2025-08",
        "2026-07-07",
    ),
    # --- get help -----------------------------------------------------------
    Artifact(
        "get-help-contact-page",
        "png",
        art_help_contact_page,
        "get-help",
        "First contact resolution",
        "Help Center contact page",
        "web_page",
        "The contact page shows a 47-minute phone wait, chat offline, messages answered in 3-5 business "
        "days, and says address changes cannot be made online.",
        "Call during opening hours to change an address.",
        "v4 2026-05",
        "2026-07-14",
    ),
    Artifact(
        "get-help-address-change-letter",
        "png",
        art_address_change_letter,
        "get-help",
        "Third contact in a month",
        "Address change confirmation sent to the old address",
        "letter",
        "A letter confirming the new address, mailed to the old address with the customer's name "
        "misspelled, covering only one of her two policies.",
        "Call within 10 days if the change is wrong.",
        "v2 2025-10",
        "2026-07-09",
    ),
    Artifact(
        "get-help-survey-email",
        "png",
        art_survey_email,
        "get-help",
        "Third contact in a month",
        "Third identical satisfaction survey this month",
        "email",
        "The third 'How did we do, Linda?' survey in two weeks, each one asking for a 0-10 score on the "
        "same unresolved address change.",
        "Rate the call from 0 to 10.",
        "v1 2025-12",
        "2026-07-14",
    ),
    # --- claim -------------------------------------------------------------
    Artifact(
        "claim-acknowledgement-letter",
        "png",
        art_claim_acknowledgement,
        "claim",
        "First notice of loss",
        "Claim acknowledgement letter",
        "letter",
        "A 'Dear Policyholder' letter saying an adjuster will call 'in due course' and claims are "
        "settled 'within up to 30 working days', with a list of documents including a notarized form.",
        "Send a notarized proof of loss, two contractor estimates, photos and receipts.",
        "v4 2025-07",
        "2026-08-04",
    ),
    Artifact(
        "claim-status-tracker",
        "png",
        art_claim_status_page,
        "claim",
        "Adjuster calls back within 24 hours",
        "Online claim tracker stuck at 'adjuster contact'",
        "web_page",
        "The claim tracker still says 'waiting for your adjuster' three days after assignment, with the "
        "adjuster shown as out of office and two unanswered messages.",
        "Wait for the adjuster to call; upload photos and receipts.",
        "v2 2026-06",
        "2026-08-07",
    ),
    Artifact(
        "claim-settlement-letter",
        "png",
        art_settlement_letter,
        "claim",
        "Claim settled within 10 days",
        "Settlement letter, 23 days after the claim was reported",
        "letter",
        "A settlement of $6,228.00 paid 23 days after the claim was reported, explained with RCV, ACV and a "
        "$612 depreciation holdback.",
        "Send final repair invoices within 180 days to recover the $612 holdback.",
        "v3 2025-12",
        "2026-08-26",
    ),
    # --- renew -------------------------------------------------------------
    Artifact(
        "renew-renewal-notice",
        "pdf",
        art_renewal_notice,
        "renew",
        "Renewal notice explains the price",
        "Auto renewal notice (2 pages) with an 18% increase at the bottom",
        "letter",
        "Two dense pages of filings, relativities and rating tiers; the $209.52 (+18.0%) increase is "
        "stated only in the last line of page two.",
        "Nothing: the higher premium is drafted automatically from October 1, 2026.",
        "v11 2026-06",
        "2026-09-01",
    ),
    Artifact(
        "renew-tenth-anniversary-card",
        "png",
        art_anniversary_card,
        "renew",
        "Tenth anniversary",
        "Tenth anniversary thank-you card",
        "other",
        "A gold-on-green card with a handwritten-style note thanking the member for ten years and "
        "adding free glass repair.",
        "",
        "v1 2026-08",
        "2026-10-02",
    ),
    Artifact(
        "renew-cancellation-notice",
        "png",
        art_cancellation_letter,
        "renew",
        "Cancellation handled with respect",
        "Cancellation notice with a $12.40 collections warning",
        "letter",
        "A cold notice of cancellation after seven years, with no thank-you, demanding $12.40 within 15 "
        "days under threat of collections.",
        "Pay the $12.40 balance within 15 days and destroy the ID cards.",
        "v7 2024-03",
        "2026-10-06",
    ),
)


def make_artifact(art: Artifact) -> dict:
    pages = art.draw()
    path = ARTIFACTS_DIR / f"{art.name}.{art.fmt}"
    if art.fmt == "pdf":
        save_pdf(pages, path, art.title, art.issued_on)
    else:
        (page,) = pages
        save_png(page, path)
    size = path.stat().st_size
    if size >= MAX_ARTIFACT_BYTES:
        raise RuntimeError(f"{path.name} is {size} bytes, over the {MAX_ARTIFACT_BYTES} limit")
    return {
        "file": f"artifacts/{path.name}",
        "stage": art.stage,
        "moment": art.moment,
        "title": art.title,
        "kind": art.kind,
        "caption": art.caption,
        "asks_of_customer": art.asks_of_customer,
        "version_label": art.version_label,
        "issued_on": art.issued_on,
    }


# ---------------------------------------------------------------------------


def check_plan() -> None:
    """Catch typos in stages, moments and kinds before any work is done."""
    for item in (*CALLS, *ARTIFACTS):
        if item.stage not in STAGES:
            raise ValueError(f"{item}: unknown stage {item.stage!r}")
        if item.moment is not None and item.moment not in STAGES[item.stage]:
            raise ValueError(f"{item.title}: moment {item.moment!r} is not in stage {item.stage!r}")
    for art in ARTIFACTS:
        if art.kind not in ARTIFACT_KINDS:
            raise ValueError(f"{art.name}: unknown kind {art.kind!r}")
    for stage in STAGES:
        n = sum(a.stage == stage for a in ARTIFACTS)
        if not 2 <= n <= 4:
            raise ValueError(f"stage {stage!r} has {n} artifacts, wanted 2-4")


def main() -> int:
    missing = [tool for tool in ("espeak-ng", "sox", "soxi", "ffmpeg", "ffprobe") if not shutil.which(tool)]
    if missing:
        print(f"missing tools: {', '.join(missing)} (apt-get install espeak-ng sox ffmpeg)", file=sys.stderr)
        return 1
    check_plan()
    # Start from scratch, but only on what this script owns under data/demo/.
    for folder in (CALLS_DIR, ARTIFACTS_DIR):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    manifest = OUT / "manifest.json"
    manifest.unlink(missing_ok=True)

    calls = []
    with tempfile.TemporaryDirectory(prefix="cxroom-demo-") as tmp:
        for call in CALLS:
            entry = make_call(call, Path(tmp))
            calls.append(entry)
            print(
                f"call      {entry['file']:<52} {entry['duration_s']:6.2f}s  "
                f"clip {entry['clip_start_s']}-{entry['clip_end_s']}s"
            )
    artifacts = []
    for art in ARTIFACTS:
        entry = make_artifact(art)
        artifacts.append(entry)
        print(f"artifact  {entry['file']:<52} {(OUT / entry['file']).stat().st_size / 1024:6.1f} KB")

    manifest.write_text(
        json.dumps({"calls": calls, "artifacts": artifacts}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"total     {total / 1024 / 1024:.2f} MB in {OUT.relative_to(ROOT)}")
    if total >= MAX_TOTAL_BYTES:
        print("data/demo is over the 6 MB budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
