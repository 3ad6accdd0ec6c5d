"""The `kith` command line: argument parsing and rendering only; the work is in kith.api."""
