"""The project's own proof that it holds up (docs/security.md, "Crash safety"): generated
inputs of any size, mutation fuzzing of every importer, and imports, migrations and backups
killed with SIGKILL at random moments. The tests and `benchmarks/reliability.py` run them;
`python -m kith.fuzz` runs the fuzzer for as long as one likes."""
