"""What the tests share besides fixtures: builders of panels and meetings, real paper files,
hostile files, readers of the Word minutes, the outside verifiers, the session's template
stores and its cached signing keys. Imported as ``tests.helpers.<module>`` (the repository
root is on pytest's ``pythonpath``)."""
