"""Words for simulated titles, copy, reviews and names (deterministic picks from the caller's RNG)."""

from __future__ import annotations

import numpy as np

from storeops.simulate.world import CategorySpec

BRANDS = (
    "Lumora",
    "Kivano",
    "Nestiq",
    "Oakridge",
    "Velto",
    "Zenvy",
    "Pawsome",
    "Trekka",
    "Glowbit",
    "Brisa",
)
BANNED_WORDS = ("Best Seller", "Free Shipping", "100% Guaranteed", "Hot Sale")
BENEFITS = (
    "Premium materials tested for daily use",
    "Easy to install in under a minute, no tools needed",
    "Compact design that fits in a bag or drawer",
    "Backed by a 12-month warranty and friendly support",
    "Safe for the whole family, certified for your market",
    "Ideal gift for birthdays, holidays and housewarmings",
    "Designed in Hangzhou, loved by buyers in 40+ countries",
)
REVIEW_TEXT: dict[int, tuple[str, ...]] = {
    5: ("Exactly as described, great value!", "Fast delivery and excellent quality.", "Love it, buying another one.",
        "Works perfectly, highly recommend.", "Better than expected for the price."),
    4: ("Good product, shipping took a bit long.", "Nice quality, the colour is slightly different.",
        "Does the job well.", "Good value overall."),
    3: ("Okay for the price.", "Average quality, packaging was damaged.", "It works but feels cheap."),
    2: ("Stopped working after two weeks.", "Not as pictured.", "Size is smaller than described."),
    1: ("Arrived broken.", "Never received the right item.", "Poor quality, requested a refund."),
}  # fmt: skip
INQUIRY_SUBJECTS = (
    "Price for {q} pcs?",
    "Can you do custom logo?",
    "MOQ and lead time?",
    "Sample available?",
    "Shipping cost to {c}?",
    "Do you have CE certificate?",
    "OEM packaging possible?",
)
RFQ_PHRASES = (
    "Looking for {n}, {q} pcs, need quotation",
    "Wholesale {n} with private label",
    "{n} supplier wanted",
)
B2C_QUESTIONS = ("Is this compatible with my model?", "When will my order ship?", "Can I change the colour?",
                 "Where is my parcel?", "Do you have this in stock?")  # fmt: skip


def product_names(
    rng: np.random.Generator, category: CategorySpec, count: int
) -> list[tuple[str, str]]:
    """English and Chinese names for ``count`` products of a category."""
    names = []
    for i in range(count):
        noun = category.nouns[int(rng.integers(len(category.nouns)))]
        adjective = category.adjectives[int(rng.integers(len(category.adjectives)))]
        model = f"{chr(65 + i % 26)}{int(rng.integers(10, 99))}"
        names.append((f"{adjective} {noun} {model}", f"{category.name_zh}-{noun} {model}"))
    return names


def listing_title(rng: np.random.Generator, name_en: str, brand: str, completeness: float) -> str:
    """A marketplace title; a few get too-short titles or words platforms ban in titles."""
    if completeness < 0.03:
        return name_en.split()[-2]  # far too short
    extras = [
        "for Home Office Travel",
        "Gift for Men Women",
        "2 Pack",
        "Upgraded Version",
        "with Storage Case",
    ]
    title = f"{brand} {name_en}, {extras[int(rng.integers(len(extras)))]}"
    if completeness < 0.07:
        title += f" - {BANNED_WORDS[int(rng.integers(len(BANNED_WORDS)))]}"
    return title
