"""The web application for staff: server-rendered pages, with htmx for the forms."""
