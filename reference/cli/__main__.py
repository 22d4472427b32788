"""``python -m reference.cli ARGS``: the same as ``tokemb ARGS``."""

import sys

from reference.cli import main

sys.exit(main())
