"""Customers' wish lists: seeded items (built lazily) plus the items written to them."""

from __future__ import annotations

from ._customers import CustomerRecords
from ._dates import format_dts, now
from ._errors import bad_request, not_found
from ._schema import MAX_LENGTHS
from ._types import JSON

_COMMENTS_MAX = MAX_LENGTHS["wishlist"]["comments"]


class Wishlists:
    """The wish list items of every customer."""

    def __init__(self, customers: CustomerRecords) -> None:
        self._customers = customers
        self._items: dict[int, list[JSON]] = {}

    def items(self, oid: int) -> list[JSON]:
        """The customer's items (400 when the customer does not exist)."""
        self._customers.get(oid)
        if oid not in self._items:
            seeder = self._customers.seeder
            index = seeder.index(oid)
            self._items[oid] = seeder.wishlist(index) if index is not None else []
        return self._items[oid]

    def set_items(self, oid: int, items: list[JSON]) -> None:
        self._items[oid] = items

    def forget(self, oid: int) -> None:
        """Drop the items of a deleted customer."""
        self._items.pop(oid, None)

    def item(self, oid: int, item_oid: int) -> JSON:
        for item in self.items(oid):
            if item["customer_wishlist_item_oid"] == item_oid:
                return item
        raise not_found(f"Wish list item {item_oid} does not exist.")

    def insert(self, oid: int, body: JSON) -> JSON:
        fields = _checked_fields(body)
        if "merchant_item_oid" not in fields:
            raise bad_request("merchant_item_oid is required")
        items = self.items(oid)
        item: JSON = {
            "add_dts": format_dts(now()),
            "comments": "",
            "customer_profile_oid": oid,
            "customer_wishlist_item_oid": self._customers.serial.sub_oid(),
            "position": len(items),
            "priority": 3,
            **fields,
        }
        items.append(item)
        return item

    def update(self, oid: int, item_oid: int, body: JSON) -> JSON:
        fields = _checked_fields(body)
        item = self.item(oid, item_oid)
        item.update(fields)
        return item

    def delete(self, oid: int, item_oid: int) -> None:
        item = self.item(oid, item_oid)
        self._items[oid].remove(item)


def _checked_fields(body: JSON) -> JSON:
    """The writable fields of a CustomerWishListItem body (400 on a wrong type)."""
    item: JSON = {}
    for key in ("merchant_item_oid", "position", "priority"):
        value = body.get(key)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad_request(f"{key} must be an integer")
            item[key] = value
    comments = body.get("comments")
    if comments is not None:
        if not isinstance(comments, str) or len(comments) > _COMMENTS_MAX:
            raise bad_request(f"comments must be a string of at most {_COMMENTS_MAX} characters")
        item["comments"] = comments
    return item
