#!/usr/bin/env python
"""Django's command line for this project; the installed `trellis` script does the same."""

from config.cli import main

if __name__ == "__main__":
    main()
