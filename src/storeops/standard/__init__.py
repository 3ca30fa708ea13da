"""The standard T/CCPITCSC 111-2022 as data: stages, work items, 127 tasks and 18 workflow steps.

``storeops.standard.catalog`` loads and validates the packaged ``data/tasks.toml``; the playbook and
the assessment read the catalog, and every feature names the task codes it serves.
"""
