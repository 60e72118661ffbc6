import numpy as np
import pytest
import steep
from steep.testing import UniformProbe, landscape_checks, only_plugins
from steep_landscape_noisy import Noisy


@pytest.mark.parametrize("check", landscape_checks(Noisy), ids=str)
def test_conformance(check):
    check()


def tastings(landscape, point, n):
    """``n`` tastings of the same cup, in one batch."""
    return landscape.evaluate(np.tile(point, (n, 1)))


@pytest.mark.parametrize("dim", [1, 3])
@pytest.mark.parametrize("noise", [0.1, Noisy.noise, 1.0])
def test_same_cup_scores_with_the_stated_spread_around_the_truth(dim, noise):
    landscape = Noisy(dim=dim, seed=0, noise=noise)
    point = np.full(dim, 40.0)
    truth = landscape.noise_free(point.reshape(1, -1))[0]
    scores = tastings(landscape, point, 20_000)
    assert len(np.unique(scores)) == len(scores)
    assert np.std(scores) / truth == pytest.approx(noise, rel=0.05)
    standard_error = noise * truth / np.sqrt(len(scores))
    assert abs(scores.mean() - truth) < 4 * standard_error
    assert (scores >= landscape.minimum.fun).all()


def test_average_converges_towards_the_noise_free_cost():
    landscape = Noisy(seed=1)
    scores = tastings(landscape, np.array([80.0]), 100_000)
    truth = landscape.noise_free(np.array([[80.0]]))[0]
    errors = [abs(scores[:n].mean() - truth) for n in (100, 1000, 10_000, 100_000)]
    assert errors[-1] < errors[0] / 5, f"errors of the average: {errors}"
    assert errors[-1] < 0.005 * truth


@pytest.mark.parametrize("dim", [1, 10])
def test_seed_fixes_the_sequence_of_moods(dim):
    points = Noisy(dim=dim).bounds.sample(np.random.default_rng(2), 50)
    first, again, other = Noisy(dim=dim, seed=7), Noisy(dim=dim, seed=7), Noisy(dim=dim, seed=8)
    sequence = [first.evaluate(points) for _ in range(3)]
    repeated = [again.evaluate(points) for _ in range(3)]
    for mine, yours in zip(sequence, repeated):
        np.testing.assert_array_equal(mine, yours)
    assert not np.array_equal(sequence[0], sequence[1]), "a second call drew the same moods"
    assert not np.array_equal(sequence[0], other.evaluate(points)), "another seed, same moods"
    np.testing.assert_array_equal(
        Noisy(dim=dim).evaluate(points), Noisy(dim=dim, seed=0).evaluate(points)
    )


@pytest.mark.parametrize("dim", [1, 10])
def test_the_perfect_cup_costs_the_minimum_in_any_mood(dim):
    landscape = Noisy(dim=dim, seed=3)
    best = landscape.minimum
    assert (tastings(landscape, best.x, 100) == best.fun).all()
    near = best.x + np.random.default_rng(3).normal(0, 1.0, (20_000, dim))
    assert (landscape.evaluate(near) > best.fun).all()


def test_without_noise_it_is_the_bowl():
    landscape = Noisy(dim=2, seed=0, noise=0)
    points = landscape.bounds.sample(np.random.default_rng(4), 100)
    np.testing.assert_array_equal(landscape.evaluate(points), landscape.noise_free(points))
    np.testing.assert_allclose(landscape.noise_free(points), (((points - 65) / 15) ** 2).sum(1))


@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf"), "loud", True])
def test_rejects_bad_noise(noise):
    with pytest.raises(steep.UsageError, match="noise"):
        Noisy(noise=noise)


@pytest.mark.parametrize("dim", [1, 10])
def test_runs_by_name(dim):
    with only_plugins("steep-landscape-noisy"):
        result = steep.minimize("noisy", optimizer=UniformProbe, dim=dim, budget=200, seed=0)
    assert result.nfev == 200 and result.x.shape == (dim,)
    assert result.fun >= result.minimum.fun
