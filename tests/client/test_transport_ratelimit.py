"""The client-side leaky bucket, on a fake clock (no real waiting)."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

import ultracart_async as uc
from tests.helpers import Script, make_client, reply


class FakeClock:
    """A clock that only moves when someone sleeps (or a test advances it)."""

    def __init__(self, *, advance_on_sleep: bool = True) -> None:
        self.now = 1_000.0
        self.advance_on_sleep = advance_on_sleep
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.advance_on_sleep:
            self.now += seconds
        await anyio.lowlevel.checkpoint()


def limiter(clock: FakeClock, **kwargs: float) -> uc.RateLimit:
    return uc.RateLimit(clock=clock, sleep=clock.sleep, **kwargs)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_burst_then_one_call_per_interval() -> None:
    clock = FakeClock()
    rl = limiter(clock, per_hour=3600, per_day=1_000_000, burst=3)
    waits = [await rl.acquire() for _ in range(6)]
    assert waits == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    assert rl.waits == 3
    assert rl.waited_seconds == 3.0


@pytest.mark.anyio
async def test_ultracart_defaults_allow_the_hourly_quota_then_space_calls() -> None:
    clock = FakeClock()
    rl = limiter(clock)
    assert (rl.per_hour, rl.per_day) == (1000, 10_000)
    waits = [await rl.acquire() for _ in range(1002)]
    assert waits[:1000] == [0.0] * 1000
    assert waits[1000:] == [pytest.approx(3.6), pytest.approx(3.6)]


@pytest.mark.anyio
async def test_daily_bucket_limits_when_it_is_the_tighter_one() -> None:
    clock = FakeClock()
    rl = limiter(clock, per_hour=360_000, per_day=8640, burst=2)  # day: one per 10 s
    waits = [await rl.acquire() for _ in range(4)]
    assert waits == [0.0, 0.0, pytest.approx(10.0), pytest.approx(10.0)]


@pytest.mark.anyio
async def test_bucket_leaks_while_idle() -> None:
    clock = FakeClock()
    rl = limiter(clock, per_hour=3600, per_day=1_000_000, burst=2)
    assert [await rl.acquire() for _ in range(2)] == [0.0, 0.0]
    clock.now += 1.0  # one interval later, one call's worth has leaked out
    assert await rl.acquire() == 0.0
    assert await rl.acquire() == 1.0


@pytest.mark.anyio
async def test_waiters_are_served_in_call_order() -> None:
    clock = FakeClock(advance_on_sleep=False)
    rl = limiter(clock, per_hour=3600, per_day=1_000_000, burst=1)
    got: dict[int, float] = {}

    async def caller(index: int) -> None:
        got[index] = await rl.acquire()

    async with anyio.create_task_group() as tg:
        for index in range(5):
            tg.start_soon(caller, index)
            await anyio.lowlevel.checkpoint()  # let it reserve before the next one starts
    assert [got[i] for i in range(5)] == [0.0, 1.0, 2.0, 3.0, 4.0]


@pytest.mark.anyio
async def test_cancelled_waiter_gives_its_slot_back() -> None:
    clock = FakeClock(advance_on_sleep=False)
    blocked = anyio.Event()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if not blocked.is_set():  # the first waiter hangs until cancelled
            blocked.set()
            await anyio.sleep_forever()

    rl = uc.RateLimit(per_hour=3600, per_day=1_000_000, burst=1, clock=clock, sleep=sleep)
    assert await rl.acquire() == 0.0
    async with anyio.create_task_group() as tg:
        tg.start_soon(rl.acquire)
        await blocked.wait()
        tg.cancel_scope.cancel()
    assert await rl.acquire() == 1.0  # not 2.0: the cancelled call's slot was returned
    assert sleeps == [1.0, 1.0]


@pytest.mark.anyio
async def test_real_sleep_small_rate() -> None:
    rl = uc.RateLimit(per_hour=360_000, per_day=10_000_000, burst=1)  # one per 10 ms
    waits = [await rl.acquire() for _ in range(3)]
    assert waits[0] == 0.0
    assert all(0.0 < w <= 0.01 + 1e-9 for w in waits[1:])
    assert rl.waits == 2


def test_invalid_rates_are_rejected() -> None:
    with pytest.raises(uc.InvalidInputError, match="per_hour"):
        uc.RateLimit(per_hour=0)
    with pytest.raises(uc.InvalidInputError, match="burst"):
        uc.RateLimit(burst=0)
    assert repr(uc.RateLimit()) == "RateLimit(per_hour=1000, per_day=10000, burst=None)"


@pytest.mark.anyio
async def test_client_views_and_retries_share_one_limiter() -> None:
    clock = FakeClock()
    rl = limiter(clock, per_hour=3600, per_day=1_000_000, burst=1)
    script = Script(reply(503, {}), reply(200, {}))
    async with make_client(script, rate_limit=rl) as client:
        view = client.with_options(timeout=5)
        assert view.rate_limit is rl
        await client.get_customer(1)  # two attempts: two slots
        await view.get_customer(2)
    assert len(script.requests) == 3
    assert clock.sleeps == [1.0, 1.0]
