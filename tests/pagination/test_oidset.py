"""OidSet: the pager's compact set of handed-out oids behaves as a set of ints."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ultracart_async.pagination._oidset import OidSet

# int64 values, the sentinel's neighbourhood, and a few beyond 64 bits (kept aside in a set).
OIDS = st.integers(-(2**63), 2**63 - 1) | st.sampled_from([-(2**63), 0, 2**63, -(2**70), 2**80])


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


def test_non_int_values_are_only_looked_up() -> None:
    oids = OidSet([1])
    assert "1" not in oids
    assert 1.5 not in oids
    assert 1 in oids
