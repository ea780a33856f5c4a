"""Rule 13: no court order or interim measure stops the transfer."""

from thirdcountry.rules.catalog import Logic, _, blocked, col, court_orders, passes, rule


@rule(
    13,
    "court-order",
    title=_("No court order in effect stops the transfer"),
    basis=_(
        "the order itself (e.g. a stay, an injunction, a Rule 39 interim measure of the "
        "European Court of Human Rights)"
    ),
    reads=("court_orders",),
)
def court_order() -> Logic:
    return Logic(
        checks=[
            blocked(
                col("court_orders").list.len() > 0,
                "order-in-effect",
                _("court orders in effect stop this transfer: {orders}"),
                orders=court_orders("court_orders"),
            ),
        ],
        passes=passes("no-order", _("no court order in effect covers this transfer")),
    )
