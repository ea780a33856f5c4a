"""Users, roles and what each role may do."""
