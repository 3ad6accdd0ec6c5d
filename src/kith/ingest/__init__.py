"""Importers: one small module per export format, each `identify` + `extract` yielding
normalised records (`kith.ingest.records`). Importers never touch the database; the import
service (`kith.services.importing`) resolves identities, deduplicates and stores."""
