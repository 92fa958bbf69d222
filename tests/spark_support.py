"""One SparkSession (local[2]) for the whole test session, or a skip that says what to install.

Under CI=true a skipped Spark test fails the run (see conftest.pytest_sessionfinish): CI must test the Spark path.
"""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

SKIP_PREFIX = "Spark tests need"


def missing() -> str | None:
    """Why Spark cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return f"{SKIP_PREFIX} pyspark: pip install -e '.[test]'"
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java or not os.path.exists(java):
        return f"{SKIP_PREFIX} Java 17 or later: e.g. apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"
    probe = subprocess.run([java, "-version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"{SKIP_PREFIX} a working Java 17 or later; `{java} -version` failed: {probe.stderr.strip()[:200]}"
    return None


@pytest.fixture(scope="session")
def spark():
    reason = missing()
    if reason:
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("harvester tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4").config("spark.default.parallelism", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
