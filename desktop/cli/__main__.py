"""`python -m desktop.cli`: the same as the `quadrangle` command."""

import sys

from desktop.cli import main

sys.exit(main())
