"""Identity resolution in the database: candidate pairs of persons who may be one, the
reviewers' decisions on them, and reversible merges. The model itself is
:mod:`thirdcountry.linkage`, which needs no Django."""
