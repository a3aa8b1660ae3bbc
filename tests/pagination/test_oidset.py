"""OidSet: the pager's compact set of handed-out oids behaves as a set of ints."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ultracart_async.pagination._oidset import OidSet

# 32-bit values (the usual table), int64 ones (which widen it), the sentinels and their
# neighbours, and a few beyond 64 bits (kept aside in a set).
EDGES = [-(2**63), -(2**31), 2**31 - 1, 2**31, 0, 2**63, -(2**70), 2**80]
OIDS = st.integers(-(2**31), 2**31) | st.integers(-(2**63), 2**63 - 1) | st.sampled_from(EDGES)


@given(st.lists(OIDS, max_size=300), st.lists(OIDS, max_size=50))
def test_agrees_with_a_set(added: list[int], probes: list[int]) -> None:
    oids = OidSet()
    reference: set[int] = set()
    for oid in added:
        assert oids.add(oid) is (oid not in reference)
        reference.add(oid)
    assert len(oids) == len(reference)
    assert sorted(oids) == sorted(reference)
    for oid in [*added, *probes]:
        assert (oid in oids) is (oid in reference)


def test_grows_past_many_resizes_with_sequential_and_strided_oids() -> None:
    oids = OidSet(range(100_000, 160_000))
    oids.update(range(0, 30_000 * 7919, 7919))
    assert len(oids) == len(set(range(100_000, 160_000)) | set(range(0, 30_000 * 7919, 7919)))
    assert 159_999 in oids
    assert 160_000 not in oids
    assert not oids.add(7919 * 12)
    assert oids.add(-1)


def test_slots_are_32_bits_until_an_oid_needs_64() -> None:
    oids = OidSet(range(1_000))
    assert oids._table.itemsize == 4
    assert oids.add(2**40)
    assert oids._table.itemsize == 8
    assert sorted(oids) == [*range(1_000), 2**40]


def test_non_int_values_are_only_looked_up() -> None:
    oids = OidSet([1])
    assert "1" not in oids
    assert 1.5 not in oids
    assert 1 in oids
