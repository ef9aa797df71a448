"""Where evidence in the Evidence layout is aggregated: DuckDB in this process (the default: nothing to
start), or Apache Spark for data that outgrows one machine. One query definition (an Ibis expression,
`stats_query`) serves both: Ibis compiles it to DuckDB's SQL or to Spark, and only the grouped
sufficient statistics come back, so a run's memory does not grow with the evidence.

An EvidenceSources row's `Engine` cell says which: blank or `duckdb`; `local[N]` (Spark on this
machine, N cores), `spark://host:7077` (a Spark master) or `sc://host:15002` (Spark Connect).
Its `File` is a path or pattern of Parquet or CSV files, or `table:NAME` for a table of the engine's
catalogue (with `Engine` a DuckDB database file as `duckdb:PATH`, or a Spark master).
"""

from __future__ import annotations

import atexit
import functools
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.contract import Col, norm
from addin.core.errors import SourceError
from addin.core.evidence import PERIOD_KEYS, STAT_COLUMNS
from addin.core.sources.aggregated import BAD, METRIC_KEY, AggregatedSource
from addin.core.sources.spec import Field, SourceRow

DUCKDB = "duckdb"
TABLE_PREFIX = "table:"
SCALES = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10), "emotion": (-2, 2)}
"""Each metric's answer scale, by the key `stats_query` compares (the contract's METRIC_SCALE)."""


def is_spark(engine: str) -> bool:
    """True for an Engine cell that names Spark (local[N], spark://..., sc://...)."""
    key = engine.strip().casefold()
    return key.startswith(("local", "spark://", "sc://", "yarn", "k8s://"))


def stats_query(table: Any, row: SourceRow) -> Any:
    """The one query definition: per (stage, touchpoint, persona, channel, metric, year, month) the six
    sufficient statistics of the scores on their metric's scale, and how many rows had none (`bad`).
    Year and month are those of the Date (`PERIOD_KEYS`), both blank for a row without one."""
    import ibis

    columns = {norm(c): c for c in table.columns}

    def value(field: Field, default: str) -> Any:
        if field.value is not None:
            return ibis.literal(field.value, type="string")
        name = columns.get(norm(field.column or default))
        return table[name].cast("string") if name else ibis.null("string")

    for required in (Col.STAGE, Col.METRIC, Col.SCORE):
        if norm(required) not in columns and not (required == Col.STAGE and row.stage.given):
            raise KeyError(required.value)
    metric = (
        ibis.literal(row.metric.value.casefold(), type="string")
        if row.metric is not None
        else table[columns[norm(Col.METRIC)]].cast("string").strip().lower()
    )
    score = table[columns[norm(Col.SCORE)]].cast("float64")
    valid = ibis.literal(False)
    for key, (low, high) in SCALES.items():
        valid = valid | ((metric == key) & score.between(low, high))
    valid = valid.fill_null(False)
    s = valid.ifelse(score, 0.0)
    one = valid.ifelse(1, 0)
    keyed = table.mutate(
        **{
            Col.STAGE.value: value(row.stage, Col.STAGE),
            Col.TOUCHPOINT.value: value(row.touchpoint, Col.TOUCHPOINT),
            Col.PERSONA.value: value(row.persona, Col.PERSONA),
            Col.CHANNEL.value: value(row.channel, Col.CHANNEL),
            METRIC_KEY: metric,
            "_s": s,
            "_one": one,
            "_ge4": (valid & (score >= 4)).ifelse(1, 0),
            "_ge9": (valid & (score >= 9)).ifelse(1, 0),
            "_le6": (valid & (score <= 6)).ifelse(1, 0),
            **dict(zip(PERIOD_KEYS, _year_month(table, columns, row.date), strict=True)),
        }
    )
    return keyed.group_by(
        [Col.STAGE.value, Col.TOUCHPOINT.value, Col.PERSONA.value, Col.CHANNEL.value, METRIC_KEY, *PERIOD_KEYS]
    ).aggregate(
        n=keyed._one.sum(),
        sum=keyed._s.sum(),
        sumsq=(keyed._s * keyed._s).sum(),
        ge4=keyed._ge4.sum(),
        ge9=keyed._ge9.sum(),
        le6=keyed._le6.sum(),
        bad=(1 - keyed._one).sum(),
    )


def _year_month(table: Any, columns: dict[str, str], date: Field) -> tuple[Any, Any]:
    """The year and month of each row's Date: the row's `column: NAME` or the Date column, a date or
    timestamp or ISO text (text that is no date gives none); or the one date the row gives every answer."""
    import ibis

    if date.value is not None:
        stamp = pd.to_datetime(date.value, errors="coerce")
        if pd.isna(stamp):
            return ibis.null("int32"), ibis.null("int32")
        return ibis.literal(stamp.year, type="int32"), ibis.literal(stamp.month, type="int32")
    name = columns.get(norm(date.column or Col.DATE))
    if name is None:
        return ibis.null("int32"), ibis.null("int32")
    column = table[name]
    if not column.type().is_temporal() or column.type().is_time():
        column = column.cast("string").strip().try_cast("timestamp")
    return column.year().cast("int32"), column.month().cast("int32")


def aggregate(pattern: str, paths: Sequence[Path], row: SourceRow, engine: str, name: str) -> AggregatedSource:
    """Aggregate the files (or the table) of one EvidenceSources row with its engine."""
    engine = engine.strip() or DUCKDB
    try:
        con = _spark(engine) if is_spark(engine) else _duckdb(engine)
        table = _table(con, pattern, paths)
        frame = stats_query(table, row).to_pyarrow().to_pandas()
    except SourceError:
        raise
    except KeyError as exc:
        raise SourceError(
            f"The evidence source {name} has no '{exc.args[0]}' column: a file in the Evidence layout needs "
            "Stage, Metric and Score (Touchpoint, Persona, Channel optional). The workbook was left as it was.",
            path=name,
        ) from exc
    except Exception as exc:  # the engines raise their own exception types; each becomes one sentence
        raise SourceError(
            f"The evidence source {name} could not be aggregated by {engine} ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}). The workbook was left as it was.",
            path=name,
        ) from exc
    for s in (*STAT_COLUMNS, BAD, *PERIOD_KEYS):
        frame[s] = frame[s].astype(float)
    for col in (Col.STAGE, Col.TOUCHPOINT, Col.PERSONA, Col.CHANNEL, METRIC_KEY):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return AggregatedSource(name, engine, frame)


def _table(con: Any, pattern: str, paths: Sequence[Path]) -> Any:
    """The engine's table: a catalogue table, or the files. Several files are read as one table, each
    engine listing them itself (DuckDB takes the list, Spark reads them all in one scan)."""
    if pattern.strip().casefold().startswith(TABLE_PREFIX):
        return con.table(pattern.strip()[len(TABLE_PREFIX) :].strip())
    files = [str(p) for p in paths]
    parquet = all(p.suffix.lower() == ".parquet" for p in paths)
    if len(files) > 1 and hasattr(con, "_session"):  # Spark: one reader over every file
        reader = con._session.read
        frame = (
            reader.parquet(*files) if parquet else reader.option("header", True).option("inferSchema", True).csv(files)
        )
        name = f"addin_source_{abs(hash(tuple(files)))}"
        frame.createOrReplaceTempView(name)
        return con.table(name)
    target = files if len(files) > 1 else files[0]
    return con.read_parquet(target) if parquet else con.read_csv(target)


@functools.cache
def _duckdb(engine: str) -> Any:
    import ibis

    database = engine[len(DUCKDB) :].lstrip(":").lstrip("/") if engine.casefold().startswith(DUCKDB) else ""
    return ibis.duckdb.connect(database or ":memory:", read_only=bool(database))


@functools.cache
def _spark(master: str) -> Any:
    import ibis

    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("addin")
    if master.casefold().startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = (
            builder.master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
        )
    session = builder.getOrCreate()
    if not master.casefold().startswith("sc://"):
        session.sparkContext.setLogLevel("ERROR")
    atexit.register(session.stop)
    return ibis.pyspark.connect(session)
