"""Tuning a support-vector classifier the way a practitioner would: C on a log scale, the
polynomial degree as an integer, the kernel as a choice, by 5-fold cross-validation on
scikit-learn's breast-cancer data, in 60 evaluations with steep's default optimizer.

    python examples/svc_search.py            # steep, and optuna's TPE beside it if installed
"""

from __future__ import annotations

import sys
import warnings

import steep

SPACE = {
    "C": steep.Real(1e-3, 1e3, log=True),
    "degree": steep.Integer(1, 5),
    "kernel": steep.Choice(["rbf", "poly", "linear"]),
}


def cv_error(values: dict, folds: int = 5) -> float:
    """One minus the mean cross-validated accuracy of an SVC with these values."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(
        StandardScaler(),
        SVC(C=values["C"], degree=values["degree"], kernel=values["kernel"], max_iter=100_000),
    )
    with warnings.catch_warnings():  # a capped solver on a poor configuration: a poor score
        warnings.simplefilter("ignore", ConvergenceWarning)
        return 1.0 - float(cross_val_score(model, X, y, cv=folds).mean())


def with_steep(budget: int = 60, seed: int = 0) -> steep.Result:
    return steep.minimize(cv_error, space=SPACE, budget=budget, seed=seed)


def with_optuna(budget: int = 60, seed: int = 0) -> float | None:
    """optuna's TPE on the same space and budget, or None where optuna is not installed."""
    try:
        import optuna
    except ImportError:
        return None
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial: optuna.Trial) -> float:
        return cv_error(
            {
                "C": trial.suggest_float("C", 1e-3, 1e3, log=True),
                "degree": trial.suggest_int("degree", 1, 5),
                "kernel": trial.suggest_categorical("kernel", ["rbf", "poly", "linear"]),
            }
        )

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=budget)
    return float(study.best_value)


def main(budget: int = 60, seed: int = 0) -> dict[str, float | None]:
    result = with_steep(budget, seed)
    tpe = with_optuna(budget, seed)
    print(f"steep ({result.optimizer}): CV error {result.fun:.4f} with {result.params}")
    print(f"  {result.nfev} evaluations, {result.ncached} of them answered from the cache")
    if tpe is not None:
        print(f"optuna TPE:    CV error {tpe:.4f} in {budget} trials")
    return {"steep": result.fun, "optuna": tpe}


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
