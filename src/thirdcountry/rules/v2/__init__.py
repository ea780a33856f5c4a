"""The engine of catalogs that screen scenario@2 worlds one transfer at a time: what a rule
and a catalog are, the world and case they read, the catalog data and the language tables."""
