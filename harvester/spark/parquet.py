"""``--format parquet``: each table as a Parquet directory with the JSON Lines table's columns, in its order.

The Spark schema is derived from the record contract (``records.schema``), so it follows the contract as it
changes: strings, integers, booleans, lists of strings and lists of objects become typed columns; a field whose
values have no fixed shape (``extra``, or a field that may hold several kinds) is a JSON text column.
"""

from __future__ import annotations

import orjson

from harvester import records


def spark_type(spec: dict):
    """The Spark type of one field's JSON Schema, or None for a field kept as JSON text."""
    from pyspark.sql import types as T

    kinds = spec.get("type")
    kinds = [kinds] if isinstance(kinds, str) else [k for k in (kinds or []) if k != "null"]
    if "const" in spec or "enum" in spec:
        values = spec.get("enum", [spec.get("const")])
        if all(isinstance(v, str) for v in values if v is not None):
            return T.StringType()
    if len(kinds) != 1:
        return None
    kind = kinds[0]
    if kind == "string":
        return T.StringType()
    if kind == "integer":
        return T.LongType()
    if kind == "number":
        return T.DoubleType()
    if kind == "boolean":
        return T.BooleanType()
    if kind == "array":
        item = spark_type(spec.get("items") or {})
        return T.ArrayType(item) if item is not None else None
    if kind == "object" and spec.get("properties") and spec.get("additionalProperties") is False:
        fields = []
        for name, sub in spec["properties"].items():
            sub_type = spark_type(sub)
            if sub_type is None:
                return None
            fields.append(T.StructField(name, sub_type, True))
        return T.StructType(fields)
    return None


def columns(record_type: str) -> list[tuple[str, object]]:
    """(field, Spark type or None for JSON text) in the contract's field order."""
    props = records.schema(record_type)["properties"]
    return [(name, spark_type(props[name])) for name in records.field_order(record_type)]


def to_row(record: dict, cols: list[tuple[str, object]]) -> tuple:
    return tuple(record.get(name) if kind is not None else
                 (None if record.get(name) is None else orjson.dumps(record[name]).decode())
                 for name, kind in cols)


def write(spark, lines, record_type: str, target: str) -> None:
    """``lines``: the table's JSON lines in dataset order; written to the directory ``target``."""
    from pyspark.sql import types as T

    cols = columns(record_type)
    schema = T.StructType([T.StructField(name, kind or T.StringType(), True) for name, kind in cols])
    rows = lines.map(lambda line: to_row(orjson.loads(line), cols))
    spark.createDataFrame(rows, schema, verifySchema=False).write.mode("overwrite").parquet(target)
