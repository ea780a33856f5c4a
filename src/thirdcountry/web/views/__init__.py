"""The web application's views: pages that read (``pages``) and forms that record facts
(``recording``)."""
