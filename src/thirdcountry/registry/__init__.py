"""The registry: reference codes, countries' assessments, arrangements and court orders."""
