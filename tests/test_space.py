import numpy as np
import pytest
from steep import Bounds, UsageError


def test_pairs_text_and_broadcast_give_the_same_box():
    pairs = Bounds.parse([(-1, 2), (0, 5)])
    text = Bounds.parse("-1:2,0:5")
    np.testing.assert_array_equal(pairs.lower, text.lower)
    np.testing.assert_array_equal(pairs.upper, text.upper)
    repeated = Bounds.parse((-3, 3), dim=4)
    assert repeated.dim == 4 and repeated.as_pairs() == [(-3.0, 3.0)] * 4
    assert Bounds.parse("-3:3", dim=2).as_pairs() == [(-3.0, 3.0)] * 2


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([(1, 1)], "low 1.0 >= high 1.0"),
        ([(2, 1)], "low 2.0 >= high 1.0"),
        ([(0, np.inf)], "both must be finite"),
        ([(np.nan, 1)], "both must be finite"),
        ("1-2", "not of the form LOW:HIGH"),
        ("a:b", "not of the form LOW:HIGH"),
        ([1, 2, 3], "expected a (low, high) pair"),
        ("x", "not of the form"),
    ],
)
def test_bad_bounds_are_named(spec, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Bounds.parse(spec)


def test_dimension_mismatch_is_refused():
    with pytest.raises(UsageError, match="have 2 coordinates but dimension is 3"):
        Bounds.parse([(0, 1), (0, 1)], dim=3)


def test_contains_rejects_nan_and_outside_points():
    box = Bounds([0, 0], [1, 1])
    assert box.contains(np.array([[0.0, 1.0], [0.5, 0.5]]))
    assert not box.contains(np.array([[0.5, np.nan]]))
    assert not box.contains(np.array([[1.0 + 1e-12, 0.5]]))


def test_sample_stays_in_the_box_and_is_read_only_safe():
    box = Bounds([-2, 10], [-1, 20])
    points = box.sample(np.random.default_rng(0), 1000)
    assert box.contains(points)
    with pytest.raises(ValueError):
        box.lower[0] = 5


def test_reflect_mirrors_at_the_walls_from_any_distance_and_keeps_inside_points_exact():
    bounds = Bounds([0.0, 0.1], [1.0, 0.7])
    points = np.array([[1.2, 0.3], [-0.3, 0.1 + 1e-17], [2.5, -0.5], [-1.75, 0.7]])
    reflected = bounds.reflect(points)
    np.testing.assert_allclose(reflected, [[0.8, 0.3], [0.3, 0.1], [0.5, 0.7], [0.25, 0.7]])
    assert bounds.contains(reflected)
    inside = points[:, 1] >= 0.1
    assert (reflected[inside, 1] == points[inside, 1]).all()


def test_a_box_wider_than_a_float_holds_is_refused():
    with pytest.raises(UsageError, match=r"coordinate 0 is .* wider than a float can hold"):
        Bounds.parse("-1e308:1e308", dim=1)
