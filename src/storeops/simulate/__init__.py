"""The synthetic company: deterministic, vectorised, from a demo to tens of millions of rows."""
