"""How many queries a public page may cost to make."""

# The page, the practice settings, the menu and the home page's services (4), then the page cache's
# content version and schedule, which says whether a scheduled change is due (pages/freshness/page_cache.py,
# 2); once saved, a page costs one (tests/practice/test_page_cache.py).
BUDGET = 6
