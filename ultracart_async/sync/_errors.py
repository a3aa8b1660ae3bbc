"""The one error of the blocking client: a blocking call made inside a running event loop."""

from __future__ import annotations

from ultracart_async._exceptions import UltraCartError

__all__ = ["SyncClientInEventLoopError"]


class SyncClientInEventLoopError(UltraCartError, RuntimeError):
    """A blocking method of `SyncCustomerClient` was called inside a running event loop.

    It would stall that loop for the whole request (or deadlock, on the client's own loop).
    In async code use `uc.CustomerClient` and `await` its methods; to use the blocking client
    from async code anyway, run the call in a worker thread
    (`await anyio.to_thread.run_sync(client.get_customer, 56)`).
    """
