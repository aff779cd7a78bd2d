"""Study files (``studies/NAME.yaml``): the one declared model, loading, checking and drafting.

* :mod:`helpers.study.model` — :class:`~helpers.study.model.StudyFile`, the declared model of a study
  file (pydantic), and its JSON Schema for editors (``studies/study.schema.json``).
* :mod:`helpers.study.load` — :func:`load_study`: read a study file, validate it through the model,
  and give a :class:`Study`.
* :mod:`helpers.study.check` — ``python -m helpers check``: a dry run against the data, no kernel.
* :mod:`helpers.study.draft` — ``python -m helpers new-study``: propose a study file from a folder.
"""

from helpers.study.load import STEPS, Study, list_studies, load_study, study_file

__all__ = ["STEPS", "Study", "list_studies", "load_study", "study_file"]
