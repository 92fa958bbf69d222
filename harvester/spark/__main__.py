"""The spark-submit entry point: ``spark-submit ... harvester/spark/__main__.py INPUT... -o OUT --spark MASTER``.

The arguments are those of ``harvester extract``; spark-submit's own options (--master, --deploy-mode, --conf,
--archives) set up the session, which the run then uses as it is.
"""

import sys

from harvester.cli import main

if __name__ == "__main__":
    sys.exit(main(["extract", *sys.argv[1:]]))
