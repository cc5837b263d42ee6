"""Reach: an SQL pre-filter of who a mentor slot can reach (a superset of the engine's rule)."""

from __future__ import annotations

import sqlalchemy as sa

from jobs.taxonomy import load_taxonomy
from matcher import MentorSlot as EngineSlot
from matcher.blocking import haversine_km
from models.spec import COMMUTE_KM
from models.youth import YouthProfile

#: The longest commute a profile may give (youth_profile's CHECK constraint).
MAX_COMMUTE_KM = COMMUTE_KM.maximum
REACH_BAND_KM = 5


def within_reach_of(slot: EngineSlot) -> list[sa.ColumnElement[bool]]:
    """A condition on profiles that keeps everyone a mentor slot can reach, and few others.

    The engine's rule: the distance is within the mentor's ``max_distance_km`` or within the
    young person's ``max_commute_km``. Postcodes within the mentor's reach qualify as they
    are; farther ones in 5-km bands, for profiles whose commute reaches the band's near edge
    (a superset; the engine then applies the exact rule). Saving a slot at national scale
    then loads and encodes the seekers around it, not all 22,000. No condition when the
    slot's postcode is unknown (the engine reaches nobody from it anyway).
    """
    taxonomy = load_taxonomy()
    pc = taxonomy.postcode_index.get(slot.postcode)
    if pc is None:
        return []
    lat, lon = taxonomy.pc_lat, taxonomy.pc_lon
    km = haversine_km(lat[pc], lon[pc], lat, lon)
    near: list[str] = []
    bands: dict[int, list[str]] = {}
    for code, distance in zip(taxonomy.postcodes, km.tolist(), strict=True):
        if distance <= slot.max_distance_km:
            near.append(code)
        elif distance <= MAX_COMMUTE_KM:
            bands.setdefault(int(distance // REACH_BAND_KM) * REACH_BAND_KM, []).append(code)
    clauses: list[sa.ColumnElement[bool]] = [YouthProfile.postcode.in_(near)] if near else []
    clauses += [
        sa.and_(YouthProfile.postcode.in_(codes), YouthProfile.max_commute_km >= edge)
        for edge, codes in sorted(bands.items())
    ]
    return [sa.or_(*clauses)] if clauses else [sa.false()]
