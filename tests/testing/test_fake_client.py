"""`fake.client()`: the real CustomerClient against FakeUltraCart, all 29 operations and faults."""

from __future__ import annotations

import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async._constants import CUSTOMER_EXPANSIONS
from ultracart_async.testing import OPERATIONS, FakeUltraCart

EMAIL_LIST = "5f1f8a52-0000-4000-8000-000000000001"


async def exercise_client_operations(client: uc.CustomerClient, fake: FakeUltraCart) -> set[str]:
    """Call all 29 operations through `client`; the operationIds called."""
    called: set[str] = set()
    first, second, third = fake.customer_oids()[:3]

    def done(name: str) -> None:
        called.add(name)

    page = await client.get_customers(limit=5, offset=1, sort="-email", expand="billing")
    assert page.customers is not None
    assert len(page.customers) == 5
    done("get_customers")
    query = models.CustomerQuery(billing_country_code="US")
    await client.get_customers_by_query(query, limit=3, sort="+billing.last_name")
    done("get_customers_by_query")
    await client.search_customers(search_string="a", limit=3)
    done("search_customers")
    tables = await client.get_customers_for_data_tables(expand="billing")
    assert tables.data
    done("get_customers_for_data_tables")
    full = (await client.get_customer(first, expand=",".join(CUSTOMER_EXPANSIONS))).customer
    assert full is not None
    assert full.email is not None
    assert full.billing
    done("get_customer")
    by_email = await client.get_customer_by_email(full.email)
    assert by_email.customer is not None
    assert by_email.customer.customer_profile_oid == first
    done("get_customer_by_email")
    created = await client.insert_customer(
        models.Customer(
            email="client.made@example.com",
            billing=[models.CustomerBilling(first_name="Cli", last_name="Ent")],
        ),
        expand="billing",
    )
    assert created.customer is not None
    new_oid = created.customer.customer_profile_oid
    assert new_oid is not None
    done("insert_customer")
    await client.update_customer(models.Customer(fax="555-0199"), new_oid, expand="billing")
    done("update_customer")
    await client.get_customer_loyalty(first)
    done("get_customer_loyalty")
    points = await client.adjust_loyalty_points(
        first, models.AdjustLoyaltyPointsRequest(loyalty_points=10)
    )
    assert points.loyalty_points == 10
    done("adjust_loyalty_points")
    await client.adjust_internal_certificate(
        first, models.AdjustInternalCertificateRequest(adjustment_amount=1.5)
    )
    done("adjust_internal_certificate")
    await client.add_customer_store_credit(
        first, models.CustomerStoreCreditAddRequest(amount=4.0, description="test")
    )
    done("add_customer_store_credit")
    await client.get_customer_store_credit(first)
    done("get_customer_store_credit")
    await client.get_customer_email_lists()
    done("get_customer_email_lists")
    await client.update_customer_email_lists(
        first, models.CustomerEmailListChanges(add_to_lists=[EMAIL_LIST])
    )
    done("update_customer_email_lists")
    await client.update_customer_email_suppression(
        first, models.CustomerEmailSuppressionRequest(clear_bounce=True)
    )
    done("update_customer_email_suppression")
    token = await client.get_email_verification_token(
        models.EmailVerifyTokenRequest(email=full.email)
    )
    assert token.token is not None
    done("get_email_verification_token")
    await client.validate_email_verification_token(
        models.EmailVerifyTokenValidateRequest(token=token.token)
    )
    done("validate_email_verification_token")
    link = await client.get_magic_link(first, "shop.example.com")
    assert link.url is not None
    done("get_magic_link")
    item = await client.insert_wish_list_item(
        first, models.CustomerWishListItem(merchant_item_oid=9001)
    )
    assert item.customer_wishlist_item_oid is not None
    done("insert_wish_list_item")
    await client.get_customer_wish_list(first)
    done("get_customer_wish_list")
    await client.get_customer_wish_list_item(first, item.customer_wishlist_item_oid)
    done("get_customer_wish_list_item")
    await client.update_wish_list_item(
        first, item.customer_wishlist_item_oid, models.CustomerWishListItem(priority=1)
    )
    done("update_wish_list_item")
    await client.delete_wish_list_item(first, item.customer_wishlist_item_oid)
    done("delete_wish_list_item")
    await client.get_customer_editor_values()
    done("get_customer_editor_values")
    await client.get_quick_books_online_customers(q="a")
    done("get_quick_books_online_customers")
    await client.search_customer_profile_values(models.LookupRequest(category="billing_state"))
    done("search_customer_profile_values")
    await client.merge_customer(models.CustomerMergeRequest(customer_profile_oid=third), second)
    done("merge_customer")
    await client.delete_customer(new_oid)
    done("delete_customer")
    return called


@pytest.mark.anyio
async def test_client_drives_every_operation(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    async with fake.client() as client:
        called = await exercise_client_operations(client, fake)
    assert called == set(OPERATIONS)
    assert {record.operation for record in fake.requests} == set(OPERATIONS)
    assert all(record.status in (200, 204) for record in fake.requests)


@pytest.mark.anyio
async def test_client_sees_faults_as_typed_errors(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    async with fake.client(max_retries=0) as client:
        fake.inject("commit_then_drop")
        with pytest.raises(uc.WriteOutcomeUnknownError):
            await client.insert_customer(models.Customer(email="maybe@example.com"))
        assert fake.find_customer_oid("maybe@example.com") is not None
        fake.inject("html_502")
        with pytest.raises(uc.APIStatusError):
            await client.get_customer_email_lists()
        with pytest.raises(uc.BadRequestError):
            await client.get_customer(1)
    async with fake.client(simple_key="wrong") as client:
        with pytest.raises(uc.AuthenticationError):
            await client.get_customer_email_lists()
