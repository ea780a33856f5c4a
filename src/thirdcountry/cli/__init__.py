"""The ``thirdcountry`` command line."""
