"""`python -m engine` is the same as the `roadmap` console script."""

import sys

from engine.interfaces.cli import main

if __name__ == "__main__":
    sys.exit(main())
