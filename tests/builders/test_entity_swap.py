"""Entity/number swap: the question names something the passage never mentions."""

from __future__ import annotations

import re
from random import Random

from abstain_data.builders.entity_swap import EntitySwap, shift_number
from abstain_data.items import Category, normalize_key
from abstain_data.pipeline.step import BuildContext

from .conftest import WalkedDocs

ROME = ("Odoacer deposed Romulus Augustulus, the last emperor of the Western Roman Empire, "
        "in 476. Constantinople remained the capital of the Eastern Roman Empire.")


def test_year_moved_to_one_the_passage_never_mentions(ctx, seed, run):
    parent = seed("Which emperor did Odoacer depose in 476?", ["Romulus Augustulus"], ROME,
                  record="r#0")
    out = run(EntitySwap(ctx), [parent])
    (variant,) = out.variants("entity_swap")
    assert variant.category is Category.CTX_ENTITY_SWAP
    swapped, new = variant.transform.params["swapped"], variant.transform.params["with"]
    assert variant.prompt == parent.prompt.replace(swapped, new)
    assert f" {normalize_key(new)} " not in f" {normalize_key(ROME)} "
    assert variant.label_status.value == "auto"


def test_name_swapped_for_another_question_name_absent_from_passage(ctx, seed, run):
    paris = seed("Which river flows through Paris?", ["the Seine"],
                 "The Seine flows through Paris before it reaches the sea.", record="r#0")
    vienna = seed("Which river flows through Vienna?", ["the Danube"],
                  "The Danube flows through Vienna and Budapest.", record="r#1")
    out = run(EntitySwap(ctx), [paris, vienna])
    by_parent = {v.parent_id: v for v in out.variants("entity_swap")}
    # each variant is word for word its sibling's answerable question, but over a passage that
    # never names the new city: the near-duplicate gate only counts items on the same passage
    assert by_parent[paris.id].prompt == "Which river flows through Vienna?"
    assert by_parent[paris.id].context == paris.context
    assert by_parent[vienna.id].prompt == "Which river flows through Paris?"


def test_no_swap_to_a_name_the_passage_mentions(ctx, seed, run):
    # the only other city of the build is named in Paris's passage: nothing to swap in
    paris = seed("Which river flows through Paris?", ["the Seine"],
                 "The Seine flows through Paris; Vienna lies on another river.", record="r#0")
    vienna = seed("Which river flows through Vienna?", ["the Danube"],
                  "The Danube flows through Vienna.", record="r#1")
    out = run(EntitySwap(ctx), [paris, vienna])
    assert [v.parent_id for v in out.variants("entity_swap")] == [vienna.id]


def test_shift_number_avoids_values_in_passage():
    passage = normalize_key("It happened in 1927, 1928 and 1929.")
    for k in range(20):
        new = shift_number("in 1928", passage, Random(k))
        assert new is not None
        assert new not in ("in 1927", "in 1928", "in 1929")


def test_never_swaps_in_a_name_the_question_already_has(ctx, seed, run):
    # "Germany" is the only other GPE of the build, and the question names it already
    passage = "Prussia and Germany expected to amass a million soldiers."
    first = seed("Together, Prussia and Germany expected to amass how many soldiers?",
                 ["1,000,000"], passage, record="r#0")
    other = seed("Where is Germany?", ["Europe"], "Germany is in Europe.", record="r#1")
    out = run(EntitySwap(ctx), [first, other])
    for variant in out.variants("entity_swap"):
        if variant.parent_id == first.id:
            assert "Germany and Germany" not in variant.prompt
            assert variant.transform.params["label"] != "GPE"


def test_decades_move_by_decades():
    for k in range(10):
        new = shift_number("the 1940s", normalize_key("In the 1940s few travelled."), Random(k))
        assert new in ("the 1910s", "the 1920s", "the 1930s", "the 1950s", "the 1960s",
                       "the 1970s")


def test_swapped_name_keeps_the_article(ctx, seed, run):
    atlantic = seed("Who first sailed across the Atlantic Ocean alone?", ["Joshua Slocum"],
                    "Joshua Slocum first sailed across the Atlantic Ocean alone.", record="r#0")
    pacific = seed("Who first rowed across the Pacific Ocean?", ["John Fairfax"],
                   "John Fairfax first rowed across the Pacific Ocean.", record="r#1")
    # each ocean is named (and labelled the same) in two questions of the build
    again = [seed(f"How deep is the {ocean} Ocean?", ["x"], f"The {ocean} Ocean is deep.",
                  record=f"r#{k + 2}") for k, ocean in enumerate(["Atlantic", "Pacific"])]
    out = run(EntitySwap(ctx), [atlantic, pacific, *again])
    prompts = {v.parent_id: v.prompt for v in out.variants("entity_swap")}
    assert prompts[atlantic.id] == "Who first sailed across the Pacific Ocean alone?"
    assert prompts[pacific.id] == "Who first rowed across the Atlantic Ocean?"


def test_a_place_mislabelled_as_a_person_never_gets_a_person(ctx, seed, run):
    # spaCy's small model calls Hastings a PERSON here; Robert Crispin is a person
    hastings = seed("Who was the duke in the battle of Hastings?", ["William"],
                    "William was the duke who won the battle of Hastings in 1066.", record="r#0")
    crispin = [seed("Who was Robert Crispin?", ["a Norman"], f"Robert Crispin was a Norman {k}.",
                    record=f"r#{k + 1}") for k in range(2)]
    out = run(EntitySwap(ctx), [hastings, *crispin])
    assert not [v for v in out.variants("entity_swap") if "Crispin" in v.prompt
                and v.parent_id == hastings.id]


def test_a_city_is_swapped_only_for_a_city(ctx, seed, run):
    paris = seed("Which river flows through Paris?", ["the Seine"],
                 "The Seine flows through Paris before it reaches the sea.", record="r#0")
    france = [seed("What is the capital of France?", ["Paris"], f"France {k} has a capital.",
                   record=f"r#{k + 1}") for k in range(2)]
    out = run(EntitySwap(ctx), [paris, *france])
    assert not [v for v in out.variants("entity_swap")
                if v.parent_id == paris.id and "France" in v.prompt]


def test_a_swap_takes_the_article_of_the_new_name(ctx, seed, run):
    usa = seed("What is the population of the United States?", ["330 million"],
               "The United States has about 330 million people.", record="r#0")
    peru = [seed("What is the capital of Peru?", ["Lima"], f"Lima is the capital of Peru {k}.",
                 record=f"r#{k + 1}") for k in range(2)]
    out = run(EntitySwap(ctx), [usa, *peru])
    (variant,) = [v for v in out.variants("entity_swap") if v.parent_id == usa.id]
    assert variant.prompt == "What is the population of Peru?"


def test_a_percentage_stays_a_percentage_and_a_census_year_a_census_year():
    rng = Random(0)
    for _ in range(20):
        moved = shift_number("99%", "", rng, limit=100)
        assert moved is not None and int(moved.rstrip("%")) <= 100
        year = shift_number("2000", "", rng, every=10)
        assert year is not None and int(year) % 10 == 0 and year != "2000"


def test_a_day_beside_its_month_stays_a_valid_day(ctx, seed, run):
    # a blind reviewer flagged "January 75 1918" (25 + 2 x 25): a day moves within 1..28
    passage = ("The Third All-Russian Congress of Soviets met on January 25 1918 in Petrograd. "
               "It ratified the dissolution of the Constituent Assembly.")
    for n in range(12):
        parent = seed("Which congress met on January 25 1918?", ["the Third"], passage,
                      record=f"d#{n}")
        (variant,) = run(EntitySwap(BuildContext(seed=n)), [parent]).variants("entity_swap")
        day = re.search(r"January (\d+)", variant.prompt)
        assert day is None or 1 <= int(day.group(1)) <= 28, variant.prompt


def test_years_of_a_range_stay_and_a_new_year_avoids_the_passages_ranges():
    # a blind review found "for 2017-15" (from 2014-15) and "in 1964" (the passage: 1941-1970)
    passage = normalize_key("From 1941-1970 there were twelve delegaciones. In 2014-15 the club "
                            "reported a profit.")
    for n in range(20):
        rng = Random(n)
        assert shift_number("2014-15", passage, rng) is None
        assert shift_number("the 2014/15 season", passage, rng) is None
        assert shift_number("1941–1970", passage, rng) is None
        moved = shift_number("1939", passage, rng)
        assert moved is not None and not 1941 <= int(moved) <= 1970, moved
        assert shift_number("1950", passage, rng) is None  # every year near it is covered


def test_a_large_count_moves_by_a_tenth_or_more_of_itself() -> None:
    for k in range(40):
        moved = shift_number("over 100,000 people", "", Random(k))
        value = int(moved.split()[1].replace(",", ""))
        assert abs(value - 100_000) >= 10_000 and value % 10_000 == 0, moved
        small = shift_number("7 children", "", Random(k))
        assert small != "7 children" and int(small.split()[0]) > 0


def test_a_day_before_a_comma_keeps_its_comma_and_stays_a_day() -> None:
    for k in range(40):
        moved = shift_number("March 26, 2013", "", Random(k), limit=28)
        day = int(moved.split()[1].rstrip(","))
        assert moved.endswith(", 2013") and 1 <= day <= 28 and day != 26, moved


def test_a_swapped_count_in_a_question_asking_an_amount_goes_to_review(ctx, seed, run):
    """The passage gives a rate, so "how many per 80,000" follows from "per 100,000"."""
    rate = ("In 2007 Swaziland had 1,200 cases of tuberculosis per 100,000 people, one of the "
            "highest rates in the world.")
    parent = seed("Out of every 100,000 people in Swaziland, how many had tuberculosis?",
                  ["1,200"], rate, record="r#0")
    (variant,) = run(EntitySwap(ctx), [parent]).variants("entity_swap")
    assert variant.transform.params["swapped"] == "100,000"
    assert variant.label_status.value == "needs_review"
    assert variant.review["queue_reason"] == "scalable_number"


def test_a_past_year_never_moves_after_the_reference_year(seed, run):
    # "Which country became the twentieth member of the euro area in 2030?" (default build,
    # reference year 2026) asks about the future in the past tense
    passage = "Croatia became the twentieth member of the euro area in 2023."
    years = set()
    for n in range(16):
        parent = seed("Which country became the twentieth member of the euro area in 2023?",
                      ["Croatia"], passage, record=f"e#{n}")
        ctx = BuildContext(seed=n, reference_year=2026)
        for variant in run(EntitySwap(ctx), [parent]).variants("entity_swap"):
            found = re.search(r"\b(\d{4})\b", variant.prompt)
            if found:
                years.add(int(found.group(1)))
    assert years and max(years) <= 2026, years


def test_a_swapped_rate_base_goes_to_review(ctx, seed, run):
    # round r22 answered "What was the 2010 maternal mortality rate per 300,000 births?" by
    # proportion from the passage's rate per 100,000
    passage = "In 2010 the maternal mortality rate was 1,000 per 100,000 births in Somalia."
    for n in range(8):
        parent = seed("What was the 2010 maternal mortality rate per 100,000 births?",
                      ["1,000"], passage, record=f"m#{n}")
        for variant in run(EntitySwap(BuildContext(seed=n)), [parent]).variants("entity_swap"):
            if "100,000" not in variant.prompt:
                assert variant.label_status.value == "needs_review", variant.prompt


def test_an_end_of_a_range_in_words_is_never_moved(seed, run):
    # round r23: "deaths between the 1830s and 1880s" (from 1860s) still held the passage's
    # 1860s epidemic
    passage = ("Smallpox epidemics in the 1830s and 1860s caused numerous deaths. Cholera "
               "reached the city in 1849. The war lasted from 1914 to 1918.")
    questions = ["What epidemic resulted in numerous deaths between the 1830s and 1860s?",
                 "How many people died between 1914 and 1918?",
                 "Which war lasted from 1914 to 1918?"]
    for n in range(8):
        parents = [seed(q, ["x"], passage, record=f"e#{n}-{k}") for k, q in enumerate(questions)]
        variants = run(EntitySwap(BuildContext(seed=n)), parents).variants("entity_swap")
        for variant in variants:
            assert variant.transform.params["label"] not in ("DATE", "CARDINAL"), variant.prompt


def test_a_number_the_passage_writes_in_a_name_is_never_moved(seed, run):
    # round r23 read "When did the 260 surrender its lead in total sales?" as a typo for the
    # Xbox 360, so it answered it
    passage = "The Xbox 360 led total sales until June 2008, when the Wii overtook it."
    for n in range(8):
        parent = seed("When did the 360 surrender its lead in total sales?", ["June 2008"],
                      passage, record=f"x#{n}")
        for variant in run(EntitySwap(BuildContext(seed=n)), [parent]).variants("entity_swap"):
            assert "360" in variant.prompt, variant.prompt


def test_prepare_walks_the_seeds_parses_once(ctx, seed):
    seeds = [seed(q, ["x"], "A passage.", topic="people", record=f"r#{k}")
             for k, q in enumerate(["When was John Smith born?", "Where did John Miller live?",
                                    "Which river flows through Paris?"])]
    parsed = ctx.nlp.pipe(s.prompt for s in seeds)
    docs = WalkedDocs({s.record: doc for s, doc in zip(seeds, parsed, strict=True)})
    builder = EntitySwap(ctx)
    builder.prepare(seeds, docs)
    assert (docs.walks, docs.lookups) == (1, 0)
    assert builder.first_names == {"John"}
    assert "Paris" in builder.pool[("people", "GPE")]
    assert builder.votes["John Smith"]["PERSON"] == 1
