"""The archive store: partitioned Parquet datasets read through DuckDB, for corpora that outgrow
one SQLite file (millions of articles, tens of millions of events). SQLite stays the default for
a desk's work; `timeline archive import/export` moves a store between the two.

Layout of an archive folder DIR (schema.py holds the columns of each table):

    DIR/archive.json                          {"format": 1}
    DIR/articles/month=YYYY-MM/<part>.parquet  by publication month ("month=unknown" without one)
    DIR/events/month=YYYY-MM/<part>.parquet    an event's month is its article's
    DIR/event_places/month=YYYY-MM/<part>.parquet
    DIR/mentions/month=YYYY-MM/<part>.parquet
    DIR/places/<part>.parquet                  the places a part refers to (repeated across parts;
                                               read as one row per id)
    DIR/stories/<generation>/stories.parquet   derived from all events (stories.regroup_archive)
    DIR/stories/<generation>/events/month=YYYY-MM/*.parquet
                                               the events it grouped, story_id filled in, sorted
                                               by start (readers read these, not the parts')
    DIR/stories/<generation>/parts.parquet     the parts that generation grouped
    DIR/stories/current.json                   {"generation": G}, renamed into place last: a new
                                               generation replaces the old one whole
    DIR/corrections.parquet                    the analyst's corrections (store.SCHEMA's table),
                                               carried by `timeline archive import/export`
    DIR/_parts/<part>.done                     written last: a part without its marker is invisible
                                               to readers and is written again by the next run
    DIR/_parts/.copies-<digest>.json           the articles found in two parts, for a set of parts
                                               (a reader's cache: read.open_archive)

A part is one batch of articles (a Dask partition, or a slice of an import); its name is a digest
of the ids of the articles in it, so writing the same batch again writes the same files. Every
file is written under a temporary name and renamed into place; the marker comes last, so a killed
worker leaves no half part. Articles are idempotent by `articles.id` (Article.source_id): a batch
skips the articles the archive has already, and readers keep one row per id.

Writing is write.write_batch (one part); reading is read.open_archive (DuckDB views named and
columned as SQLite's tables, one row per id); query.query_events gives timeline.query's rows
for the same Filters; stories.regroup_archive gives corroborate.group's stories in blocks;
transfer.py moves a store between SQLite and an archive. An archive holds the text of the
articles as extraction read it: a changed file is another article (SQLite replaces its events),
and the analyst's corrections are made in SQLite and carried across (corrections.parquet).

Ids that SQLite gives as rowids are stable hashes here (schema.stable_int): `events.seq` of the
event id, `places.id` of the place's name, country, kind and point, so parts written apart agree.
"""

# Articles moved at a time by `timeline archive import/export` (transfer.py): memory grows with
# it, not with the store. Here, not in transfer.py, so that the CLI's help reads it without
# importing pyarrow (a quarter of a second of every command's start).
TRANSFER_BATCH = 1_000
