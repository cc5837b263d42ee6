"""What a youth's profile points to besides the wishes: the few occupations their skills,
former jobs and interests make most likely, each with its reasons (the caseworker's "Mulige
fag" / "Possible occupations"). Built on the inference of :mod:`matcher.infer` and the
vocabulary of :mod:`matcher.encode`; see matcher/README.md."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.encode import Vocabulary
from matcher.taxonomy import Taxonomy
from matcher.types import Youth


@dataclass(frozen=True)
class PossibleOccupation:
    """One occupation a youth's profile points to, with what points there (for the
    caseworker's "Mulige fag" / "Possible occupations")."""

    uri: str
    label_da: str
    label_en: str
    probability: float
    skills_da: tuple[str, ...]  # the youth's skills that belong to the occupation
    skills_en: tuple[str, ...]
    from_experience: bool  # a former job in the occupation (or its ISCO 4-digit group)
    matched: int  # how many of the youth's recognised skills belong to it
    recognised: int  # how many of the youth's skills were recognised as ESCO skills

    def label(self, locale: str) -> str:
        return self.label_en if locale.startswith("en") else self.label_da

    def skills(self, locale: str) -> tuple[str, ...]:
        return self.skills_en if locale.startswith("en") else self.skills_da


def possible_occupations(taxonomy: Taxonomy, youth: Youth, n: int = 5) -> list[PossibleOccupation]:
    """The ``n`` occupations the youth's skills, former jobs and interests point to most,
    with their reasons. Wishes are not used (this is what the profile says besides them)."""
    vocab = Vocabulary(taxonomy)
    concepts = [c for c in vocab.skill_concepts(list(youth.skills)) if c >= 0]
    n_sk = taxonomy.n_skills
    skills = list(dict.fromkeys(c for c in concepts if c < n_sk))
    jobs = {c - n_sk for c in concepts if n_sk <= c < vocab.text_offset}
    jobs |= {o for o in vocab.occupations(list(youth.former_jobs)) if o >= 0}
    model = taxonomy.occupation_model
    inferred = model.infer([skills], [sorted(jobs)], [youth.interests])
    isco = taxonomy.occ_isco4
    job_groups = {int(isco[o]) for o in jobs if isco[o] >= 0}
    out: list[PossibleOccupation] = []
    for o, p in zip(inferred.occ[0].tolist(), inferred.prob[0].tolist(), strict=True):
        if o < 0 or len(out) >= n:
            break
        own = model.supporting_skills(skills, o)
        out.append(
            PossibleOccupation(
                uri=taxonomy.occ_uris[o],
                label_da=taxonomy.occ_label_da[o],
                label_en=taxonomy.occ_label_en[o],
                probability=float(p),
                skills_da=tuple(taxonomy.skill_label(s, "da") for s in own),
                skills_en=tuple(taxonomy.skill_label(s, "en") for s in own),
                from_experience=o in jobs or int(isco[o]) in job_groups,
                matched=len(own),
                recognised=len(skills),
            )
        )
    return out
