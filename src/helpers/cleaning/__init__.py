"""Unit-level rating panels, from raw files to a clean tidy table.

The stages, each in its own module, in the order data flows through them:

``read`` / ``encoding`` / ``xlsx``
    CSV/XLSX files and header rows (:mod:`helpers.cleaning.read`), the text encoding of a CSV file
    (:mod:`helpers.cleaning.encoding`), the sheets of a workbook (:mod:`helpers.cleaning.xlsx`).
``labels`` / ``legacy``
    typed rating labels matched to the scale of their year (:mod:`helpers.cleaning.labels`),
    TCVN3 and VNI text converted to Unicode (:mod:`helpers.cleaning.legacy`).
``clean``
    the vectorised cleaning and validation core (:mod:`helpers.cleaning.clean`).
``identity``
    unit identity checks: repeated unit-years, ids that change, unit types (:mod:`helpers.cleaning.identity`).
``pilots``
    pilot assignments joined to the units (:mod:`helpers.cleaning.pilots`).

:mod:`helpers.cleaning.panel` ties them together (``clean_study``, ``clean_panel``,
``check_panel_config``). This package imports nothing at load time, so a caller that needs
only the label matcher does not pay for pandas.
"""
