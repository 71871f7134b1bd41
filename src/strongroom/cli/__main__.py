"""`python -m strongroom.cli`: the `strongroom` command without its console script."""

import logging

from strongroom.cli import main

logging.basicConfig()
main()
