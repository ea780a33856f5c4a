"""Date and number formats of the interface languages where they differ from Django's own:
English pages write dates as ``YYYY-MM-DD`` (the form every record and document of the
system uses); French pages keep Django's French forms (``1 septembre 2025``, ``1 234,5``)."""
