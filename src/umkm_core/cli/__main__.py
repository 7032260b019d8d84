"""``python -m umkm_core.cli``."""

import sys

from umkm_core.cli import main

sys.exit(main())
