"""PyInstaller entry point for the bundled desktop app (``contractreview-gui``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from contractreview.gui.app import main

    sys.exit(main())
