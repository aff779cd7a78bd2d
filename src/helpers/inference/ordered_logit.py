"""Fitting the proportional-odds (cumulative logit) model honestly: convergence, warnings, separation.

- :func:`fit_ordered_logit` — statsmodels' ``OrderedModel`` with ``distr='logit'`` (its default
  is probit); raises :class:`ModelFitError` when the optimiser did not converge, the Hessian
  could not be inverted, or any other warning was raised during the fit — never a silent
  estimate.
- :func:`separation` — whether one coefficient's maximum-likelihood estimate is infinite
  (complete or quasi-complete separation), decided exactly by a linear programme, before any
  fit: an optimiser stopped at "log OR = 33.33" is then never printed.
- :func:`expand_counts` — one row per unit (``OrderedModel`` ignores ``freq_weights``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from statsmodels.miscmodels.ordinal_model import OrderedModel


class ModelFitError(ValueError):
    """The model could not be fitted to a trustworthy optimum; ``str()`` says why."""


def expand_counts(frame: pd.DataFrame, count: str = "count") -> pd.DataFrame:
    """One row per unit from a table of counts (``OrderedModel`` ignores ``freq_weights``).

    Raises
    ------
    ValueError
        When ``count`` is missing or holds negative or non-integer values.
    """
    if count not in frame.columns:
        raise ValueError(f"'frame' must have a column {count!r} (columns: {', '.join(map(str, frame.columns))}).")
    c = frame[count].to_numpy()
    if (c < 0).any() or not np.all(np.mod(c, 1) == 0):
        raise ValueError(f"column {count!r} must hold non-negative integers.")
    return frame.loc[frame.index.repeat(c.astype(int))].drop(columns=count).reset_index(drop=True)


def fit_ordered_logit(y, exog: pd.DataFrame, groups=None):
    """Fit a proportional-odds **logit** model (statsmodels ``OrderedModel``, ``distr='logit'``).

    ``groups`` gives unit-clustered (sandwich) standard errors with statsmodels' small-sample
    factor G/(G−1)·(N−1)/(N−K). Parameterisation as R's ``ordinal::clm``:
    logit P(Y ≤ j) = θ_j − xᵀβ.

    Raises
    ------
    ModelFitError
        When the optimiser reports no convergence, when any warning is raised during the fit
        (e.g. ``ConvergenceWarning``, ``HessianInversionWarning``, overflow), or when a
        coefficient or standard error is not finite. The message names them.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B*, 42(2), 109–142.
    https://doi.org/10.1111/j.2517-6161.1980.tb01109.x
    """
    endog = pd.Series(pd.Categorical(np.asarray(y), ordered=True))
    model = OrderedModel(endog, exog.reset_index(drop=True).astype(float), distr="logit")
    kwargs = {} if groups is None else {"cov_type": "cluster", "cov_kwds": {"groups": np.asarray(groups)}}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = model.fit(method="bfgs", disp=False, maxiter=2000, gtol=1e-8, **kwargs)
        bse = np.asarray(result.bse, dtype=float)  # computed lazily: its warnings are caught too
    problems = []
    if not result.mle_retvals.get("converged", False):
        problems.append(f"the optimiser did not converge ({result.mle_retvals.get('iterations', '?')} iterations)")
    problems += sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught})
    if not (np.all(np.isfinite(np.asarray(result.params, dtype=float))) and np.all(np.isfinite(bse))):
        problems.append("a coefficient or its standard error is not finite")
    if problems:
        raise ModelFitError("; ".join(problems))
    return result


def separation(y, exog: pd.DataFrame, column: str) -> int:
    """Whether the MLE of ``column``'s coefficient is infinite: +1 (→ +∞), −1 (→ −∞) or 0 (finite).

    A direction ``(dθ, dβ)`` of the cumulative logit model along which no unit's likelihood
    falls exists exactly when, for every unit with outcome ``y`` (0-based among the observed
    categories) and ``η = xᵀdβ``, ``dθ_{y−1} ≤ η ≤ dθ_y`` (with dθ non-decreasing). The
    likelihood then never decreases as the estimate moves along it, so the estimate of a
    coefficient that can move in that direction diverges (complete or quasi-complete
    separation). Two linear programmes (largest and smallest ``dβ_column`` in the box
    [−1, 1]) decide it exactly. The covariates must be identified (not collinear); a
    direction that leaves every linear predictor unchanged is not separation but
    collinearity, and is ruled out here by requiring ``η`` to change for some unit.

    References
    ----------
    Albert, A., & Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
    logistic regression models. *Biometrika*, 71(1), 1–10. https://doi.org/10.1093/biomet/71.1.1
    Konis, K. (2007). *Linear programming algorithms for detecting separated data in binary
    logistic regression models* (DPhil thesis). University of Oxford.

    Examples
    --------
    >>> import pandas as pd
    >>> separation([0, 0, 1, 2, 2, 3], pd.DataFrame({"x": [0, 0, 0, 1, 1, 1]}), "x")   # x = 1 all higher
    1
    >>> separation([0, 2, 1, 2, 0, 3], pd.DataFrame({"x": [0, 0, 0, 1, 1, 1]}), "x")   # overlap
    0
    """
    codes = pd.Categorical(np.asarray(y), ordered=True).codes
    X = exog.reset_index(drop=True).astype(float).to_numpy()
    n, p = X.shape
    k = int(codes.max()) + 1
    if k < 2:
        return 0
    j = list(exog.columns).index(column)
    # variables: dθ_0 … dθ_{k−2}, dβ_0 … dβ_{p−1}; constraints A·v ≤ 0
    rows = []
    for i in range(n):
        if codes[i] <= k - 2:  # η_i − dθ_y ≤ 0
            row = np.zeros(k - 1 + p)
            row[codes[i]] = -1.0
            row[k - 1:] = X[i]
            rows.append(row)
        if codes[i] >= 1:  # dθ_{y−1} − η_i ≤ 0
            row = np.zeros(k - 1 + p)
            row[codes[i] - 1] = 1.0
            row[k - 1:] = -X[i]
            rows.append(row)
    for t in range(k - 2):  # dθ_t − dθ_{t+1} ≤ 0
        row = np.zeros(k - 1 + p)
        row[t], row[t + 1] = 1.0, -1.0
        rows.append(row)
    A = np.array(rows)
    bounds = [(-1.0, 1.0)] * (k - 1 + p)
    for sign in (1, -1):
        c = np.zeros(k - 1 + p)
        c[k - 1 + j] = -sign  # maximise sign · dβ_column
        res = linprog(c, A_ub=A, b_ub=np.zeros(len(A)), bounds=bounds, method="highs")
        if res.status == 0 and -res.fun > 1e-9:
            eta = X @ res.x[k - 1:]
            if np.ptp(np.concatenate([eta, [0.0]])) > 1e-9 or np.ptp(res.x[:k - 1]) > 1e-9:
                return sign
    return 0


__all__ = ["ModelFitError", "expand_counts", "fit_ordered_logit", "separation"]
