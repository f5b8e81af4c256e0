"""Each log format parsed into one shape, a chunk at a time, by Polars (no Python per line).

The frame every parser returns has one row per line of the chunk, in order:
``idx`` (0-based line in the chunk), ``ts`` (UTC), ``ip``, ``user`` (null when the log has none),
``method`` (upper case), ``url``, ``host`` (as written: ``[user@]host[:port]``; the pipeline
reads the host out of each distinct one), ``status``, ``bytes`` and
``bad`` (the line could not be read: it is counted and never used)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping

import numpy as np
import polars as pl

METHOD = re.compile(r"[A-Z_]+")
CSV_FIELDS = ("time", "ip", "user", "method", "url", "host", "status", "bytes")
SQUID_COLUMNS = ["ts", "elapsed", "ip", "code", "bytes", "method", "url", "user", "hier", "type"]
SQUID_PAD = 5  # %6tr: the elapsed time is right-aligned in six characters
# Squid's native line starts with fixed widths: ``%ts.%03tu`` (10 + 1 + 3 characters), a space,
# then ``%6tr``, the elapsed time right-aligned in six characters (wider only past 999,999 ms).
SQUID_DOT, SQUID_SPACE, SQUID_ELAPSED = 10, 14, range(15, 20)
# NCSA common / combined: host ident user [time] "request" status bytes ["referer" "agent"]
COMBINED = r'^(\S+) \S+ (\S+) \[([^\]]+)\] "([A-Za-z]+) (\S+)(?: [^"]*)?" (\d{3}) (\d+|-)'


def raw_lines(data: bytes) -> pl.DataFrame:
    """One string per line (invalid UTF-8 replaced), blank lines kept in place."""
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator="\x01",
        quote_char=None,
        new_columns=["raw"],
        schema={"raw": pl.String},
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
    ).with_row_index("idx")


def _authority(url: pl.Expr) -> pl.Expr:
    """``host:443`` for CONNECT, else the ``[user@]host[:port]`` of ``scheme://...``: plain
    string searches, as this runs on every line; the pipeline reads the host out of each
    distinct authority (``pipeline.host_of``), which costs nothing per line."""
    after_scheme = url.str.slice(url.str.find("://", literal=True).fill_null(-3) + 3)
    return after_scheme.str.head(after_scheme.str.find(r"[/?#]").fill_null(1 << 30))


NO_USER = ("-", "")  # what a log writes where no user signed in to the proxy


def _user(col: pl.Expr) -> pl.Expr:
    """The per-line form of ``_user_name``, for columns read through a mapping (CSV)."""
    return pl.when(col.is_in(NO_USER)).then(None).otherwise(col.str.to_lowercase())


def _user_name(name: str) -> str | None:
    return None if name in NO_USER else name.lower()


def _method_name(name: str) -> str | None:
    upper = name.upper()
    return upper if METHOD.fullmatch(upper) else None


def _per_distinct(column: pl.Series, read: Callable[[str], str | None]) -> pl.Expr:
    """``read`` applied to each distinct value of a column with few of them (proxy user
    names, methods): Python per value, not per line."""
    distinct = column.drop_nulls().unique().to_list()
    read_as = [read(v) for v in distinct]
    col = pl.col(column.name)
    if all(r is None or r == v for v, r in zip(distinct, read_as, strict=True)):
        # nearly always (user names written in lower case, methods in upper): no lookup per line
        unread = [v for v, r in zip(distinct, read_as, strict=True) if r is None]
        if not unread:
            return col
        return pl.when(col.is_in(unread)).then(None).otherwise(col).alias(column.name)
    return col.replace_strict(distinct, read_as, default=None, return_dtype=pl.String)


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    bad = (
        pl.col("ts").is_null()
        | pl.col("ip").is_null()
        | pl.col("method").is_null()
        | pl.col("url").is_null()
        | pl.col("status").is_null()
    )
    return frame.with_columns(bad=bad).select(
        "idx", "ts", "ip", "user", "method", "url", "host", "status", "bytes", "bad"
    )


def _squid_field(j: int) -> pl.Expr:
    """Field ``j`` after the time: Squid pads the elapsed time with spaces, which the CSV reader
    sees as up to five empty fields; ``pad`` (their count) shifts every later field."""
    field: pl.Expr = pl.col(f"c{j + SQUID_PAD}")
    for shift in range(SQUID_PAD - 1, -1, -1):
        field = pl.when(pl.col("pad") == shift).then(pl.col(f"c{j + shift}")).otherwise(field)
    return field


def line_starts(ends: np.ndarray) -> np.ndarray:
    """Where each line starts, from where each ends (the offsets of its line feeds)."""
    starts = np.empty_like(ends)
    if ends.size:
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    return starts


def _squid_fixed_width(data: bytes, ends: np.ndarray) -> io.BytesIO | None:
    """A copy of the chunk in which the first five characters of every line's elapsed time
    are zeros (``   120`` becomes ``000000``; ``1234567`` becomes ``0000067``), so that no
    line has the empty fields Squid's padding makes and every field is in its place. The
    elapsed time is never used. None when a line does not start in the native fixed widths (a
    garbled line, another time format); the general reader, which shifts columns instead, then
    reads the chunk. Offsets and line lengths do not change; the evidence is read from the
    original, never from this copy."""
    starts = line_starts(ends)
    if not starts.size or int((ends - starts).min()) <= SQUID_ELAPSED.stop + 1:
        return None
    text = np.frombuffer(data, dtype=np.uint8)
    if not (
        (text[starts + SQUID_DOT] == ord(".")).all()
        and (text[starts + SQUID_SPACE] == ord(" ")).all()
        and (text[starts + SQUID_ELAPSED.stop] != ord(" ")).all()  # its last digit
    ):
        return None
    fixed = io.BytesIO(data)
    with fixed.getbuffer() as view:  # the BytesIO's own copy, written in place
        padded = np.frombuffer(view, dtype=np.uint8)
        padded[starts[:, None] + np.arange(SQUID_ELAPSED.start, SQUID_ELAPSED.stop)] = ord("0")
        del padded
    return fixed


SQUID_SCHEMA = pl.Schema(
    # numbers read as numbers; one that is not one is null, and its line is bad
    {**dict.fromkeys(SQUID_COLUMNS, pl.String()), "ts": pl.Float64(), "bytes": pl.Int64()}
)


def parse_squid(data: bytes, ends: np.ndarray) -> pl.DataFrame:
    """``ends``: the offset of each line's line feed in ``data`` (one per line)."""
    fixed = _squid_fixed_width(data, ends)
    if fixed is None:
        return _parse_squid_shifted(data, len(ends))
    # Read lazily, so the reader and the columns' arithmetic run as one streaming plan over
    # parts of the chunk, without the whole of each column made first (measured: a third
    # faster than reading the columns and then working on them).
    frame = pl.scan_csv(
        fixed,
        has_header=False,
        separator=" ",
        quote_char=None,
        schema=SQUID_SCHEMA,
        ignore_errors=True,
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
        missing_columns="insert",
    )
    parsed = _squid_columns(frame.with_row_index("idx")).collect(engine="streaming")
    if parsed.height != len(ends):  # cannot happen without quoting; never misnumber lines
        raise ValueError("the log's lines could not be counted")
    return _squid_names(parsed)


def _parse_squid_shifted(data: bytes, expected_lines: int) -> pl.DataFrame:
    columns = [f"c{i}" for i in range(10 + SQUID_PAD + 1)]
    frame = pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator=" ",
        quote_char=None,
        new_columns=columns,
        schema=dict.fromkeys(columns, pl.String),
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
        missing_columns="insert",
    )
    if frame.height != expected_lines:  # cannot happen without quoting; never misnumber lines
        raise ValueError("the log's lines could not be counted")
    pad = pl.sum_horizontal(
        [pl.col(f"c{i}").is_null().cast(pl.Int8) for i in range(1, SQUID_PAD + 1)]
    )
    frame = frame.with_columns(pad=pad).select(
        pl.col("c0").alias("ts"), *[_squid_field(j).alias(SQUID_COLUMNS[j]) for j in range(1, 8)]
    )
    return _squid_names(_squid_columns(frame.lazy().with_row_index("idx")).collect())


def _squid_columns(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Every column but the user and the method (``_squid_names`` reads those)."""
    url = pl.col("url")
    seconds = pl.col("ts").cast(pl.Float64, strict=False)
    return frame.select(
        "idx",
        ts=pl.when(seconds > 0)
        .then((seconds * 1000).round().cast(pl.Int64))
        .cast(pl.Datetime("ms", "UTC")),
        ip=pl.col("ip"),
        user=pl.col("user"),
        method=pl.col("method"),
        url=url,
        host=_authority(url),
        status=pl.col("code").str.slice(-3).cast(pl.Int32, strict=False),
        bytes=pl.col("bytes").cast(pl.Int64, strict=False).fill_null(0),
    )


def _squid_names(frame: pl.DataFrame) -> pl.DataFrame:
    """The user and the method, read once per distinct value; then which lines are bad."""
    return _finish(
        frame.with_columns(
            user=_per_distinct(frame["user"], _user_name),
            method=_per_distinct(frame["method"], _method_name),
        )
    )


def parse_combined(data: bytes, expected_lines: int) -> pl.DataFrame:
    lines = raw_lines(data)
    if lines.height != expected_lines:
        raise ValueError("the log's lines could not be counted")
    parts = lines.select("idx", p=pl.col("raw").str.extract_groups(COMBINED)).unnest("p")
    method = pl.col("4").str.to_uppercase()
    url = pl.col("5")
    frame = parts.select(
        "idx",
        ts=pl.col("3")
        .str.to_datetime("%d/%b/%Y:%H:%M:%S %z", strict=False)
        .dt.convert_time_zone("UTC")
        .dt.cast_time_unit("ms"),
        ip=pl.col("1"),
        user=_per_distinct(parts["2"], _user_name),
        method=method,
        url=url,
        host=_authority(url),
        status=pl.col("6").cast(pl.Int32, strict=False),
        bytes=pl.col("7").cast(pl.Int64, strict=False).fill_null(0),
    )
    return _finish(frame)


def _csv_time(col: pl.Expr, time_format: str, zone: str) -> pl.Expr:
    if time_format:
        parsed = col.str.to_datetime(time_format, strict=False)
    else:
        epoch = col.cast(pl.Float64, strict=False)
        parsed = pl.coalesce(
            pl.when(epoch > 0).then((epoch * 1000).round().cast(pl.Int64)).cast(pl.Datetime("ms")),
            col.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False),
            col.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False),
            col.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False),
            col.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False),
        )
    # Times written without a zone are the school's local time.
    return (
        parsed.dt.cast_time_unit("ms")
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
    )


def csv_header(first_line: bytes) -> list[str]:
    frame = pl.read_csv(io.BytesIO(first_line + b"\n"), has_header=False, infer_schema=False)
    return [str(v).strip() if v is not None else "" for v in frame.row(0)]


def parse_csv(
    data: bytes,
    *,
    header: list[str],
    mapping: Mapping[str, str],
    time_format: str,
    zone: str,
    skip_header: bool,
) -> pl.DataFrame:
    frame = pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        new_columns=header,
        schema=dict.fromkeys(header, pl.String),
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
        missing_columns="insert",
    ).with_row_index("idx")
    if skip_header:
        frame = frame.filter(pl.col("idx") > 0)

    def field(name: str) -> pl.Expr:
        column = mapping.get(name)
        if column:
            return pl.col(column).str.strip_chars()
        return pl.lit(None, dtype=pl.String)

    method = field("method").str.to_uppercase().fill_null("GET")
    url = pl.coalesce(field("url"), pl.concat_str(pl.lit("http://"), field("host")))
    host = pl.coalesce(field("host"), _authority(url))
    frame = frame.select(
        "idx",
        ts=_csv_time(field("time"), time_format, zone),
        ip=field("ip").fill_null(""),
        user=_user(field("user")),
        method=method,
        url=url,
        host=host,
        status=field("status").cast(pl.Int32, strict=False).fill_null(0),
        bytes=field("bytes").cast(pl.Int64, strict=False).fill_null(0),
    )
    return _finish(frame)
