"""The leagues the visitors of bench/portal_locustfile.py filter the list by ("" for none), shared with
bench/portal_bench.py, which warms the baseline on the same addresses."""

LEAGUES = ["", "150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200",
           "152500", "152900"]
PAGES = (1, 2, 3)
