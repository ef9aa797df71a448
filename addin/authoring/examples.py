"""Example journeys (a B2C online shop, a B2B SaaS onboarding) and a seeded evidence generator.

Plain Python data, so the template writer, the tests and the benchmarks build the same workbooks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from addin.core.contract import Lane


@dataclass
class ExampleJourney:
    key: str
    name: str
    stages: list[str]
    lanes: dict[str, list[Any]]
    personas: list[tuple[str, str, float | None]]
    pain_points: list[tuple[Any, ...]]
    recommendations: list[tuple[Any, ...]]
    funnel: list[tuple[str, int, int]]
    touchpoints: dict[str, list[tuple[str, str]]]
    """Stage -> (touchpoint, channel) pairs the evidence generator samples from."""
    settings: list[tuple[str, Any]] = field(default_factory=list)
    evidence_rows: int = 1500
    seed: int = 20261127
    respondents: int = 0
    """Size of the respondent panel (`respondent_panel`); 0 = none, so key drivers say "not enough"."""
    driver_weights: dict[str, float] = field(default_factory=dict)
    """Stage -> how much its CSAT moves a panel respondent's NPS (the planted order of importance)."""
    skipped_by: dict[str, float] = field(default_factory=dict)
    """Stage -> share of the panel that gives no CSAT there (others: `SKIPPED`)."""


SKIPPED = 0.03
"""Share of the panel that skips a stage's CSAT question unless `skipped_by` says otherwise."""


SHOP = ExampleJourney(
    key="online-shop",
    name="Online shop: first order to loyal customer",
    stages=["Awareness", "Consideration", "Purchase", "Delivery", "Use & support", "Loyalty"],
    lanes={
        Lane.GOALS: [
            "Find a gift idea",
            "Pick the right product",
            "Pay quickly and safely",
            "Get it on time",
            "Make it work",
            "Feel rewarded",
        ],
        Lane.EXPECTATIONS: [
            "Relevant, not pushy",
            "Honest reviews and clear sizes",
            "No surprise costs",
            "Accurate tracking",
            "Help within minutes",
            "Perks that matter",
        ],
        Lane.ACTIONS: [
            "Sees ad, searches",
            "Compares, reads reviews",
            "Checks out",
            "Tracks parcel",
            "Unpacks, asks support",
            "Reorders, refers friends",
        ],
        Lane.TOUCHPOINTS: [
            "Social ad, search result",
            "Product page, reviews",
            "Cart, checkout, payment",
            "Tracking page, courier",
            "Help centre, chat",
            "Loyalty app, newsletter",
        ],
        Lane.CHANNELS: [
            "Instagram, Google",
            "Web, mobile web",
            "Web, app",
            "Email, SMS",
            "Chat, phone",
            "App, email",
        ],
        Lane.THOUGHTS: [
            "'Looks nice, but is it legit?'",
            "'Will it fit me?'",
            "'Why is shipping extra?'",
            "'Where is my parcel?'",
            "'How do I return this?'",
            "'Is it worth staying?'",
        ],
        Lane.EMOTION: [1, 0.5, -1.5, -1, -0.5, 1],
        "Emotion: Busy parent": [0.5, 0, -2, -1.5, -1, 0.5],
        "Emotion: Bargain hunter": [1.5, 1, -1, -0.5, 0, 1.5],
        Lane.PAIN_POINTS: [
            "Ads feel generic",
            "Size guide unclear",
            "Shipping cost shown late",
            "Tracking not updated",
            "Returns form hard to find",
            "Points expire silently",
        ],
        Lane.OPPORTUNITIES: [
            "Gift-finder quiz",
            "Fit predictor",
            "Show total price early",
            "Proactive delay SMS",
            "One-click returns",
            "Expiry reminder",
        ],
        Lane.MOMENTS_OF_TRUTH: [None, "Reading reviews", "Seeing the final price", "Parcel late", None, None],
        Lane.KPIS: [
            "CTR, reach",
            "Add-to-cart rate",
            "Checkout conversion",
            "On-time delivery",
            "First contact resolution",
            "Repeat rate, NPS",
        ],
        Lane.OWNER: ["Marketing", "E-commerce", "E-commerce", "Logistics", "Customer service", "CRM"],
    },
    personas=[
        ("Busy parent", "Shops on the phone in short breaks; values speed and clear costs.", 55),
        ("Bargain hunter", "Compares prices across shops; values deals and loyalty perks.", 45),
    ],
    pain_points=[
        (
            "P01",
            "Awareness",
            "Social ad",
            "Instagram",
            "Bargain hunter",
            "Ads repeat products already bought",
            2,
            4,
            "analytics",
        ),
        (
            "P02",
            "Awareness",
            "Search result",
            "Google",
            None,
            "Shop not found for common product names",
            3,
            3,
            "analytics",
        ),
        (
            "P03",
            "Consideration",
            "Product page",
            "Mobile web",
            "Busy parent",
            "Size guide is a PDF that does not open on phones",
            4,
            4,
            "interview",
        ),
        (
            "P04",
            "Consideration",
            "Reviews",
            "Web",
            None,
            "Reviews cannot be filtered by size or fit",
            3,
            4,
            "survey",
        ),
        (
            "P05",
            "Consideration",
            "Product page",
            "Web",
            "Bargain hunter",
            "Price history and deals are not shown",
            2,
            3,
            "interview",
        ),
        (
            "P06",
            "Purchase",
            "Checkout",
            "Web",
            None,
            "Shipping cost shown only at the last step",
            5,
            5,
            "analytics",
        ),
        (
            "P07",
            "Purchase",
            "Checkout",
            "App",
            "Busy parent",
            "Guest checkout missing in the app",
            4,
            4,
            "support",
        ),
        (
            "P08",
            "Purchase",
            "Payment",
            "Mobile web",
            None,
            "Card payment fails on some banks (3-D Secure)",
            5,
            2,
            "support",
        ),
        (
            "P09",
            "Purchase",
            "Cart",
            "Web",
            "Bargain hunter",
            "Discount code field rejects valid codes",
            3,
            3,
            "support",
        ),
        (
            "P10",
            "Purchase",
            "Payment",
            "App",
            "Busy parent",
            "No wallet payment (Apple Pay, Google Pay)",
            3,
            4,
            "survey",
        ),
        (
            "P11",
            "Delivery",
            "Tracking page",
            "Email",
            None,
            "Tracking link shows 'no data' for 2 days",
            4,
            4,
            "support",
        ),
        ("P12", "Delivery", "Courier", "SMS", "Busy parent", "No delivery time window", 3, 5, "interview"),
        (
            "P13",
            "Delivery",
            "Courier",
            "Phone",
            None,
            "Parcel left at the door without notice",
            4,
            2,
            "support",
        ),
        ("P14", "Delivery", "Tracking page", "Web", "Bargain hunter", "Delay not announced", 3, 3, "survey"),
        (
            "P15",
            "Use & support",
            "Help centre",
            "Web",
            None,
            "Returns form is hard to find",
            4,
            4,
            "observation",
        ),
        (
            "P16",
            "Use & support",
            "Chat",
            "Chat",
            "Busy parent",
            "Chat waits longer than 10 minutes in the evening",
            4,
            3,
            "support",
        ),
        (
            "P17",
            "Use & support",
            "Phone",
            "Phone",
            None,
            "Customer has to repeat the order number",
            2,
            4,
            "observation",
        ),
        (
            "P18",
            "Use & support",
            "Help centre",
            "Web",
            "Bargain hunter",
            "Refund takes 14 days",
            3,
            3,
            "survey",
        ),
        (
            "P19",
            "Loyalty",
            "Loyalty app",
            "App",
            "Bargain hunter",
            "Points expire without a reminder",
            3,
            4,
            "interview",
        ),
        (
            "P20",
            "Loyalty",
            "Newsletter",
            "Email",
            None,
            "Newsletter too frequent, mostly irrelevant",
            2,
            5,
            "analytics",
        ),
        ("P21", "Loyalty", "Loyalty app", "App", "Busy parent", "Referral reward unclear", 2, 2, "interview"),
        (
            "P22",
            "Purchase",
            "Checkout",
            "Web",
            None,
            "Address form rejects long street names",
            3,
            2,
            "support",
        ),
    ],
    recommendations=[
        (
            "R01",
            "Show shipping cost on product page and cart",
            "P06",
            42000,
            None,
            90,
            2,
            "E-commerce",
            "Planned",
        ),
        ("R02", "Guest checkout in the app", "P07", 18000, 2, 80, 5, "App team", "Idea"),
        ("R03", "Mobile size guide with fit predictor", "P03, P04", 25000, None, 60, 6, "E-commerce", "Idea"),
        (
            "R04",
            "Proactive delay and delivery-window SMS",
            "P12, P14, P11",
            30000,
            None,
            70,
            4,
            "Logistics",
            "In progress",
        ),
        (
            "R05",
            "One-click returns from the order page",
            "P15, P18",
            9000,
            2,
            80,
            3,
            "Customer service",
            "Planned",
        ),
        ("R06", "Add wallet payments", "P10, P08", 20000, None, 75, 4, "Payments", "Idea"),
        ("R07", "Fix discount-code validation", "P09", 8000, 1, 95, 0.5, "E-commerce", "Planned"),
        ("R08", "Points expiry reminder", "P19", 12000, None, 85, 1, "CRM", "Idea"),
        ("R09", "Frequency cap and preferences for newsletter", "P20", 60000, 0.5, 70, 1.5, "CRM", "Idea"),
        (
            "R10",
            "Callback instead of chat queue in the evening",
            "P16, P17",
            6000,
            None,
            50,
            8,
            "Customer service",
            "Idea",
        ),
        ("R11", "Exclude bought products from retargeting", "P01", 50000, 0.5, 90, 1, "Marketing", "Idea"),
        ("R12", "Rebuild the whole shop on a new platform", "P02, P05, P22", 40000, 1, 30, 40, "IT", "Idea"),
    ],
    funnel=[
        ("Awareness", 120000, 48000),
        ("Consideration", 48000, 16000),
        ("Purchase", 16000, 9200),
        ("Delivery", 9200, 9000),
        ("Use & support", 9000, 8100),
        ("Loyalty", 8100, 3900),
    ],
    touchpoints={
        "Awareness": [("Social ad", "Instagram"), ("Search result", "Google")],
        "Consideration": [("Product page", "Web"), ("Product page", "Mobile web"), ("Reviews", "Web")],
        "Purchase": [("Checkout", "Web"), ("Checkout", "App"), ("Payment", "Mobile web"), ("Cart", "Web")],
        "Delivery": [("Tracking page", "Email"), ("Courier", "SMS")],
        "Use & support": [("Help centre", "Web"), ("Chat", "Chat"), ("Phone", "Phone")],
        "Loyalty": [("Loyalty app", "App"), ("Newsletter", "Email")],
    },
    settings=[
        ("Journey name", "Online shop: first order to loyal customer"),
        ("Scoring method", "RICE"),
        ("Heatmap rows", "Touchpoint"),
    ],
    evidence_rows=1500,
    respondents=300,
    driver_weights={
        "Awareness": 0.07,
        "Consideration": 0.2,
        "Purchase": 0.75,
        "Delivery": 0.9,
        "Use & support": 0.35,
        "Loyalty": 0.3,
    },
    skipped_by={"Loyalty": 0.65},
)

SAAS = ExampleJourney(
    key="saas-onboarding",
    name="B2B SaaS: from trial to renewal",
    stages=["Discover", "Evaluate", "Sign up", "Onboard", "Adopt", "Expand", "Renew"],
    lanes={
        Lane.GOALS: [
            "Solve a reporting problem",
            "Prove value to the boss",
            "Start a trial fast",
            "Get the team working",
            "Make it part of the routine",
            "Roll out to more teams",
            "Justify the budget",
        ],
        Lane.EXPECTATIONS: [
            "Clear pricing",
            "A demo with my data",
            "No credit card",
            "Guided setup",
            "Integrations just work",
            "Simple admin",
            "Usage report",
        ],
        Lane.ACTIONS: [
            "Reads blog, G2",
            "Books demo, compares",
            "Creates workspace",
            "Imports data, invites team",
            "Builds dashboards",
            "Buys seats",
            "Reviews contract",
        ],
        Lane.TOUCHPOINTS: [
            "Blog, review site",
            "Demo call, pricing page",
            "Sign-up form",
            "Setup wizard, import",
            "Dashboard builder, integrations",
            "Admin console, billing",
            "Renewal call, QBR",
        ],
        Lane.CHANNELS: [
            "Web",
            "Video call, web",
            "Web",
            "In-app, email",
            "In-app",
            "In-app, sales",
            "Sales, email",
        ],
        Lane.THOUGHTS: [
            "'Is this for companies like us?'",
            "'What will it really cost?'",
            "'Why so many fields?'",
            "'The import broke my dates'",
            "'Finally, one place for numbers'",
            "'Seat management is painful'",
            "'Did we use it enough?'",
        ],
        Lane.EMOTION: [0.5, 0, -0.5, -2, 1, -0.5, 0],
        "Emotion: Ops manager": [0.5, 0.5, -0.5, -2, 1.5, -1, 0.5],
        "Emotion: IT admin": [0, -0.5, -1, -1.5, 0.5, -1.5, -0.5],
        Lane.PAIN_POINTS: [
            "Unclear fit",
            "Hidden pricing",
            "Long form",
            "CSV import errors",
            "Integration gaps",
            "Manual seat admin",
            "No usage evidence",
        ],
        Lane.OPPORTUNITIES: [
            "Industry case studies",
            "Public pricing",
            "SSO sign-up",
            "Import assistant",
            "Template gallery",
            "SCIM provisioning",
            "Value report",
        ],
        Lane.MOMENTS_OF_TRUTH: [
            None,
            "Demo with own data",
            None,
            "First import",
            "First shared dashboard",
            None,
            "Renewal call",
        ],
        Lane.KPIS: [
            "Visits, MQLs",
            "Demo-to-trial",
            "Sign-up completion",
            "Time to first value",
            "Weekly active users",
            "Seat growth",
            "Net revenue retention",
        ],
        Lane.OWNER: ["Marketing", "Sales", "Growth", "Onboarding", "Product", "Product", "Customer success"],
    },
    personas=[
        ("Ops manager", "Buys and champions the tool; wants results for the team.", None),
        ("IT admin", "Approves security and runs the admin console.", None),
        ("Analyst", "Builds the dashboards every day.", None),
    ],
    pain_points=[
        (
            "SP01",
            "Discover",
            "Review site",
            "Web",
            "Ops manager",
            "No case studies for our industry",
            2,
            3,
            "interview",
        ),
        ("SP02", "Discover", "Blog", "Web", None, "Content is too technical for buyers", 2, 2, "survey"),
        (
            "SP03",
            "Evaluate",
            "Pricing page",
            "Web",
            "Ops manager",
            "Price only on request",
            4,
            4,
            "interview",
        ),
        ("SP04", "Evaluate", "Demo call", "Video call", None, "Demo uses fake data only", 3, 3, "interview"),
        (
            "SP05",
            "Evaluate",
            "Security review",
            "Email",
            "IT admin",
            "Security questionnaire answered slowly",
            4,
            2,
            "support",
        ),
        ("SP06", "Sign up", "Sign-up form", "Web", None, "Form asks 14 fields", 3, 5, "analytics"),
        ("SP07", "Sign up", "Sign-up form", "Web", "IT admin", "No SSO at sign-up", 4, 3, "interview"),
        ("SP08", "Onboard", "CSV import", "In-app", "Analyst", "Import breaks date formats", 5, 4, "support"),
        (
            "SP09",
            "Onboard",
            "Setup wizard",
            "In-app",
            None,
            "Wizard cannot be resumed later",
            4,
            3,
            "observation",
        ),
        ("SP10", "Onboard", "Invite", "Email", "Ops manager", "Invite emails land in spam", 4, 3, "support"),
        (
            "SP11",
            "Onboard",
            "CSV import",
            "In-app",
            "Analyst",
            "Import limit of 10,000 rows",
            3,
            3,
            "support",
        ),
        ("SP12", "Adopt", "Integrations", "In-app", "Analyst", "No connector for the ERP", 4, 3, "interview"),
        (
            "SP13",
            "Adopt",
            "Dashboard builder",
            "In-app",
            "Analyst",
            "Charts cannot be copied between dashboards",
            2,
            4,
            "observation",
        ),
        ("SP14", "Adopt", "Notifications", "Email", None, "Alerts are noisy", 2, 4, "survey"),
        ("SP15", "Expand", "Admin console", "In-app", "IT admin", "Seats added one by one", 3, 4, "support"),
        (
            "SP16",
            "Expand",
            "Billing",
            "Email",
            "Ops manager",
            "Invoice does not show seats per team",
            3,
            2,
            "support",
        ),
        ("SP17", "Expand", "Admin console", "In-app", "IT admin", "No SCIM provisioning", 4, 3, "interview"),
        (
            "SP18",
            "Renew",
            "Renewal call",
            "Video call",
            "Ops manager",
            "No usage report before renewal",
            4,
            3,
            "interview",
        ),
        ("SP19", "Renew", "Contract", "Email", None, "Renewal reminder arrives late", 3, 2, "support"),
        (
            "SP20",
            "Onboard",
            "Setup wizard",
            "In-app",
            "Ops manager",
            "Too many steps before first dashboard",
            4,
            4,
            "analytics",
        ),
        ("SP21", "Adopt", "Help centre", "Web", None, "Docs out of date for new UI", 3, 3, "support"),
    ],
    recommendations=[
        (
            "SR01",
            "Import assistant with date detection",
            "SP08, SP11",
            900,
            None,
            80,
            4,
            "Onboarding",
            "Planned",
        ),
        (
            "SR02",
            "Resumable setup wizard with a 3-step path",
            "SP09, SP20",
            1100,
            None,
            70,
            5,
            "Onboarding",
            "Idea",
        ),
        ("SR03", "Publish pricing", "SP03", 3000, 2, 60, 1, "Marketing", "Idea"),
        (
            "SR04",
            "SSO sign-up and SCIM provisioning",
            "SP07, SP17, SP15",
            400,
            None,
            80,
            8,
            "Platform",
            "Idea",
        ),
        ("SR05", "Shorter sign-up form (4 fields)", "SP06", 2500, 1, 90, 1, "Growth", "Planned"),
        ("SR06", "ERP connector", "SP12", 300, 3, 50, 12, "Integrations", "Idea"),
        (
            "SR07",
            "Usage report before each renewal",
            "SP18, SP19",
            250,
            None,
            85,
            2,
            "Customer success",
            "In progress",
        ),
        ("SR08", "Demo with the prospect's sample data", "SP04", 600, 1, 70, 3, "Sales", "Idea"),
        (
            "SR09",
            "Fix invite email deliverability (SPF/DKIM)",
            "SP10",
            1100,
            2,
            90,
            0.5,
            "Platform",
            "Planned",
        ),
        ("SR10", "Industry case studies", "SP01, SP02", 5000, 0.5, 60, 3, "Marketing", "Idea"),
        ("SR11", "Copy charts between dashboards", "SP13", 800, 0.5, 80, 2, "Product", "Idea"),
        ("SR12", "Security trust centre page", "SP05", 500, 1, 70, 2, "Security", "Idea"),
    ],
    funnel=[
        ("Discover", 40000, 6000),
        ("Evaluate", 6000, 2400),
        ("Sign up", 2400, 1500),
        ("Onboard", 1500, 700),
        ("Adopt", 700, 520),
        ("Expand", 520, 210),
        ("Renew", 520, 450),
    ],
    touchpoints={
        "Discover": [("Blog", "Web"), ("Review site", "Web")],
        "Evaluate": [("Demo call", "Video call"), ("Pricing page", "Web")],
        "Sign up": [("Sign-up form", "Web")],
        "Onboard": [("Setup wizard", "In-app"), ("CSV import", "In-app"), ("Invite", "Email")],
        "Adopt": [("Dashboard builder", "In-app"), ("Integrations", "In-app"), ("Help centre", "Web")],
        "Expand": [("Admin console", "In-app"), ("Billing", "Email")],
        "Renew": [("Renewal call", "Video call"), ("Contract", "Email")],
    },
    settings=[
        ("Journey name", "B2B SaaS: from trial to renewal"),
        ("Scoring method", "RICE"),
        ("Heatmap rows", "Touchpoint"),
    ],
    evidence_rows=1800,
)

EXAMPLES: dict[str, ExampleJourney] = {SHOP.key: SHOP, SAAS.key: SAAS}


def evidence(example: ExampleJourney, rows: int | None = None, seed: int | None = None) -> list[tuple[Any, ...]]:
    """Seeded survey answers and observations; worse stages (lower emotion) get lower scores.

    Columns: Date, Persona, Stage, Touchpoint, Channel, Metric, Score, Comment.
    """
    n = example.evidence_rows if rows is None else rows
    rng = np.random.default_rng(example.seed if seed is None else seed)
    stages = example.stages
    emotion = np.array(example.lanes[Lane.EMOTION], dtype=float)
    personas = [p[0] for p in example.personas]
    metrics = np.array(["CSAT", "CES", "NPS", "Emotion"])
    stage_idx = rng.integers(0, len(stages), n)
    metric_idx = rng.choice(4, n, p=[0.45, 0.2, 0.25, 0.1])
    persona_idx = rng.integers(0, len(personas) + 1, n)
    noise = rng.normal(0, 1, n)
    day = rng.integers(0, 365, n)
    mood = emotion[stage_idx]  # -2..+2
    start = dt.date(2026, 1, 1)
    comments = [
        "",
        "",
        "",
        "Quick and easy",
        "Took too long",
        "Confusing",
        "Great help",
        "Not what I expected",
    ]
    comment_idx = rng.integers(0, len(comments), n)
    tp_choice = rng.random(n)
    out: list[tuple[Any, ...]] = []
    for i in range(n):
        stage = stages[stage_idx[i]]
        pairs = example.touchpoints[stage]
        touchpoint, channel = pairs[int(tp_choice[i] * len(pairs))]
        metric = metrics[metric_idx[i]]
        m = mood[i]
        if metric == "CSAT":
            score = int(np.clip(np.rint(3.4 + 0.7 * m + noise[i]), 1, 5))
        elif metric == "CES":
            score = int(np.clip(np.rint(3.5 - 0.9 * m + 1.2 * noise[i]), 1, 7))
        elif metric == "NPS":
            score = int(np.clip(np.rint(7 + 1.2 * m + 1.8 * noise[i]), 0, 10))
        else:
            score = int(np.clip(np.rint(m + 0.8 * noise[i]), -2, 2))
        persona = personas[persona_idx[i]] if persona_idx[i] < len(personas) else None
        out.append(
            (
                start + dt.timedelta(days=int(day[i])),
                persona,
                stage,
                touchpoint,
                channel,
                str(metric),
                score,
                comments[comment_idx[i]] or None,
            )
        )
    out.sort(key=lambda r: (r[0], r[2], r[3]))
    return out


def respondent_panel(example: ExampleJourney, seed: int | None = None) -> list[tuple[Any, ...]]:
    """A seeded panel of `example.respondents` respondents, as Evidence rows with a Respondent: each
    answers CSAT at most stages (as `evidence` scores them: worse stages lower) and one NPS (at the last
    stage), which follows their stage answers with `driver_weights` plus noise, so key drivers have a
    planted order of importance to find. [] without a panel.

    Columns: Date, Persona, Stage, Touchpoint, Channel, Metric, Score, Comment, Respondent.
    """
    n, stages = example.respondents, example.stages
    if not n:
        return []
    rng = np.random.default_rng((example.seed if seed is None else seed) + 1)
    mood = np.array(example.lanes[Lane.EMOTION], dtype=float)
    weights = np.array([example.driver_weights.get(s, 0.0) for s in stages])
    personas = [p[0] for p in example.personas]
    latent = 3.4 + 0.7 * mood + rng.normal(0, 1, (n, len(stages)))
    csat = np.clip(np.rint(latent), 1, 5).astype(int)
    skip = np.array([example.skipped_by.get(s, SKIPPED) for s in stages])
    answered = rng.random((n, len(stages))) >= skip
    nps = np.clip(np.rint(7.8 + (latent - 3.4 - 0.7 * mood) @ weights + rng.normal(0, 0.9, n)), 0, 10).astype(int)
    day = rng.integers(0, 365, n)
    persona_idx = rng.integers(0, len(personas) + 1, n)
    pick = rng.random((n, len(stages) + 1))
    start = dt.date(2026, 1, 1)
    out: list[tuple[Any, ...]] = []
    for i in range(n):
        date = start + dt.timedelta(days=int(day[i]))
        persona = personas[persona_idx[i]] if persona_idx[i] < len(personas) else None
        who = f"P{i + 1:04d}"
        for j, stage in enumerate(stages):
            if answered[i, j]:
                touchpoint, channel = _pair(example, stage, pick[i, j])
                out.append((date, persona, stage, touchpoint, channel, "CSAT", int(csat[i, j]), None, who))
        touchpoint, channel = _pair(example, stages[-1], pick[i, -1])
        out.append((date, persona, stages[-1], touchpoint, channel, "NPS", int(nps[i]), None, who))
    return out


def _pair(example: ExampleJourney, stage: str, u: float) -> tuple[str, str]:
    pairs = example.touchpoints[stage]
    return pairs[int(u * len(pairs))]
