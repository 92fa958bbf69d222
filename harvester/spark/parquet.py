"""``--format parquet``: each table as a Parquet directory with the JSON Lines table's columns, in its order.

The column types are those of ``harvester export --to parquet`` (``harvester.export.columns``, derived from the
record contract): instants (``*_utc``, capture and seen times) as UTC timestamps, wall-clock times (``*_local``)
as timestamps without zone, lists as arrays, quotes and links as arrays of structs, ``extra`` as JSON text.
"""

from __future__ import annotations

import orjson

from harvester.export import columns as cols
from harvester.writers import TABLES


def spark_type(column: cols.Column):
    from pyspark.sql import types as T

    if column.kind == "records":
        return T.ArrayType(T.StructType([T.StructField(f, T.StringType(), True) for f in column.fields]))
    return {"string": T.StringType(), "integer": T.LongType(), "number": T.DoubleType(),
            "boolean": T.BooleanType(), "utc": T.TimestampType(), "local": T.TimestampNTZType(),
            "strings": T.ArrayType(T.StringType()), "json": T.StringType()}[column.kind]


def _value(column: cols.Column, value):
    if value is None:
        return None
    if column.kind == "utc":
        return cols.parse_utc(value)
    if column.kind == "local":
        return cols.parse_local(value)
    if column.kind == "json":
        return orjson.dumps(value).decode()
    if column.kind == "records":
        return [{f: (None if item.get(f) is None else str(item.get(f))) for f in column.fields} for item in value]
    return value


def to_row(record: dict, columns) -> tuple:
    return tuple(_value(c, record.get(c.name)) for c in columns)


def write(spark, lines, record_type: str, target: str) -> None:
    """``lines``: the table's JSON lines in dataset order; written to the directory ``target``."""
    from pyspark.sql import types as T

    table = {rt: name for name, rt in TABLES}[record_type]
    columns = cols.columns(table)
    schema = T.StructType([T.StructField(c.name, spark_type(c), True) for c in columns])
    rows = lines.map(lambda line: to_row(orjson.loads(line), columns))
    # standard Parquet timestamps (not Spark's legacy INT96), in UTC, so pyarrow, DuckDB and pandas read instants
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.createDataFrame(rows, schema, verifySchema=False).write.mode("overwrite").parquet(target)
