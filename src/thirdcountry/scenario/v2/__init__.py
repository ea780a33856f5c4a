"""Scenario files of the second version (``thirdcountry/scenario@2``), read by catalog 2026.2."""
