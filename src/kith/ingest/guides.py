"""Where each export is requested, in one or two sentences for the Import page. The full
steps, and what kith reads from each, are the docs/import-SOURCE.md pages. A test keeps the
keys equal to the registry's sources."""

from __future__ import annotations

GUIDES: dict[str, str] = {
    "x": "On x.com: More > Settings and privacy > Your account > Download an archive of your "
    "data. X e-mails you a link within a day or two; import the .zip as it is.",
    "linkedin": "On linkedin.com (a computer): Me > Settings & Privacy > Data privacy > Get a "
    "copy of your data; tick Connections, Messages and Invitations. Import the .zip.",
    "mastodon": "In Mastodon's web interface: Preferences > Import and export > Data export > "
    "Request your archive. Import the .zip (or .tar.gz) it gives.",
    "bluesky": "In the Bluesky app: Settings > Account > Export my data > Download CAR file. "
    "Import repo.car.",
    "facebook": "Accounts Center > Your information and permissions > Download your "
    "information; choose Format: JSON and Date range: All time. Import the .zip.",
    "instagram": "Accounts Center > Your information and permissions > Download your "
    "information, for your Instagram account; choose Format: JSON. Import the .zip.",
    "telegram": "In Telegram Desktop: Settings > Advanced > Export Telegram data, Format: "
    "Machine-readable JSON. Import result.json (or the folder zipped).",
    "whatsapp": "In a chat: ⋮ (Android) or the contact's name (iPhone) > More > Export chat, "
    "Without media. Import the .txt or .zip, one chat at a time.",
    "vcard": "Google Contacts: Export > vCard (for iOS Contacts). Apple Contacts: select all > "
    "File > Export > Export vCard. Import the .vcf.",
    "ics": "Google Calendar: Settings > Import & export > Export. Outlook: File > Save "
    "Calendar. Apple Calendar: File > Export. Import the .ics or the .zip.",
    "mbox": "Google Takeout (takeout.google.com): Deselect all, tick Mail, create the export. "
    "Import the .zip or .tgz it gives, or the .mbox inside.",
    "kith-json": "A backup written by kith itself (Export, or kith export --format json).",
}
