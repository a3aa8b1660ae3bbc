"""What mypy --strict sees: each blocking method's result has the async method's awaited type.

The assignments below are checked by the project's mypy run (a wrong or awaitable result type
fails it); the test also runs them against FakeUltraCart.
"""

from __future__ import annotations

import ultracart_async as uc
from ultracart_async import models
from ultracart_async.testing import FakeUltraCart

from .helpers import make_client


def test_results_have_the_async_methods_types() -> None:
    fake = FakeUltraCart(customers=30, seed=2)
    oid = fake.customer_oids()[0]
    with make_client(fake) as client:
        view: uc.SyncCustomerClient = client.with_options(timeout=5)
        one: models.CustomerResponse = view.get_customer(oid)
        page: models.CustomersResponse = client.get_customers(limit=5)
        by_query: models.CustomersResponse = client.get_customers_by_query(models.CustomerQuery())
        lists: models.EmailListsResponse = client.get_customer_email_lists()
        values: models.CustomerEditorValues = client.get_customer_editor_values()
        credit: models.CustomerStoreCreditResponse = client.get_customer_store_credit(oid)
        wish: models.CustomerWishListItemsResponse = client.get_customer_wish_list(oid)
        customers: uc.SyncCustomerIterator = client.iter_customers(page_size=10)
        first: models.Customer = next(customers)
        pages: uc.SyncCustomerPageIterator = client.iter_search_customers_pages(page_size=10)
        with pages:
            top: models.CustomersResponse = next(pages)
        stats: uc.PagerStats = customers.stats
        deleted: None = client.delete_customer(oid)  # type: ignore[func-returns-value]
        closed: bool = client.is_closed
    assert one.customer is not None
    assert [page.customers, by_query.customers, top.customers].count(None) == 0
    assert [lists.success, credit.success, wish.success] == [True, True, True]
    assert values.countries
    assert first.customer_profile_oid == oid
    assert (stats.pages, deleted, closed) == (1, None, False)
