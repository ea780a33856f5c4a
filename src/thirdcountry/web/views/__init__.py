"""The web application's views: pages that read (``pages``), forms that record facts
(``recording``), the oversight pages (``oversight``) and the user's profile (``profile``)."""
