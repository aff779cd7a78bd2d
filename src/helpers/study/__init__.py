"""Study files (``studies/NAME.yaml``): the one declared model, loading, checking and drafting.

* :mod:`helpers.study.model` — :class:`~helpers.study.model.StudyFile`, the declared model of a study
  file (pydantic), and its JSON Schema for editors (``studies/study.schema.json``; rewritten by
  ``python -m helpers.study.model``).
* :mod:`helpers.study.load` — :func:`load_study`: read a study file, validate it through the model,
  and give a :class:`Study`.
* :mod:`helpers.study.check` — ``python -m helpers check``: a dry run against the data, no kernel.
* :mod:`helpers.study.draft` — ``python -m helpers new-study``: propose a study file from a folder.
"""

__all__ = ["STEPS", "Study", "list_studies", "load_study", "study_file"]


def __getattr__(name: str):
    # imported on first use, so that ``python -m helpers.study.model`` runs the module once
    if name in __all__:
        from helpers.study import load

        return getattr(load, name)
    raise AttributeError(f"module 'helpers.study' has no attribute {name!r}")
