"""The log engine: streamed reading (``reader``), vectorised parsing of each format with Polars
(``formats``) and the per-chunk work of attribution, categories, totals and finding candidates
(``pipeline``). Nothing here touches the database; ``monitoring.services`` does."""
