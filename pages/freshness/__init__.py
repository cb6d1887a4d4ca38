"""
Page freshness: how every cached page and every value kept between requests learns of an edit.

One number, the **content version** (`version.py`, a one-row table), says whether anything a
visitor's page shows may have changed. **Triggers** (`triggers.py`, installed by migrations pages
0009, intake 0009 and booking 0005) move it in the same transaction as any insert, update, delete or
truncate of the tables pages show: pages, sections, revisions, redirects, photos, the practice
settings, the form's choices and the consultation hours. However the change is made (admin,
`update()`, `bulk_create()`, a script, a restore), the number moves with it, and being in PostgreSQL
it is the same for every worker and container. The only other thing that changes what a page shows is
the clock: a scheduled page or draft going live (`Page.objects.next_change_at()`).

Each request reads the version once (`version_query.py`: a statement prepared once per connection,
which also stands in for Django's connection health check). Then:

- **Per-version values** (`per_version.py`): the practice settings (`pages/models/practice.py`),
  the menu (`pages/context_processors.py`), the form's choices (`intake/form/options.py`) and the
  consultation hours (`intake/form/views.py`) are kept in each worker with the version and the next
  scheduled change they were read under, and handed out again until either passes.
- **The page cache** (`page_cache.py`, a middleware): anonymous visitors' public pages are saved
  with the version they were made under and served only while it is current and before the next
  scheduled change; a request that is not served from it brings due scheduled changes live first.
- **The form cache** (`intake/form/cache.py`, in the form's room, `intake/form/`): the unbound
  consultation form's HTML is kept under a hash of exactly what it shows, which the per-version
  values provide, so an edit is a new key and nothing is ever invalidated.

Nothing else expires anything: no signals, no cron, no cache clearing on save.
"""
