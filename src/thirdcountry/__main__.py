"""``python -m thirdcountry``: the same as the ``thirdcountry`` command."""

from thirdcountry.cli.main import main

main()
