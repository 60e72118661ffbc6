"""Fitting logistic regression's 31 weights on scikit-learn's breast-cancer data with your
own gradient (``jac=``, scipy's name), against scipy's L-BFGS-B with the same gradient.

    python examples/logistic_regression.py
"""

from __future__ import annotations

import numpy as np
import steep


def data() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return np.column_stack([X, np.ones(len(X))]), y.astype(float)


X, Y = data()
PENALTY = 1e-3


def loss(w: np.ndarray) -> float:
    """Mean logistic loss with a small ridge penalty (a well-posed bowl)."""
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - Y * z) + PENALTY * w @ w)


def gradient(w: np.ndarray) -> np.ndarray:
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ (p - Y) / len(Y) + 2 * PENALTY * w


def with_steep(seed: int = 0) -> steep.Result:
    return steep.minimize(
        loss, [(-10.0, 10.0)] * X.shape[1], jac=gradient, optimizer="bfgs", seed=seed,
        x0=np.zeros(X.shape[1]),
    )  # fmt: skip


def with_scipy() -> tuple[float, int] | None:
    try:
        from scipy.optimize import minimize
    except ImportError:
        return None
    found = minimize(loss, np.zeros(X.shape[1]), jac=gradient, method="L-BFGS-B",
                     bounds=[(-10.0, 10.0)] * X.shape[1])  # fmt: skip
    return float(found.fun), int(found.nfev)


def evaluations_to_reach(result: steep.Result, loss_value: float) -> int | None:
    """The evaluation at which ``result`` first reached ``loss_value``, or None."""
    reached = np.flatnonzero(result.history.best_so_far() <= loss_value)
    return int(reached[0]) + 1 if reached.size else None


def main() -> dict[str, object]:
    result = with_steep()
    reference = with_scipy()
    print(f"steep bfgs: loss {result.fun:.8f} in {result.nfev} evaluations, {result.njev} slopes")
    if reference is None:
        return {"steep": (result.fun, result.nfev), "scipy": None, "to_reach": None}
    to_reach = evaluations_to_reach(result, reference[0])
    print(f"scipy L-BFGS-B: loss {reference[0]:.8f} in {reference[1]} evaluations")
    print(f"steep reached scipy's loss after {to_reach} evaluations")
    return {"steep": (result.fun, result.nfev), "scipy": reference, "to_reach": to_reach}


if __name__ == "__main__":
    main()
