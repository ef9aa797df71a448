"""Evidence from where it lives: survey-platform exports and analytics event logs, read through the
`EvidenceSources` sheet into the same rows as the Evidence sheet (and, for event logs, the Funnel).

Pure: the adapter `addin.adapters.source_files` reads the files; this package recognises their
layout, decodes answer labels into scores and turns event logs into journeys.
"""
