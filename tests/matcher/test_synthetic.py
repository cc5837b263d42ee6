from matcher import Taxonomy
from matcher.synthetic import generate


def test_small_population_around_given_municipalities(real_taxonomy: Taxonomy) -> None:
    pop = generate(real_taxonomy, 50, 40, 10, random_state=3, municipalities=("101", "147"))
    assert (len(pop.youths), len(pop.openings), len(pop.mentor_slots)) == (50, 40, 10)
    muni = dict(zip(real_taxonomy.postcodes, real_taxonomy.pc_municipality, strict=True))
    places = [x.postcode for x in (*pop.youths, *pop.openings, *pop.mentor_slots)]
    assert {muni[p] for p in places} <= {"101", "147"}
    assert set(pop.truth) == {y.id for y in pop.youths}
    assert all(uri in real_taxonomy.occ_index for uri in pop.truth.values())


def test_same_seed_same_population(real_taxonomy: Taxonomy) -> None:
    a = generate(real_taxonomy, 20, 15, 5, random_state=11)
    b = generate(real_taxonomy, 20, 15, 5, random_state=11)
    c = generate(real_taxonomy, 20, 15, 5, random_state=12)
    assert a == b
    assert a.youths != c.youths


def test_empty_sizes(real_taxonomy: Taxonomy) -> None:
    pop = generate(real_taxonomy, 0, 0, 0)
    assert pop.youths == [] and pop.openings == [] and pop.mentor_slots == []
