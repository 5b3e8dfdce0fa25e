"""``python -m hzlib.cli`` is the ``hz`` command."""

import sys

from . import main

sys.exit(main())
