"""`python -m bot` is the `concord` command."""

import sys

from bot.cli import main

sys.exit(main())
