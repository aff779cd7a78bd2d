"""Run the studies' notebooks with papermill, safely and only when something changed.

The runner works in three steps, one module each:

- :mod:`helpers.runner.plan` — which jobs exist (:mod:`~helpers.runner.jobs`), their *stamps* (a hash of the
  notebook's code cells, the study's parameters, the bytes of its input files, the ``helpers`` source, the
  installed package versions and the previous notebook's stamp), and which of them are stale;
- :mod:`helpers.runner.build` — one job built in ``reports/.build-<study>-<run id>/`` and, only when every
  notebook succeeded, swapped into ``reports/<study>/`` (and ``data/processed/<study>/``); on failure the
  previous outputs stay and the failed executed notebook is kept under ``reports/<study>/failed/``;
- :mod:`helpers.runner.run` — the whole run: independent jobs in parallel, up to the number of cores,
  ``data/raw/`` checksummed before and after, one line or paragraph per job.

Nothing here imports a heavy library at load time: a run with nothing to do must finish within a second.
"""

from helpers.runner.build import JobOutcome, build_job
from helpers.runner.jobs import Job, Step, study_job, teaching_jobs
from helpers.runner.plan import check_study, first_stale, read_manifest, stale_from, step_stamps, tree_checksums
from helpers.runner.run import RunSummary, execute, load_studies, run

__all__ = ["Job", "JobOutcome", "RunSummary", "Step", "build_job", "check_study", "execute", "first_stale",
           "load_studies", "read_manifest", "run", "stale_from", "step_stamps", "study_job", "teaching_jobs",
           "tree_checksums"]
