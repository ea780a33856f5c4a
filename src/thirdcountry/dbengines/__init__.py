"""Django's database backends, with the audit trail's entries linked into its chain as the
last thing each transaction does before it commits (:mod:`.sealing`)."""
