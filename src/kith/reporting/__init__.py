"""Drawing reports: charts (matplotlib, no display) and self-contained HTML pages."""
