"""PyInstaller entry point for the bundled command-line tool (``contractreview``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from contractreview.cli import main

    sys.exit(main())
