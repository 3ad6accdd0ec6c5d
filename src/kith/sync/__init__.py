"""Sync sources: read what is new on the user's own servers (mail over IMAP, calendars over
CalDAV, address books over CardDAV) as the importers' records (docs/sync.md).

Like the importers (kith.ingest), nothing here touches the database: a fetcher is given
its settings, the state its last run left and the secret, and yields records plus the
state to keep once they are stored (kith.services.syncing stores both in one transaction).
"""
