"""`python -m kith` runs the command line."""

from kith.cli.app import main

main()
