"""Extract on Apache Spark: ``harvester extract ... --spark MASTER`` gives the dataset ``harvester extract`` gives.

A thin driver (``driver``) over the same sources, engines, assemble and records code, run by the executors
(``tasks``); the driver plans the work (``plan``) and never holds records. Needs the ``spark`` extra (pyspark)
and Java 17.
"""
