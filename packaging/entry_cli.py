"""PyInstaller entry point for the bundled command-line tool (``contractreview``)."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from contractreview.cli import run

    run()
